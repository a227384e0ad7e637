// The 90-point shape predictor: an ensemble of regression trees (Kazemi & Sullivan, "One
// Millisecond Face Alignment with an Ensemble of Regression Trees", CVPR 2014).
//
// WHAT THIS REPRESENTS
//   An immutable, validated model. Predict() starts from the mean shape placed in a face box
//   (convention: common/face_box.h) and refines it through a cascade of forests whose split
//   features are pixel-intensity differences at points anchored to the nearest mean-shape
//   landmark and carried by the similarity transform from the mean shape to the current estimate.
// THREAD SAFETY
//   Const after Load(); one instance is shared by all threads (std::shared_ptr<const ...>).
#ifndef ANALYZE_FACE_SHAPE_SHAPE_PREDICTOR_H_
#define ANALYZE_FACE_SHAPE_SHAPE_PREDICTOR_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "common/types.h"
#include "image/image.h"

namespace af {

// kMirrorAverage (the default) runs the cascade on the face and on its mirror image and averages
// the two (twice the time, lower error); kSingle runs it once.
enum class PredictMode { kMirrorAverage, kSingle };

class ShapePredictor {
 public:
  // Parses and validates a model file's bytes (container + every structural requirement).
  static Status LoadFromMemory(const uint8_t* data, size_t size,
                               std::shared_ptr<const ShapePredictor>* out);
  static Status LoadFromFile(const std::string& path, std::shared_ptr<const ShapePredictor>* out);

  /*!  requires - !image.empty(), box.w > 0, box.h > 0 (the box may extend past the image;
                  pixels are sampled with clamping)
       ensures  - returns the 90 points in model index order, in image pixel coordinates
                - with kMirrorAverage the result is mirror-consistent: mirroring image and box
                  gives the mirrored points (up to float rounding)  !*/
  Shape90 Predict(const GrayImage& image, const BoxF& box,
                  PredictMode mode = PredictMode::kMirrorAverage) const;

  ~ShapePredictor();
  ShapePredictor(const ShapePredictor&) = delete;
  ShapePredictor& operator=(const ShapePredictor&) = delete;

  struct Impl;

 private:
  explicit ShapePredictor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace af

#endif  // ANALYZE_FACE_SHAPE_SHAPE_PREDICTOR_H_
