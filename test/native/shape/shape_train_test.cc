// Trainer tests on ~50 real training faces (../shared/data/labels/train.jsonl):
//  - the mirror map is an involution and mirrored labels keep left/right on the viewer's side;
//  - a tiny model fits its own training set much better than the mean shape;
//  - training is deterministic: same bytes for 1 and 2 threads, different bytes for another seed;
//  - mirror consistency: predicting on a mirrored image gives the mirrored points.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "../check.h"
#include "common/face_box.h"
#include "shape/shape_geometry.h"
#include "shape/shape_model.h"
#include "shape/shape_predictor.h"
#include "shape/shape_trainer.h"
#include "train/labels.h"

using namespace af;
using namespace af::shape;

namespace {

double Nme(const Shape90& p, const Shape90& g) {
  const double iod = std::hypot(g[37].x - g[45].x, g[37].y - g[45].y);
  double e = 0;
  for (int i = 0; i < kNumPoints; ++i) e += std::hypot(p[i].x - g[i].x, p[i].y - g[i].y);
  return e / kNumPoints / iod;
}

GrayImage MirrorImage(const GrayImage& in) {
  GrayImage out = in;
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x) out.row(y)[x] = in.row(y)[in.width - 1 - x];
  return out;
}

Shape90 MirrorShape(const Shape90& s, int width) {
  Shape90 out;
  for (int i = 0; i < kNumPoints; ++i) {
    out[MirrorMap()[i]] = PointF{static_cast<float>(width - 1) - s[i].x, s[i].y};
  }
  return out;
}

BoxF MirrorBox(const BoxF& b, int width) { return BoxF{width - 1 - b.x - b.w, b.y, b.w, b.h}; }

}  // namespace

int main() {
  // Mirror map: a permutation that is its own inverse, fixing exactly the centre-line points.
  {
    const auto& m = MirrorMap();
    std::vector<int> seen(kNumPoints, 0);
    int fixed = 0;
    bool involution = true;
    for (int i = 0; i < kNumPoints; ++i) {
      ++seen[m[i]];
      involution = involution && m[m[i]] == i;
      fixed += m[i] == i ? 1 : 0;
    }
    CHECK(involution);
    CHECK(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }));
    // FaceProfile 10; Nose 0, 1, 7; Mouth 3, 9, 14, 19.
    CHECK(fixed == 8);
    CHECK(m[10] == 10 && m[53] == 53 && m[54] == 54 && m[60] == 60 && m[69] == 69 && m[75] == 75 &&
          m[80] == 80 && m[85] == 85);
    CHECK(m[37] == 45 && m[88] == 89 && m[0] == 20 && m[55] == 65 && m[66] == 72 && m[78] == 82);
  }

  std::vector<LabeledImage> labels;
  const Status st = ReadLabels(std::string(AF_DATA_DIR) + "/labels/train.jsonl", &labels);
  CHECK(st.ok());
  if (!st.ok()) {
    std::printf("cannot read training labels: %s\n", st.message().c_str());
    return af_test::finish();
  }
  std::vector<GrayImage> images;
  std::vector<TrainFace> faces;
  for (size_t i = 0; i < labels.size() && faces.size() < 50; i += 97) {  // spread over the set
    GrayImage img;
    if (!LoadGrayFile(std::string(AF_DATA_DIR) + "/" + labels[i].file, &img).ok()) continue;
    images.push_back(std::move(img));
    for (const auto& f : labels[i].faces) {
      faces.push_back(TrainFace{static_cast<uint32_t>(images.size() - 1), f.points, f.yaw});
      CHECK(FixPupilOrder(&faces.back().points));  // every label has subject-left/right pupils
      CHECK(!FixPupilOrder(&faces.back().points));  // and the fix is stable
    }
  }
  CHECK(faces.size() >= 50);

  // Mirrored labels stay plausible: the viewer's-left part is left of the viewer's-right part.
  {
    int ok = 0;
    for (const TrainFace& f : faces) {
      const Shape90 s = MirrorShape(f.points, images[f.image].width);
      ok += (s[37].x < s[45].x && s[21].x < s[29].x && s[0].x < s[20].x && s[66].x < s[72].x &&
             s[58].x < s[62].x && s[88].x < s[89].x && s[41].x < s[49].x) ? 1 : 0;
    }
    CHECK(ok == static_cast<int>(faces.size()));
  }

  ShapeTrainOptions o;
  o.cascade = 4;
  o.trees = 40;
  o.depth = 3;
  o.pool = 120;
  o.splits = 12;
  o.oversampling = 4;
  o.pca = 16;
  o.pca_refresh = 15;
  o.seed = 3;
  o.threads = 1;
  ShapeModel m1, m2, m3;
  CHECK(TrainShapeModel(images, faces, o, &m1).ok());
  o.threads = 2;
  CHECK(TrainShapeModel(images, faces, o, &m2).ok());
  o.seed = 4;
  CHECK(TrainShapeModel(images, faces, o, &m3).ok());
  const std::vector<uint8_t> b1 = SerializeShapeModel(m1), b2 = SerializeShapeModel(m2),
                             b3 = SerializeShapeModel(m3);
  CHECK(b1 == b2);  // thread count does not change a single byte
  CHECK(b1 != b3);  // the seed matters
  o.splits = 0;
  ShapeModel bad;
  CHECK(!TrainShapeModel(images, faces, o, &bad).ok());

  std::shared_ptr<const ShapePredictor> pred;
  CHECK(ShapePredictor::LoadFromMemory(b1.data(), b1.size(), &pred).ok());
  if (!pred) return af_test::finish();

  // Fits its training set far better than the mean shape placed in the same box.
  double nme_model = 0, nme_mean = 0, mirror_gap = 0, single_gap = 0;
  for (const TrainFace& f : faces) {
    const BoxF box = FaceBoxFromPoints(f.points);
    const Shape90 p = pred->Predict(images[f.image], box);
    Shape90 mean_shape;
    for (int i = 0; i < kNumPoints; ++i) {
      mean_shape[i] = PointF{box.x + m1.mean[2 * i] * box.w, box.y + m1.mean[2 * i + 1] * box.h};
    }
    nme_model += Nme(p, f.points);
    nme_mean += Nme(mean_shape, f.points);
    // Mirror consistency: predict on the mirrored image and box, mirror the result back.
    const int w = images[f.image].width;
    const Shape90 pm = pred->Predict(MirrorImage(images[f.image]), MirrorBox(box, w));
    mirror_gap += Nme(MirrorShape(pm, w), p);
    // One pass (no mirror averaging) is only approximately mirror-consistent.
    const Shape90 ps = pred->Predict(images[f.image], box, PredictMode::kSingle);
    const Shape90 pms =
        pred->Predict(MirrorImage(images[f.image]), MirrorBox(box, w), PredictMode::kSingle);
    single_gap += Nme(MirrorShape(pms, w), ps);
  }
  single_gap /= faces.size();
  nme_model /= faces.size();
  nme_mean /= faces.size();
  mirror_gap /= faces.size();
  std::printf("training-set NME: model %.4f, mean shape %.4f; mirror gap %.4f (one pass: %.4f)\n",
              nme_model, nme_mean, mirror_gap, single_gap);
  CHECK(nme_model < 0.6 * nme_mean);
  CHECK(mirror_gap < 0.5 * nme_mean);
  // Mirror averaging makes the prediction mirror-consistent up to pixel-grid rounding.
  CHECK(mirror_gap < 0.01);
  CHECK(mirror_gap < single_gap);
  return af_test::finish();
}
