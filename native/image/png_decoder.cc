// PNG through libpng's simplified API (palette, gray, 16-bit, alpha and interlace handled by
// libpng; alpha is composited onto black).
#include <cstring>
#include <string>

#include <png.h>

#include "image/decoders.h"

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
}  // namespace

Status ReadPngHeader(const uint8_t* data, size_t size, ImageHeader* header) {
  PngImage png;
  if (!png_image_begin_read_from_memory(&png.image, data, size)) {
    return Status(ErrorCode::kImageDecodeFailed,
                  std::string("corrupt PNG header: ") + png.image.message);
  }
  header->format = ImageFormat::kPng;
  header->width = png.image.width;
  header->height = png.image.height;
  return Status::Ok();
}

Status DecodePng(const uint8_t* data, size_t size, int channels, uint8_t* out) {
  PngImage png;
  if (!png_image_begin_read_from_memory(&png.image, data, size)) {
    return Status(ErrorCode::kImageDecodeFailed,
                  std::string("corrupt PNG header: ") + png.image.message);
  }
  png.image.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  const png_int_32 stride = static_cast<png_int_32>(png.image.width) * channels;
  if (!png_image_finish_read(&png.image, nullptr, out, stride, nullptr)) {
    return Status(ErrorCode::kImageDecodeFailed,
                  std::string("corrupt PNG data: ") + png.image.message);
  }
  return Status::Ok();
}

}  // namespace decoders
}  // namespace af
