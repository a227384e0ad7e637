// Our detector + shape predictor as the evaluation tools use them, behind one small facade so the
// tools still build (dlib-only mode) while native/detect or native/shape is not in the tree yet.
#ifndef ANALYZE_FACE_EVAL_OURS_H_
#define ANALYZE_FACE_EVAL_OURS_H_

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "image/image.h"

namespace af {
namespace eval {

struct OurDetection {
  BoxF box;
  float score = 0;
};

class Ours {
 public:
  // False when the tools were built without af_detect/af_shape (dlib-only mode).
  static bool Available();

  /*!  ensures - loads whichever of the two paths is non-empty; errors name the file  !*/
  Status Load(const std::string& detector_path, const std::string& shape_path);
  bool has_detector() const;
  bool has_shape() const;

  /*!  requires - has_detector()
       ensures  - detections with score (model-relative: >= 0 is a detection at the default
                  threshold); threshold_adjust < 0 also returns weaker candidates  !*/
  std::vector<OurDetection> Detect(const GrayImage& image, float min_face_size,
                                   float threshold_adjust = 0.f) const;
  /*!  requires - has_shape()
       ensures  - the predictor's default mode (mirror-averaged); single_pass = true runs the
                  cascade once (PredictMode::kSingle)  !*/
  Shape90 Predict(const GrayImage& image, const BoxF& box, bool single_pass = false) const;

  Ours();
  ~Ours();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace eval
}  // namespace af

#endif  // ANALYZE_FACE_EVAL_OURS_H_
