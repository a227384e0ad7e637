// The container every analyze-face model file uses (shape predictor and face detector alike).
//
// Byte format (all integers little-endian, floats IEEE-754 binary32 little-endian):
//   offset  size  field
//   0       8     magic "AFMODEL\0"
//   8       4     container version (1)
//   12      4     kind: 1 = shape predictor, 2 = face detector
//   16      4     kind-specific format version (each reader lists the versions it accepts)
//   20      4     point layout id (90 for the 90-point layout; 0 when not applicable)
//   24      8     payload size in bytes
//   32      4     CRC-32 (IEEE 802.3, as zlib's crc32) of the payload
//   36      4     reserved, 0
//   40      ...   payload (kind-specific, read through ByteReader)
// The file must be exactly 40 + payload size bytes long.
#ifndef ANALYZE_FACE_COMMON_MODEL_FILE_H_
#define ANALYZE_FACE_COMMON_MODEL_FILE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common/status.h"

namespace af {

enum class ModelKind : uint32_t { kShapePredictor = 1, kFaceDetector = 2 };

struct ModelHeader {
  ModelKind kind = ModelKind::kShapePredictor;
  uint32_t format_version = 0;
  uint32_t layout_id = 0;
};

uint32_t Crc32(const uint8_t* data, size_t size);

// Validates the container (magic, container version, kind, size, checksum) and returns a view
// of the payload inside `file`. Every failure is kModelInvalid with a message naming `what`.
Status OpenModelFile(const uint8_t* file, size_t size, ModelKind expected_kind,
                     const std::string& what, ModelHeader* header, const uint8_t** payload,
                     size_t* payload_size);

// Wraps a payload into a complete model file.
std::vector<uint8_t> WriteModelFile(const ModelHeader& header, const std::vector<uint8_t>& payload);

// Bounds-checked little-endian reader. After any failed read ok() is false and every later read
// returns zeros, so a parser can read a whole record and check once.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool ok() const { return ok_; }
  size_t remaining() const { return ok_ ? size_ - pos_ : 0; }
  bool at_end() const { return ok_ && pos_ == size_; }

  uint32_t u32() { uint32_t v = 0; read(&v, 4); return v; }
  int32_t i32() { int32_t v = 0; read(&v, 4); return v; }
  uint16_t u16() { uint16_t v = 0; read(&v, 2); return v; }
  uint8_t u8() { uint8_t v = 0; read(&v, 1); return v; }
  float f32() { float v = 0; read(&v, 4); return v; }
  // Copies n elements of trivially copyable T; fails (without reading) if they do not fit.
  template <typename T>
  bool array(T* out, size_t n) {
    if (!ok_ || n > (size_ - pos_) / sizeof(T)) { ok_ = false; return false; }
    std::memcpy(out, data_ + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }

 private:
  void read(void* out, size_t n) {
    if (!ok_ || size_ - pos_ < n) { ok_ = false; return; }
    std::memcpy(out, data_ + pos_, n);  // host is little-endian (x86-64, arm64)
    pos_ += n;
  }
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  bool ok_ = true;
};

class ByteWriter {
 public:
  void u32(uint32_t v) { put(&v, 4); }
  void i32(int32_t v) { put(&v, 4); }
  void u16(uint16_t v) { put(&v, 2); }
  void u8(uint8_t v) { put(&v, 1); }
  void f32(float v) { put(&v, 4); }
  template <typename T>
  void array(const T* p, size_t n) { put(p, n * sizeof(T)); }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  void put(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    bytes_.insert(bytes_.end(), b, b + n);
  }
  std::vector<uint8_t> bytes_;
};

}  // namespace af

#endif  // ANALYZE_FACE_COMMON_MODEL_FILE_H_
