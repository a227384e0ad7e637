// Per-format decoders behind image.h. Each reads its own header and decodes into a caller-sized
// buffer of header.width * header.height * channels bytes (channels 1 = gray, 3 = RGB).
#ifndef ANALYZE_FACE_IMAGE_DECODERS_H_
#define ANALYZE_FACE_IMAGE_DECODERS_H_

#include <cstddef>
#include <cstdint>

#include "common/status.h"
#include "image/image.h"

namespace af {
namespace decoders {

Status ReadJpegHeader(const uint8_t* data, size_t size, ImageHeader* header);
Status DecodeJpeg(const uint8_t* data, size_t size, int channels, uint8_t* out);

Status ReadPngHeader(const uint8_t* data, size_t size, ImageHeader* header);
Status DecodePng(const uint8_t* data, size_t size, int channels, uint8_t* out);

Status ReadBmpHeader(const uint8_t* data, size_t size, ImageHeader* header);
Status DecodeBmp(const uint8_t* data, size_t size, int channels, uint8_t* out);

}  // namespace decoders
}  // namespace af

#endif  // ANALYZE_FACE_IMAGE_DECODERS_H_
