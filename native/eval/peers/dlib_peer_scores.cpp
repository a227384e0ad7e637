// Peer helper for the detector evaluation: dlib's HOG frontal face detector (the same detector
// and pyramid as the shared dlib_peer), printing every detection with its score, so recall at a
// fixed false-positive rate and average precision can be computed for dlib exactly as for ours.
// dlib_peer itself prints only the boxes above dlib's default threshold.
//
// Build:  scripts/build-peers.sh  (g++ -O3 -march=native ... -ldlib; not part of the CMake build,
//         it needs Debian's libdlib-dev)
// Usage:  dlib_peer_scores [--upsample N] [--adjust T] [--list FILE] [IMAGE...]
//           --adjust T  dlib's adjust_threshold (negative = also print weaker windows); default -1
//           --list FILE one image path per line
// Output: one JSON object per image on stdout:
//   {"file":..,"width":..,"height":..,"detect_ms":..,
//    "dets":[{"box":[l,t,r,b],"score":s,"component":k},...]}
//   box corners are inclusive pixel coordinates in the original image (dlib's rectangle), score is
//   dlib's detection_confidence (> 0 = a detection at dlib's default threshold).
#include <dlib/image_io.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned upsample = 0;
  double adjust = -1.0;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--upsample" && i + 1 < argc) {
      upsample = static_cast<unsigned>(std::stoul(argv[++i]));
    } else if (a == "--adjust" && i + 1 < argc) {
      adjust = std::stod(argv[++i]);
    } else if (a == "--list" && i + 1 < argc) {
      std::ifstream in(argv[++i]);
      std::string line;
      while (std::getline(in, line)) {
        if (!line.empty()) files.push_back(line);
      }
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::cerr << "usage: dlib_peer_scores [--upsample N] [--adjust T] [--list FILE] [IMAGE...]\n";
    return 2;
  }
  dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
  for (const std::string& file : files) {
    dlib::array2d<unsigned char> img;
    try {
      dlib::load_image(img, file);
    } catch (std::exception&) {
      std::cout << "{\"file\":\"" << JsonEscape(file) << "\",\"error\":\"decode\"}\n";
      continue;
    }
    std::vector<dlib::rect_detection> dets;
    double scale = 1;
    const auto t0 = Clock::now();
    if (upsample > 0) {
      dlib::array2d<unsigned char> work;
      dlib::assign_image(work, img);
      for (unsigned u = 0; u < upsample; ++u) {
        dlib::pyramid_up(work);
        scale *= 2;
      }
      detector(work, dets, adjust);
    } else {
      detector(img, dets, adjust);
    }
    const double detect_ms = MsSince(t0);
    std::cout << "{\"file\":\"" << JsonEscape(file) << "\",\"width\":" << img.nc()
              << ",\"height\":" << img.nr() << ",\"detect_ms\":" << detect_ms << ",\"dets\":[";
    for (size_t k = 0; k < dets.size(); ++k) {
      const dlib::rectangle& r = dets[k].rect;
      if (k) std::cout << ",";
      // Same integer division as dlib_peer so boxes at score > 0 are identical to its output.
      std::cout << "{\"box\":[" << static_cast<long>(r.left() / scale) << ","
                << static_cast<long>(r.top() / scale) << "," << static_cast<long>(r.right() / scale)
                << "," << static_cast<long>(r.bottom() / scale) << "],\"score\":"
                << dets[k].detection_confidence << ",\"component\":" << dets[k].weight_index << "}";
    }
    std::cout << "]}\n";
  }
  return 0;
}
