#include "common/model_file.h"

#include <array>

namespace af {

namespace {
constexpr char kMagic[8] = {'A', 'F', 'M', 'O', 'D', 'E', 'L', '\0'};
constexpr uint32_t kContainerVersion = 1;
constexpr size_t kHeaderSize = 40;

std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
}  // namespace

uint32_t Crc32(const uint8_t* data, size_t size) {
  static const std::array<uint32_t, 256> table = MakeCrcTable();
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

Status OpenModelFile(const uint8_t* file, size_t size, ModelKind expected_kind,
                     const std::string& what, ModelHeader* header, const uint8_t** payload,
                     size_t* payload_size) {
  auto fail = [&](const std::string& why) {
    return Status(ErrorCode::kModelInvalid, what + ": " + why);
  };
  if (file == nullptr || size < kHeaderSize) return fail("file too short to be a model");
  if (std::memcmp(file, kMagic, 8) != 0) return fail("not an analyze-face model (bad magic)");
  ByteReader r(file + 8, kHeaderSize - 8);
  const uint32_t container = r.u32();
  const uint32_t kind = r.u32();
  const uint32_t version = r.u32();
  const uint32_t layout = r.u32();
  const uint32_t size_lo = r.u32();
  const uint32_t size_hi = r.u32();
  const uint32_t crc = r.u32();
  if (container != kContainerVersion) {
    return fail("unsupported container version " + std::to_string(container));
  }
  if (kind != static_cast<uint32_t>(expected_kind)) {
    return fail("wrong model kind " + std::to_string(kind) + " (expected " +
                std::to_string(static_cast<uint32_t>(expected_kind)) + ")");
  }
  const uint64_t declared = (static_cast<uint64_t>(size_hi) << 32) | size_lo;
  if (declared != size - kHeaderSize) {
    return fail("truncated or padded: payload declares " + std::to_string(declared) +
                " bytes, file holds " + std::to_string(size - kHeaderSize));
  }
  if (Crc32(file + kHeaderSize, size - kHeaderSize) != crc) return fail("checksum mismatch");
  header->kind = expected_kind;
  header->format_version = version;
  header->layout_id = layout;
  *payload = file + kHeaderSize;
  *payload_size = size - kHeaderSize;
  return Status::Ok();
}

std::vector<uint8_t> WriteModelFile(const ModelHeader& header, const std::vector<uint8_t>& payload) {
  ByteWriter w;
  w.array(kMagic, 8);
  w.u32(kContainerVersion);
  w.u32(static_cast<uint32_t>(header.kind));
  w.u32(header.format_version);
  w.u32(header.layout_id);
  const uint64_t n = payload.size();
  w.u32(static_cast<uint32_t>(n & 0xFFFFFFFFu));
  w.u32(static_cast<uint32_t>(n >> 32));
  w.u32(Crc32(payload.data(), payload.size()));
  w.u32(0);
  std::vector<uint8_t> out = std::move(w.bytes());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

}  // namespace af
