// The pipeline behind analyzeFace(): decode → detect → order and cut → shape. Never throws.
#include "engine/analyzer.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>
#include <utility>

namespace af {

namespace {

// Options that came through the addon are validated in TS already; the engine re-checks them
// because tools and tests call it directly.
Status CheckOptions(const AnalyzeOptions& o) {
  char msg[160];
  if (o.mode != 0 && o.mode != 1) {
    std::snprintf(msg, sizeof(msg), "Mode must be 0 (all faces) or 1 (largest face), got %d", o.mode);
    return Status(ErrorCode::kInvalidParameter, msg);
  }
  if (o.max_faces < 1 || o.max_faces > 10) {
    std::snprintf(msg, sizeof(msg), "maxFaces must be an integer from 1 to 10, got %d", o.max_faces);
    return Status(ErrorCode::kInvalidParameter, msg);
  }
  if (!(o.detect.min_face_size >= 1.f) || !(o.detect.min_face_size <= 100000.f)) {
    return Status(ErrorCode::kInvalidParameter, "minFaceSize must be a number >= 1");
  }
  if (o.detect.threads < 1 || o.detect.threads > 64) {
    return Status(ErrorCode::kInvalidParameter, "detector threads must be from 1 to 64");
  }
  return Status::Ok();
}

}  // namespace

Status Analyzer::LoadFromFiles(const std::string& detector_path, const std::string& shape_path,
                               std::shared_ptr<const Analyzer>* out) {
  if (out == nullptr) return Status(ErrorCode::kInternal, "LoadFromFiles: out is null");
  try {
    std::shared_ptr<const FaceDetector> detector;
    Status s = FaceDetector::LoadFromFile(detector_path, &detector);
    if (!s.ok()) return s;
    std::shared_ptr<const ShapePredictor> shape;
    s = ShapePredictor::LoadFromFile(shape_path, &shape);
    if (!s.ok()) return s;
    if (!detector || !shape) {
      return Status(ErrorCode::kModelInvalid, "a model loader returned no model");
    }
    *out = std::make_shared<const Analyzer>(std::move(detector), std::move(shape));
    return Status::Ok();
  } catch (const std::bad_alloc&) {
    return Status(ErrorCode::kInternal, "out of memory while loading the models");
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, std::string("loading the models failed: ") + e.what());
  } catch (...) {
    return Status(ErrorCode::kInternal, "loading the models failed (unknown exception)");
  }
}

AnalyzeResult Analyzer::Analyze(const uint8_t* data, size_t size,
                                const AnalyzeOptions& options) const {
  AnalyzeResult result;
  try {
    result.status = CheckOptions(options);
    if (!result.status.ok()) return result;
    GrayImage image;
    result.status = DecodeGray(data, size, options.limits, &image);
    if (!result.status.ok()) return result;
    return AnalyzeGray(image, options);
  } catch (const std::bad_alloc&) {
    result.status = Status(ErrorCode::kInternal, "out of memory while decoding the image");
  } catch (const std::exception& e) {
    result.status = Status(ErrorCode::kInternal, std::string("analysis failed: ") + e.what());
  } catch (...) {
    result.status = Status(ErrorCode::kInternal, "analysis failed (unknown exception)");
  }
  result.faces.clear();
  return result;
}

AnalyzeResult Analyzer::AnalyzeGray(const GrayImage& image, const AnalyzeOptions& options) const {
  AnalyzeResult result;
  try {
    result.status = CheckOptions(options);
    if (!result.status.ok()) return result;
    if (image.empty() ||
        image.pixels.size() != static_cast<size_t>(image.width) * static_cast<size_t>(image.height)) {
      result.status = Status(ErrorCode::kImageDecodeFailed, "the decoded image is empty or inconsistent");
      return result;
    }
    result.image_width = image.width;
    result.image_height = image.height;

    std::vector<Detection> dets = detector_->Detect(image, options.detect);
    // The detector promises area order; sort again (stable, score breaks ties) so the engine's
    // contract does not depend on it.
    std::stable_sort(dets.begin(), dets.end(), [](const Detection& a, const Detection& b) {
      const float aa = a.box.area(), ba = b.box.area();
      if (aa != ba) return aa > ba;
      return a.score > b.score;
    });
    dets.erase(std::remove_if(dets.begin(), dets.end(),
                              [](const Detection& d) { return !(d.box.w > 0.f && d.box.h > 0.f); }),
               dets.end());
    if (dets.empty()) {
      char msg[200];
      std::snprintf(msg, sizeof(msg),
                    "no face found in the %dx%d image (faces smaller than about %.0f px are not "
                    "searched; the detector finds upright faces turned less than about 45 degrees)",
                    image.width, image.height, static_cast<double>(options.detect.min_face_size));
      result.status = Status(ErrorCode::kNoFaceInPhoto, msg);
      return result;
    }
    const size_t keep = options.mode == 1 ? 1u : static_cast<size_t>(options.max_faces);
    if (dets.size() > keep) dets.resize(keep);

    result.faces.reserve(dets.size());
    for (const Detection& d : dets) {
      FaceResult face;
      face.box = d.box;
      face.score = d.score;
      face.points = shape_->Predict(image, d.box);
      result.faces.push_back(face);
    }
    result.status = Status::Ok();
  } catch (const std::bad_alloc&) {
    result.status = Status(ErrorCode::kInternal, "out of memory during face analysis");
    result.faces.clear();
  } catch (const std::exception& e) {
    result.status = Status(ErrorCode::kInternal, std::string("face analysis failed: ") + e.what());
    result.faces.clear();
  } catch (...) {
    result.status = Status(ErrorCode::kInternal, "face analysis failed (unknown exception)");
    result.faces.clear();
  }
  return result;
}

}  // namespace af
