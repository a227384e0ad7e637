// Checks on the shipped model, models/shape90.afm. Skips (passes with a note) when the model or
// the data is missing. On the first 300 val faces with point boxes: mean NME < 0.04, failure
// rate < 2 %, mirror consistency (mirrored image → mirrored points) within 0.02 of the IOD.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "../check.h"
#include "common/face_box.h"
#include "shape/shape_geometry.h"
#include "shape/shape_predictor.h"
#include "shape/shape_trainer.h"
#include "train/labels.h"

using namespace af;

namespace {
double Nme(const Shape90& p, const Shape90& g) {
  const double iod = std::hypot(g[37].x - g[45].x, g[37].y - g[45].y);
  double e = 0;
  for (int i = 0; i < kNumPoints; ++i) e += std::hypot(p[i].x - g[i].x, p[i].y - g[i].y);
  return e / kNumPoints / iod;
}
}  // namespace

int main() {
  if (!std::ifstream(AF_MODEL_PATH).good()) {
    std::printf("note: %s not present, skipped\n", AF_MODEL_PATH);
    return af_test::finish();
  }
  std::shared_ptr<const ShapePredictor> pred;
  const Status st = ShapePredictor::LoadFromFile(AF_MODEL_PATH, &pred);
  CHECK(st.ok());
  if (!st.ok()) {
    std::printf("%s\n", st.message().c_str());
    return af_test::finish();
  }
  std::vector<LabeledImage> labels;
  if (!ReadLabels(std::string(AF_DATA_DIR) + "/labels/val.jsonl", &labels).ok()) {
    std::printf("note: val labels not present, skipped\n");
    return af_test::finish();
  }
  double sum = 0, gap = 0;
  int n = 0, fails = 0;
  for (const LabeledImage& li : labels) {
    if (n >= 300) break;
    GrayImage img;
    if (!LoadGrayFile(std::string(AF_DATA_DIR) + "/" + li.file, &img).ok()) continue;
    GrayImage mir = img;
    for (int y = 0; y < img.height; ++y)
      for (int x = 0; x < img.width; ++x) mir.row(y)[x] = img.row(y)[img.width - 1 - x];
    for (const LabeledFace& f : li.faces) {
      Shape90 truth = f.points;
      shape::FixPupilOrder(&truth);  // labels carry subject-left/right pupils
      const BoxF box = FaceBoxFromPoints(truth);
      const Shape90 p = pred->Predict(img, box);
      CHECK(p[88].x < p[89].x);  // LeftPupil is the image-left one
      const double e = Nme(p, truth);
      sum += e;
      fails += e > 0.10 ? 1 : 0;
      const Shape90 pm =
          pred->Predict(mir, BoxF{img.width - 1 - box.x - box.w, box.y, box.w, box.h});
      Shape90 back;
      for (int i = 0; i < kNumPoints; ++i) {
        back[shape::MirrorMap()[i]] = PointF{static_cast<float>(img.width - 1) - pm[i].x, pm[i].y};
      }
      gap += Nme(back, p);
      ++n;
    }
  }
  CHECK(n > 0);
  if (n > 0) {
    std::printf("shipped model on %d val faces: NME %.4f, failures %d, mirror gap %.4f\n", n, sum / n,
                fails, gap / n);
    CHECK(sum / n < 0.04);
    CHECK(fails < 0.02 * n);
    CHECK(gap / n < 0.02);
  }
  return af_test::finish();
}
