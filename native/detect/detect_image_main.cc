// af_detect_image: prints the detections of one image as JSON (debugging aid).
//   af_detect_image [--model models/detector.afm] [--min-face 40] [--adjust 0] [--threads 1]
//                   [--repeat N] image.jpg
// --repeat N runs the detector N times and adds the median and fastest milliseconds per call.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "detect/face_detector.h"

int main(int argc, char** argv) {
  std::string model_path = "models/detector.afm", image_path;
  af::DetectOptions opt;
  int repeat = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value for %s\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--model") model_path = next();
    else if (a == "--min-face") opt.min_face_size = std::strtof(next(), nullptr);
    else if (a == "--adjust") opt.threshold_adjust = std::strtof(next(), nullptr);
    else if (a == "--threads") opt.threads = std::atoi(next());
    else if (a == "--repeat") repeat = std::atoi(next());
    else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    } else image_path = a;
  }
  if (image_path.empty()) {
    std::fprintf(stderr, "usage: af_detect_image [--model M] [--min-face PX] [--adjust T] "
                         "[--threads N] [--repeat N] IMAGE\n");
    return 2;
  }
  std::shared_ptr<const af::FaceDetector> det;
  af::Status s = af::FaceDetector::LoadFromFile(model_path, &det);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 1;
  }
  af::GrayImage img;
  s = af::LoadGrayFile(image_path, &img);
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", image_path.c_str(), s.message().c_str());
    return 1;
  }
  std::vector<af::Detection> dets = det->Detect(img, opt);
  double ms = -1, ms_min = -1;
  if (repeat > 0) {
    std::vector<double> t;
    for (int r = 0; r < repeat; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      dets = det->Detect(img, opt);
      t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(t.begin(), t.end());
    ms = t[t.size() / 2];
    ms_min = t[0];
  }
  std::printf("{\"image\":\"%s\",\"width\":%d,\"height\":%d,", image_path.c_str(), img.width, img.height);
  if (ms >= 0) std::printf("\"ms\":%.3f,\"ms_min\":%.3f,", ms, ms_min);
  std::printf("\"faces\":[");
  for (size_t i = 0; i < dets.size(); ++i) {
    const af::Detection& d = dets[i];
    std::printf("%s{\"box\":[%.1f,%.1f,%.1f,%.1f],\"score\":%.4f,\"component\":%d}", i ? "," : "",
                d.box.x, d.box.y, d.box.w, d.box.h, d.score, d.component);
  }
  std::printf("]}\n");
  return 0;
}
