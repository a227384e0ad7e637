// Decoded images and the one place where input limits are enforced.
//
// WHAT THIS REPRESENTS
//   GrayImage: 8-bit luminance, row-major, stride == width, origin top-left, in the file's own
//   stored pixel grid (EXIF orientation is NOT applied).
// FORMATS
//   JPEG (libjpeg-turbo: baseline, progressive, arithmetic, restart markers, gray, RGB, CMYK and
//   YCCK taken as Adobe-inverted), PNG (libpng: every colour type and depth, tRNS, Adam7), BMP
//   (our own strict decoder, bmp_decoder.cc: core/info/V4/V5 headers, 1/4/8-bit palettes,
//   16/32-bit with masks, 24-bit, RLE8/RLE4, top-down). Everything else is refused with
//   ImageDecodeFailed and a message naming the format (GIF, WebP, TIFF, HEIF/AVIF, ICO, PSD).
// CONVENTIONS (the same for every format, see pixel_convert.h)
//   - Gray is ITU-R BT.601 luma with libjpeg's fixed-point constants, so identical pixels in a
//     PNG and a BMP decode to identical gray bytes; gray sources pass through unchanged.
//   - Alpha (PNG) is composited onto black; BMP alpha is ignored (opaque).
//   - A truncated JPEG (libjpeg would warn and pad with grey) fails with ImageDecodeFailed and
//     "truncated JPEG"; truncated/corrupt PNG and BMP data fail the same way.
//   - Sizes are computed in uint64_t. Dimensions come from the header and pass CheckLimits
//     before any pixel buffer is allocated; headers that claim more pixels than the file can
//     hold (uncompressed BMP exactly, PNG by the deflate ratio bound) are refused from the header.
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

// Reads only the header (for BMP: validates every header field against the file size).
// Errors: ImageEmpty (size 0), ImageDecodeFailed (unsupported format, the message names it, or
// a corrupt header). Allocates nothing proportional to the claimed image size.
Status ReadImageHeader(const uint8_t* data, size_t size, ImageHeader* header);

// Checks a header against limits: ImageResolutionExceed / ImageResolutionTooSmall.
Status CheckLimits(const ImageHeader& header, const ImageLimits& limits);

// Header → limits → decode to gray. The single entry point the engine uses.
// ensures - on success: out->pixels.size() == width * height, width/height within limits
//         - on failure: *out is empty (0x0, no pixels, even if it held an image before) and
//           the status carries ImageEmpty / ImageDecodeFailed / ImageResolutionExceed /
//           ImageResolutionTooSmall with a message naming the problem.
Status DecodeGray(const uint8_t* data, size_t size, const ImageLimits& limits, GrayImage* out);

// Same, to RGB (gray sources are replicated).
Status DecodeRgb(const uint8_t* data, size_t size, const ImageLimits& limits, RgbImage* out);

// Reads a whole file (tools and trainers). Limits: defaults, with max_long_side raised for tools.
Status LoadGrayFile(const std::string& path, GrayImage* out);
Status ReadFileBytes(const std::string& path, std::vector<uint8_t>* bytes);

}  // namespace af

#endif  // ANALYZE_FACE_IMAGE_IMAGE_H_
