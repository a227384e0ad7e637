// libFuzzer target: the model loaders (FaceDetector and ShapePredictor LoadFromMemory) on
// arbitrary bytes. Both are fed the input as is (container checks: magic, version, kind, size,
// CRC) and, when the input is at least a container header long, a copy whose size and CRC fields
// are rewritten to match, so mutations get past the checksum into the payload parsers.
//
// Checks besides ASan/UBSan: a failed load returns kModelInvalid with a message and no model;
// a successful load returns a model.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "common/model_file.h"
#include "detect/face_detector.h"
#include "shape/shape_predictor.h"

namespace {
constexpr size_t kHeaderSize = 40;  // common/model_file.h

void Require(bool ok) {
  if (!ok) std::abort();
}

template <typename Model>
void Load(const uint8_t* data, size_t size) {
  std::shared_ptr<const Model> model;
  const af::Status s = Model::LoadFromMemory(data, size, &model);
  if (s.ok()) {
    Require(model != nullptr);
  } else {
    Require(model == nullptr && !s.message().empty() && s.code() != af::ErrorCode::kInternal);
  }
}

void LoadBoth(const uint8_t* data, size_t size) {
  Load<af::FaceDetector>(data, size);
  Load<af::ShapePredictor>(data, size);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  LoadBoth(data, size);
  if (size < kHeaderSize) return 0;
  std::vector<uint8_t> fixed(data, data + size);
  const uint64_t payload = size - kHeaderSize;
  for (int i = 0; i < 8; ++i) fixed[24 + i] = static_cast<uint8_t>(payload >> (8 * i));
  const uint32_t crc = af::Crc32(fixed.data() + kHeaderSize, payload);
  for (int i = 0; i < 4; ++i) fixed[32 + i] = static_cast<uint8_t>(crc >> (8 * i));
  LoadBoth(fixed.data(), fixed.size());
  return 0;
}
