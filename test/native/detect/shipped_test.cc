// The shipped model (models/detector.afm): finds the labelled face in the first val images with
// IoU >= 0.5 against the point box, also when the image is rolled by +-22 degrees about the face
// (the in-plane rotated components), and nothing in the first held-out negatives (the split the
// trainer documents: FNV-1a(file name) % 5 == 0). Skips when the model or the data is missing.
#include <dirent.h>

#include <algorithm>
#include <cmath>
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

// Rolls `src` by `angle` radians about (cx, cy): a point p lands at c + R(angle) (p - c).
GrayImage Roll(const GrayImage& src, double cx, double cy, double angle) {
  GrayImage dst;
  dst.width = src.width;
  dst.height = src.height;
  dst.pixels.resize(src.pixels.size());
  const double c = std::cos(angle), s = std::sin(angle);
  for (int v = 0; v < dst.height; ++v) {
    for (int u = 0; u < dst.width; ++u) {
      const double dx = u - cx, dy = v - cy;
      const int x = static_cast<int>(std::lround(cx + c * dx + s * dy));
      const int y = static_cast<int>(std::lround(cy - s * dx + c * dy));
      dst.pixels[static_cast<size_t>(v) * dst.width + u] = src.at_clamped(x, y);
    }
  }
  return dst;
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

  // Rolled faces (the labelled faces have little roll): +-0.38 rad, alternating.
  int rolled_found = 0, rolled_faces = 0, by_rotated_component = 0;
  for (size_t i = 0; i < val.size() && i < 12; ++i) {
    GrayImage img;
    CHECK(LoadGrayFile(data + "/" + val[i].file, &img).ok());
    if (val[i].faces.empty()) continue;
    const BoxF b0 = FaceBoxFromPoints(val[i].faces[0].points);
    const double a = (i & 1) ? 0.38 : -0.38;
    const GrayImage rolled = Roll(img, b0.cx(), b0.cy(), a);
    const std::vector<Detection> dets = det->Detect(rolled, DetectOptions{});
    Shape90 q = val[i].faces[0].points;
    for (PointF& p : q) {
      const double dx = p.x - b0.cx(), dy = p.y - b0.cy();
      p.x = static_cast<float>(b0.cx() + std::cos(a) * dx - std::sin(a) * dy);
      p.y = static_cast<float>(b0.cy() + std::sin(a) * dx + std::cos(a) * dy);
    }
    const BoxF truth = FaceBoxFromPoints(q);
    ++rolled_faces;
    float best = 0.f;
    int comp = -1;
    for (const Detection& d : dets) {
      const float iou = BoxIoU(truth, d.box);
      if (iou > best) { best = iou; comp = d.component; }
    }
    if (best >= 0.5f) {
      ++rolled_found;
      if (comp >= 3) ++by_rotated_component;
    } else {
      std::printf("missed rolled face in %s (best IoU %.2f)\n", val[i].file.c_str(), best);
    }
  }
  std::printf("rolled faces: %d of %d found, %d by the rotated components\n", rolled_found, rolled_faces,
              by_rotated_component);
  CHECK(rolled_faces > 0 && rolled_found == rolled_faces);
  CHECK(by_rotated_component * 2 >= rolled_faces);

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
