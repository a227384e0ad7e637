// The whole pipeline behind analyzeFace(): decode → gray → detect → shape → order and cut.
//
// WHAT THIS REPRESENTS
//   A pair of loaded models. Analyze() is const and thread-safe: every call keeps its buffers on
//   its own stack, so one Analyzer serves every AsyncWorker and worker thread at once.
#ifndef ANALYZE_FACE_ENGINE_ANALYZER_H_
#define ANALYZE_FACE_ENGINE_ANALYZER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "detect/face_detector.h"
#include "image/image.h"
#include "shape/shape_predictor.h"

namespace af {

struct AnalyzeOptions {
  int mode = 0;        // 0: all faces (at most max_faces), 1: only the largest
  int max_faces = 10;  // 1..10
  ImageLimits limits;
  DetectOptions detect;
};

struct FaceResult {
  BoxF box;
  float score = 0.f;
  Shape90 points;
};

struct AnalyzeResult {
  Status status;
  int image_width = 0;
  int image_height = 0;
  std::vector<FaceResult> faces;  // largest first
};

class Analyzer {
 public:
  Analyzer(std::shared_ptr<const FaceDetector> detector,
           std::shared_ptr<const ShapePredictor> shape)
      : detector_(std::move(detector)), shape_(std::move(shape)) {}

  static Status LoadFromFiles(const std::string& detector_path, const std::string& shape_path,
                              std::shared_ptr<const Analyzer>* out);

  // Never throws. NoFaceInPhoto when nothing is detected (Tencent rejects such photos).
  AnalyzeResult Analyze(const uint8_t* data, size_t size, const AnalyzeOptions& options) const;
  // Same on an already decoded image (tools, benchmarks).
  AnalyzeResult AnalyzeGray(const GrayImage& image, const AnalyzeOptions& options) const;

 private:
  std::shared_ptr<const FaceDetector> detector_;
  std::shared_ptr<const ShapePredictor> shape_;
};

}  // namespace af

#endif  // ANALYZE_FACE_ENGINE_ANALYZER_H_
