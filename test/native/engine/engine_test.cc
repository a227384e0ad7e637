// Tests of native/engine: the checks that need no model, then (when models/ has the trained
// models) the whole pipeline on the example photo.
#include <cstdio>
#include <string>
#include <vector>

#include "../check.h"
#include "common/status.h"
#include "engine/analyzer.h"
#include "engine/model_cache.h"
#include "image/image.h"

namespace {

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::vector<uint8_t> bytes;
  af::ReadFileBytes(path, &bytes);
  return bytes;
}

bool Exists(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f) std::fclose(f);
  return f != nullptr;
}

void TestChecksBeforeModels() {
  // Options and image problems are reported before any model is touched: an Analyzer without
  // models must still answer them.
  af::Analyzer empty(nullptr, nullptr);
  const std::vector<uint8_t> jpeg = ReadFile(std::string(AF_SOURCE_DIR) + "/test/fixtures/astronaut.jpg");
  CHECK(!jpeg.empty());
  af::AnalyzeOptions o;
  o.mode = 2;
  CHECK(empty.Analyze(jpeg.data(), jpeg.size(), o).status.code() == af::ErrorCode::kInvalidParameter);
  o.mode = 0;
  o.max_faces = 0;
  CHECK(empty.Analyze(jpeg.data(), jpeg.size(), o).status.code() == af::ErrorCode::kInvalidParameter);
  o.max_faces = 11;
  CHECK(empty.Analyze(jpeg.data(), jpeg.size(), o).status.code() == af::ErrorCode::kInvalidParameter);
  o.max_faces = 10;
  CHECK(empty.Analyze(nullptr, 0, o).status.code() == af::ErrorCode::kImageEmpty);
  const uint8_t gif[] = {'G', 'I', 'F', '8', '9', 'a', 0, 0, 0, 0, 0, 0};
  af::AnalyzeResult r = empty.Analyze(gif, sizeof(gif), o);
  CHECK(r.status.code() == af::ErrorCode::kImageDecodeFailed);
  CHECK(r.status.message().find("GIF") != std::string::npos);
  CHECK(r.faces.empty());
  o.limits.max_long_side = 511;  // astronaut.jpg is 512x512
  CHECK(empty.Analyze(jpeg.data(), jpeg.size(), o).status.code() ==
        af::ErrorCode::kImageResolutionExceed);
  o.limits = af::ImageLimits();
  o.limits.min_short_side = 513;
  o.limits.max_long_side = 1000;
  CHECK(empty.Analyze(jpeg.data(), jpeg.size(), o).status.code() ==
        af::ErrorCode::kImageResolutionTooSmall);
  // An inconsistent decoded image is refused, not read out of bounds.
  af::GrayImage bad;
  bad.width = 100;
  bad.height = 100;
  bad.pixels.resize(10);
  CHECK(empty.AnalyzeGray(bad, af::AnalyzeOptions()).status.code() ==
        af::ErrorCode::kImageDecodeFailed);
}

void TestCacheMissingFiles() {
  std::shared_ptr<const af::Analyzer> a;
  const size_t before = af::AnalyzerCacheSize();
  af::Status s = af::GetSharedAnalyzer("/nonexistent/detector.afm", "/nonexistent/shape90.afm", &a);
  CHECK(!s.ok());
  CHECK(a == nullptr);
  CHECK(!s.message().empty());
  CHECK(af::AnalyzerCacheSize() == before);  // failures are not cached
  CHECK(std::string(s.tencent_code()).size() > 0);
}

void TestPipelineWithModels() {
  const std::string det = std::string(AF_SOURCE_DIR) + "/models/detector.afm";
  const std::string shp = std::string(AF_SOURCE_DIR) + "/models/shape90.afm";
  if (!Exists(det) || !Exists(shp)) {
    std::printf("NOTE: models/ has no trained models yet; pipeline checks not run\n");
    return;
  }
  std::shared_ptr<const af::Analyzer> a1, a2;
  CHECK(af::GetSharedAnalyzer(det, shp, &a1).ok());
  CHECK(af::GetSharedAnalyzer(det, shp, &a2).ok());
  CHECK(a1 != nullptr && a1 == a2);  // loaded once, shared
  if (!a1) return;
  const std::vector<uint8_t> jpeg = ReadFile(std::string(AF_SOURCE_DIR) + "/test/fixtures/astronaut.jpg");
  af::AnalyzeOptions o;
  af::AnalyzeResult r = a1->Analyze(jpeg.data(), jpeg.size(), o);
  CHECK(r.status.ok());
  CHECK(r.image_width == 512 && r.image_height == 512);
  CHECK(!r.faces.empty());
  for (size_t i = 1; i < r.faces.size(); ++i) CHECK(r.faces[i - 1].box.area() >= r.faces[i].box.area());
  if (!r.faces.empty()) {
    const af::Shape90& p = r.faces[0].points;
    CHECK(p[37].x < p[45].x);  // LeftEye[0] is left of RightEye[0]
    CHECK(p[88].y < p[66].y);  // pupils above the mouth
    CHECK(p[53].y > p[88].y);  // nose tip below the left pupil
  }
  o.mode = 1;
  af::AnalyzeResult r1 = a1->Analyze(jpeg.data(), jpeg.size(), o);
  CHECK(r1.status.ok() && r1.faces.size() == 1);
  // A face-free image: NoFaceInPhoto.
  af::GrayImage flat;
  flat.width = 200;
  flat.height = 200;
  flat.pixels.assign(200 * 200, 128);
  CHECK(a1->AnalyzeGray(flat, af::AnalyzeOptions()).status.code() == af::ErrorCode::kNoFaceInPhoto);
}

}  // namespace

int main() {
  TestChecksBeforeModels();
  TestCacheMissingFiles();
  TestPipelineWithModels();
  return af_test::finish();
}
