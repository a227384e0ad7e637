// PNG through libpng's simplified API, which handles palette, gray, 1/2/4/16-bit depths, tRNS,
// gamma and Adam7 interlacing, and reports every error (bad CRC of a critical chunk, truncated
// IDAT, bad zlib stream) as a message instead of a longjmp into our code.
//
// CONVENTION
//   - libpng hands us 8-bit sRGB samples in the file's own colour type (gray, gray+alpha, RGB,
//     RGBA); conversion to the caller's channel count, gray (BT.601) and alpha (over black) is
//     ours (pixel_convert.h), so PNG, BMP and JPEG agree. libpng's own RGB → gray would use
//     different coefficients in linear light.
//   - 16-bit samples without gAMA/sRGB/iCCP are taken as sRGB-encoded (PNG_IMAGE_FLAG_16BIT_sRGB),
//     as nearly every 16-bit PNG in the wild is; 16 → 8 bits is then v * 255 / 65535 rounded.
//   - Before anything is allocated the dimensions are checked against the compressed size:
//     deflate cannot expand more than 1032:1, so a header claiming more raw (filtered) bytes
//     than the file could hold is refused as truncated without decoding.
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <png.h>

#include "image/decoders.h"
#include "image/pixel_convert.h"

namespace af {
namespace decoders {

namespace {
struct PngImage {
  png_image image;
  PngImage() {
    std::memset(&image, 0, sizeof(image));
    image.version = PNG_IMAGE_VERSION;
  }
  ~PngImage() { png_image_free(&image); }
  PngImage(const PngImage&) = delete;
  PngImage& operator=(const PngImage&) = delete;
};

constexpr uint64_t kMaxDeflateRatio = 1032;

Status BeginRead(const uint8_t* data, size_t size, PngImage* png) {
  if (!png_image_begin_read_from_memory(&png->image, data, size)) {
    return Status(ErrorCode::kImageDecodeFailed,
                  std::string("corrupt PNG header: ") + png->image.message);
  }
  // Smallest possible raw image: IHDR's bits per pixel, plus one filter byte per row. (libpng
  // has just validated the signature and IHDR, which must be the first chunk: bytes 8..32.)
  const uint64_t w = png->image.width, h = png->image.height;
  uint64_t bits_per_pixel = 1;
  if (size >= 33) {
    const unsigned depth = data[24], colour_type = data[25];
    const unsigned samples = colour_type == 2 ? 3 : colour_type == 4 ? 2 : colour_type == 6 ? 4 : 1;
    bits_per_pixel = static_cast<uint64_t>(depth) * samples;
  }
  const uint64_t min_raw = h * (1 + (w * bits_per_pixel + 7) / 8);
  if (min_raw > kMaxDeflateRatio * size + 1024) {
    char msg[160];
    std::snprintf(msg, sizeof(msg),
                  "truncated PNG: %" PRIu64 "x%" PRIu64 " pixels cannot be stored in %zu bytes",
                  w, h, size);
    return Status(ErrorCode::kImageDecodeFailed, msg);
  }
  return Status::Ok();
}
}  // namespace

Status ReadPngHeader(const uint8_t* data, size_t size, ImageHeader* header) {
  PngImage png;
  Status s = BeginRead(data, size, &png);
  if (!s.ok()) return s;
  header->format = ImageFormat::kPng;
  header->width = png.image.width;
  header->height = png.image.height;
  return Status::Ok();
}

Status DecodePng(const uint8_t* data, size_t size, int channels, uint8_t* out) {
  if (channels != 1 && channels != 3) {
    return Status(ErrorCode::kInternal, "PNG decode asked for neither 1 nor 3 channels");
  }
  PngImage png;
  Status s = BeginRead(data, size, &png);
  if (!s.ok()) return s;
  const bool color = (png.image.format & PNG_FORMAT_FLAG_COLOR) != 0;
  const bool alpha = (png.image.format & PNG_FORMAT_FLAG_ALPHA) != 0;  // includes tRNS
  const int src_channels = (color ? 3 : 1) + (alpha ? 1 : 0);
  png.image.format = color ? (alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB)
                           : (alpha ? PNG_FORMAT_GA : PNG_FORMAT_GRAY);
  png.image.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;
  const size_t width = png.image.width, height = png.image.height;

  if (src_channels == channels) {  // straight into the caller's buffer
    const png_int_32 stride = static_cast<png_int_32>(width * channels);
    if (!png_image_finish_read(&png.image, nullptr, out, stride, nullptr)) {
      return Status(ErrorCode::kImageDecodeFailed,
                    std::string("corrupt PNG data: ") + png.image.message);
    }
    return Status::Ok();
  }
  // Dimensions were limit-checked by the caller before `out` was sized; the scratch image is at
  // most 4/channels times that.
  std::vector<uint8_t> scratch(width * height * src_channels);
  const png_int_32 stride = static_cast<png_int_32>(width * src_channels);
  if (!png_image_finish_read(&png.image, nullptr, scratch.data(), stride, nullptr)) {
    return Status(ErrorCode::kImageDecodeFailed,
                  std::string("corrupt PNG data: ") + png.image.message);
  }
  for (size_t y = 0; y < height; ++y) {
    pixels::ConvertRow(scratch.data() + y * stride, src_channels, width,
                       out + y * width * channels, channels);
  }
  return Status::Ok();
}

}  // namespace decoders
}  // namespace af
