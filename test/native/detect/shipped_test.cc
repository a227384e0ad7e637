// The shipped model (models/detector.afm): finds the labelled face in the first val images with
// IoU >= 0.5 against the point box, and nothing in the first held-out negatives (the split the
// trainer documents: FNV-1a(file name) % 5 == 0). Skips when the model or the data is missing.
#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "../check.h"
#include "common/face_box.h"
#include "detect/face_detector.h"
#include "train/labels.h"

using namespace af;

namespace {
uint32_t Fnv1a(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}
}  // namespace

int main() {
  std::shared_ptr<const FaceDetector> det;
  if (!FaceDetector::LoadFromFile(AF_MODEL_PATH, &det).ok()) {
    std::printf("skip: %s not loadable\n", AF_MODEL_PATH);
    return af_test::finish();
  }
  const std::string data = AF_DATA_DIR;
  std::vector<LabeledImage> val;
  if (!ReadLabels(data + "/labels/val.jsonl", &val).ok()) {
    std::printf("skip: no data at %s\n", data.c_str());
    return af_test::finish();
  }
  int found = 0, faces = 0;
  for (size_t i = 0; i < val.size() && i < 12; ++i) {
    GrayImage img;
    CHECK(LoadGrayFile(data + "/" + val[i].file, &img).ok());
    const std::vector<Detection> dets = det->Detect(img, DetectOptions{});
    for (const LabeledFace& f : val[i].faces) {
      ++faces;
      const BoxF truth = FaceBoxFromPoints(f.points);
      float best = 0.f;
      for (const Detection& d : dets) best = std::max(best, BoxIoU(truth, d.box));
      if (best >= 0.5f) ++found;
      else std::printf("missed face in %s (best IoU %.2f)\n", val[i].file.c_str(), best);
    }
  }
  CHECK(faces > 0 && found == faces);

  std::vector<std::string> held;
  if (DIR* d = opendir((data + "/negatives").c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string n = e->d_name;
      if (n.size() > 4 && Fnv1a(n) % 5 == 0) held.push_back(n);
    }
    closedir(d);
  }
  std::sort(held.begin(), held.end());
  CHECK(held.size() >= 5);
  for (size_t i = 0; i < held.size() && i < 5; ++i) {
    GrayImage img;
    CHECK(LoadGrayFile(data + "/negatives/" + held[i], &img).ok());
    const std::vector<Detection> dets = det->Detect(img, DetectOptions{});
    if (!dets.empty()) std::printf("false positive in %s (score %.3f)\n", held[i].c_str(), dets[0].score);
    CHECK(dets.empty());
  }
  return af_test::finish();
}
