// The bar for the shipped pair of models, measured the way it is defined: every face of
// labels/val.jsonl (921), initialised from OUR detector's box (default options; never from a box
// computed from the labels' own points), mirror-averaged prediction, NME over all 90 points
// normalised by the outer-eye-corner distance, label pupils put back in layout order
// (FixPupilOrder). Requires val NME <= 0.019 (dlib's own trainer on the same data: 0.019) and the
// detector to find >= 99 % of the faces. Skips when a model or the data is missing.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "../check.h"
#include "common/face_box.h"
#include "detect/face_detector.h"
#include "eval/metrics.h"
#include "shape/shape_predictor.h"
#include "shape/shape_trainer.h"
#include "train/labels.h"

using namespace af;

int main() {
  if (!std::ifstream(AF_SHAPE_MODEL).good() || !std::ifstream(AF_DETECTOR_MODEL).good()) {
    std::printf("note: a shipped model is missing, skipped\n");
    return af_test::finish();
  }
  std::shared_ptr<const ShapePredictor> shape;
  std::shared_ptr<const FaceDetector> det;
  CHECK(ShapePredictor::LoadFromFile(AF_SHAPE_MODEL, &shape).ok());
  CHECK(FaceDetector::LoadFromFile(AF_DETECTOR_MODEL, &det).ok());
  std::vector<LabeledImage> val;
  if (!shape || !det || !ReadLabels(std::string(AF_DATA_DIR) + "/labels/val.jsonl", &val).ok()) {
    std::printf("note: models or %s/labels/val.jsonl not loadable, skipped\n", AF_DATA_DIR);
    return af_test::finish();
  }
  int faces = 0;
  std::vector<double> nmes;  // per detected face, by the evaluator's own NME (eval/metrics.h)
  for (const LabeledImage& li : val) {
    GrayImage img;
    CHECK(LoadGrayFile(std::string(AF_DATA_DIR) + "/" + li.file, &img).ok());
    const std::vector<Detection> dets = det->Detect(img, DetectOptions{});
    for (const LabeledFace& f : li.faces) {
      ++faces;
      const BoxF truth_box = FaceBoxFromPoints(f.points);  // only to pick which detection is this face
      const Detection* best = nullptr;
      float best_iou = 0.3f;
      for (const Detection& d : dets) {
        const float iou = BoxIoU(truth_box, d.box);
        if (iou >= best_iou) { best_iou = iou; best = &d; }
      }
      if (best == nullptr) continue;
      Shape90 truth = f.points;
      shape::FixPupilOrder(&truth);
      const Shape90 p = shape->Predict(img, best->box);
      const double iod = std::hypot(truth[37].x - truth[45].x, truth[37].y - truth[45].y);
      nmes.push_back(eval::Nme({p.begin(), p.end()}, {truth.begin(), truth.end()}, iod));
    }
  }
  const eval::NmeSummary s = eval::Summarize(nmes);
  const int detected = static_cast<int>(nmes.size());
  const int failures = static_cast<int>(std::lround(s.failure_rate * detected));
  std::printf("val: %d faces, %d detected; NME over 90 points from our detector's boxes: mean %.4f, "
              "failures (> 0.10) %d\n", faces, detected, s.mean, failures);
  CHECK(faces == 921);
  CHECK(detected >= 0.99 * faces);  // [919 of 921]
  CHECK(detected > 0 && s.mean <= 0.019);  // [0.0178 with the session-3 models]
  CHECK(failures <= 3);                     // [1]
  return af_test::finish();
}
