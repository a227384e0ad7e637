#include "eval/ours.h"

#ifndef AF_EVAL_NO_MODELS
#include "detect/face_detector.h"
#include "shape/shape_predictor.h"
#endif

namespace af {
namespace eval {

#ifndef AF_EVAL_NO_MODELS

struct Ours::State {
  std::shared_ptr<const FaceDetector> detector;
  std::shared_ptr<const ShapePredictor> shape;
};

bool Ours::Available() { return true; }

Status Ours::Load(const std::string& detector_path, const std::string& shape_path) {
  if (!detector_path.empty()) {
    Status st = FaceDetector::LoadFromFile(detector_path, &state_->detector);
    if (!st.ok()) return Status(st.code(), detector_path + ": " + st.message());
  }
  if (!shape_path.empty()) {
    Status st = ShapePredictor::LoadFromFile(shape_path, &state_->shape);
    if (!st.ok()) return Status(st.code(), shape_path + ": " + st.message());
  }
  return Status::Ok();
}

bool Ours::has_detector() const { return state_->detector != nullptr; }
bool Ours::has_shape() const { return state_->shape != nullptr; }

std::vector<OurDetection> Ours::Detect(const GrayImage& image, float min_face_size,
                                       float threshold_adjust) const {
  DetectOptions options;
  options.min_face_size = min_face_size;
  options.threshold_adjust = threshold_adjust;
  options.threads = 1;
  std::vector<OurDetection> out;
  for (const Detection& d : state_->detector->Detect(image, options)) {
    out.push_back(OurDetection{d.box, d.score});
  }
  return out;
}

Shape90 Ours::Predict(const GrayImage& image, const BoxF& box, bool single_pass) const {
  return single_pass ? state_->shape->Predict(image, box, PredictMode::kSingle)
                     : state_->shape->Predict(image, box);
}

#else  // built without the model libraries: every query reports "not available"

struct Ours::State {};

bool Ours::Available() { return false; }

Status Ours::Load(const std::string& detector_path, const std::string& shape_path) {
  if (detector_path.empty() && shape_path.empty()) return Status::Ok();
  return Status(ErrorCode::kModelInvalid,
                "this build has no af_detect/af_shape (dlib-only mode); rebuild build-eval");
}

bool Ours::has_detector() const { return false; }
bool Ours::has_shape() const { return false; }
std::vector<OurDetection> Ours::Detect(const GrayImage&, float, float) const { return {}; }
Shape90 Ours::Predict(const GrayImage&, const BoxF&, bool) const { return Shape90{}; }

#endif

Ours::Ours() : state_(std::make_unique<State>()) {}
Ours::~Ours() = default;

}  // namespace eval
}  // namespace af
