#include "detect/face_detector.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "detect/scan.h"

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace af {

struct FaceDetector::Impl {
  DetectorModel model;
};

FaceDetector::FaceDetector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaceDetector::~FaceDetector() = default;

Status FaceDetector::LoadFromMemory(const uint8_t* data, size_t size,
                                    std::shared_ptr<const FaceDetector>* out) {
  if (out == nullptr) return Status(ErrorCode::kInternal, "null output");
  if (data == nullptr && size != 0) return Status(ErrorCode::kModelInvalid, "null model data");
  try {
    auto impl = std::make_unique<Impl>();
    Status s = ParseDetectorFile(data, size, &impl->model);
    if (!s.ok()) return s;
    out->reset(new FaceDetector(std::move(impl)));
    return Status::Ok();
  } catch (const std::bad_alloc&) {
    return Status(ErrorCode::kInternal, "out of memory loading the face detector");
  } catch (...) {
    return Status(ErrorCode::kInternal, "unexpected error loading the face detector");
  }
}

Status FaceDetector::LoadFromFile(const std::string& path, std::shared_ptr<const FaceDetector>* out) {
  std::vector<uint8_t> bytes;
  Status s = ReadFileBytes(path, &bytes);
  if (!s.ok()) return Status(ErrorCode::kModelInvalid, "cannot read face detector model " + path);
  return LoadFromMemory(bytes.data(), bytes.size(), out);
}

std::vector<Detection> FaceDetector::Detect(const GrayImage& image, const DetectOptions& options) const {
  std::vector<Detection> result;
  try {
    const DetectorModel& m = impl_->model;
    if (image.empty() || image.pixels.size() < static_cast<size_t>(image.width) * image.height) {
      return result;
    }
    const float adjust = std::isfinite(options.threshold_adjust) ? options.threshold_adjust : 0.f;
    const std::vector<PyramidLevel> levels = BuildPyramid(image, options.min_face_size, m);
    const int n = static_cast<int>(levels.size());
    std::vector<std::vector<RawDetection>> per_level(n);
    const int threads = std::max(1, std::min(options.threads, 64));
    // Levels run largest first, so each thread's buffers are allocated once.
#pragma omp parallel num_threads(threads) if (threads > 1)
    {
      FhogImage fhog;
      FhogScratch scratch;
      ScanScratch scan_scratch;
#pragma omp for schedule(dynamic, 1)
      for (int i = 0; i < n; ++i) {
        ComputeFhog(levels[i].image, &fhog, &scratch);
        ScanLevel(fhog, m, i, adjust, true, &per_level[i], &scan_scratch);
      }
    }
    std::vector<BoxF> boxes;
    std::vector<float> scores;
    std::vector<int> comps;
    for (int i = 0; i < n; ++i) {
      for (const RawDetection& d : per_level[i]) {
        const DetectorComponent& c = m.components[d.component];
        const BoxF b = WindowToImageBox(m, levels[i], d.cx + d.sub_x, d.cy + d.sub_y);
        boxes.push_back(CorrectBox(c, b));
        scores.push_back(d.response - c.threshold);
        comps.push_back(d.component);
      }
    }
    const std::vector<int> kept = NonMaxSuppression(boxes, scores, m.nms_iou, m.nms_contain);
    result.reserve(kept.size());
    for (int k : kept) result.push_back(Detection{boxes[k], scores[k], comps[k]});
    std::stable_sort(result.begin(), result.end(),
                     [](const Detection& a, const Detection& b) { return a.box.area() > b.box.area(); });
  } catch (...) {
    result.clear();  // out of memory: report no faces rather than let an exception escape
  }
  return result;
}

}  // namespace af
