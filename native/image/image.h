// Decoded images and the one place where input limits are enforced.
//
// WHAT THIS REPRESENTS
//   GrayImage: 8-bit luminance, row-major, stride == width, origin top-left, in the file's own
//   stored pixel grid (EXIF orientation is NOT applied).
// THREAD SAFETY
//   All functions are reentrant; no global state.
#ifndef ANALYZE_FACE_IMAGE_IMAGE_H_
#define ANALYZE_FACE_IMAGE_IMAGE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace af {

struct GrayImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height bytes

  bool empty() const { return width <= 0 || height <= 0; }
  const uint8_t* row(int y) const { return pixels.data() + static_cast<size_t>(y) * width; }
  uint8_t* row(int y) { return pixels.data() + static_cast<size_t>(y) * width; }
  uint8_t at(int x, int y) const { return pixels[static_cast<size_t>(y) * width + x]; }
  // Clamped read: coordinates outside the image take the nearest edge pixel.
  uint8_t at_clamped(int x, int y) const {
    x = x < 0 ? 0 : (x >= width ? width - 1 : x);
    y = y < 0 ? 0 : (y >= height ? height - 1 : y);
    return at(x, y);
  }
};

// Interleaved 8-bit RGB (for overlays and tools).
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height * 3 bytes
};

// Limits checked from the header, before any pixel buffer is allocated.
struct ImageLimits {
  uint32_t max_long_side = 8192;
  uint64_t max_pixels = 40000000;  // 40 MP
  uint32_t min_short_side = 32;
};

enum class ImageFormat { kUnknown, kJpeg, kPng, kBmp, kGif, kWebp, kTiff, kHeif, kIco, kPsd };

const char* ImageFormatName(ImageFormat format);

// Sniffs the format from magic bytes.
ImageFormat SniffFormat(const uint8_t* data, size_t size);

struct ImageHeader {
  ImageFormat format = ImageFormat::kUnknown;
  uint32_t width = 0;
  uint32_t height = 0;
};

// Reads only the header. Errors: ImageEmpty (size 0), ImageDecodeFailed (unsupported format,
// the message names it, or a corrupt header).
Status ReadImageHeader(const uint8_t* data, size_t size, ImageHeader* header);

// Checks a header against limits: ImageResolutionExceed / ImageResolutionTooSmall.
Status CheckLimits(const ImageHeader& header, const ImageLimits& limits);

// Header → limits → decode to gray. The single entry point the engine uses.
Status DecodeGray(const uint8_t* data, size_t size, const ImageLimits& limits, GrayImage* out);

// Same, to RGB (gray sources are replicated).
Status DecodeRgb(const uint8_t* data, size_t size, const ImageLimits& limits, RgbImage* out);

// Reads a whole file (tools and trainers). Limits: defaults, with max_long_side raised for tools.
Status LoadGrayFile(const std::string& path, GrayImage* out);
Status ReadFileBytes(const std::string& path, std::vector<uint8_t>* bytes);

}  // namespace af

#endif  // ANALYZE_FACE_IMAGE_IMAGE_H_
