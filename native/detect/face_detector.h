// The HOG face detector: Dalal-Triggs sliding windows over Felzenszwalb's 31-dimensional FHOG
// features (8-pixel cells), linear filters (several components) scanned over an image pyramid,
// non-maximum suppression.
//
// WHAT THIS REPRESENTS
//   An immutable, validated model. Detect() outputs boxes in the face-box convention of
//   common/face_box.h, so they initialise the shape predictor directly.
// THREAD SAFETY
//   Const after Load(); all per-call buffers are local to Detect(), so one instance is shared by
//   all threads.
#ifndef ANALYZE_FACE_DETECT_FACE_DETECTOR_H_
#define ANALYZE_FACE_DETECT_FACE_DETECTOR_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "image/image.h"

namespace af {

struct Detection {
  BoxF box;           // face-box convention, image pixels
  float score = 0.f;  // filter response minus the model's threshold (> 0 = detection)
  int component = 0;  // which filter fired
};

// min_face_size: the first pyramid level maps it onto the filter's face size (upsampling at most
// 4x and to at most 24 Mpixels; below that the effective smallest face grows). Faces up to the
// whole image (slightly beyond: each level is padded by the model's pad_cells) are scanned.
struct DetectOptions {
  float min_face_size = 40.f;  // smallest face side in pixels; the first level is upsampled if needed
  float threshold_adjust = 0.f;  // added to the model threshold (negative = more recall)
  int threads = 1;             // parallelism over pyramid levels inside one call
};

class FaceDetector {
 public:
  static Status LoadFromMemory(const uint8_t* data, size_t size,
                               std::shared_ptr<const FaceDetector>* out);
  static Status LoadFromFile(const std::string& path, std::shared_ptr<const FaceDetector>* out);

  /*!  ensures - detections after non-maximum suppression, sorted by box area, largest first  !*/
  std::vector<Detection> Detect(const GrayImage& image, const DetectOptions& options) const;

  ~FaceDetector();
  FaceDetector(const FaceDetector&) = delete;
  FaceDetector& operator=(const FaceDetector&) = delete;

  struct Impl;

 private:
  explicit FaceDetector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace af

#endif  // ANALYZE_FACE_DETECT_FACE_DETECTOR_H_
