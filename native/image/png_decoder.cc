// PNG through libpng. The header is read with the simplified API (it validates signature and
// IHDR and reports errors as messages); pixels are read with the row API from a small C-style
// function holding the setjmp region (no C++ objects live in it), one row at a time for
// non-interlaced files, so an RGB(A) image decoded to gray needs one scratch row, not a
// full-size copy. libpng handles palette, gray, 1/2/4/16-bit depths, tRNS and Adam7, and fails
// on a bad CRC of a critical chunk, a broken zlib stream or missing data.
//
// CONVENTION
//   - libpng hands us 8-bit samples in the file's own colour type (gray, gray+alpha, RGB,
//     RGBA); conversion to the caller's channel count, gray (BT.601) and alpha (over black) is
//     ours (pixel_convert.h), so PNG, BMP and JPEG agree. libpng's own RGB → gray would use
//     different coefficients in linear light.
//   - Samples are taken as sRGB: gAMA/cHRM/iCCP are ignored (as for BMP and JPEG). 16-bit
//     samples become v * 255 / 65535 rounded.
//   - Before anything is allocated the dimensions are checked against the compressed size:
//     deflate cannot expand more than 1032:1, so a header claiming more raw (filtered) bytes
//     than the file could hold is refused as truncated without decoding.
#include <cinttypes>
#include <csetjmp>
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
// State shared with libpng's callbacks; plain C data so the setjmp region holds no C++ objects.
struct PngReadState {
  const uint8_t* data;
  size_t size;
  size_t pos;
  jmp_buf jump;
  char message[160];
  bool truncated;
};

void OnPngError(png_structp png, png_const_charp msg) {
  auto* st = static_cast<PngReadState*>(png_get_error_ptr(png));
  std::snprintf(st->message, sizeof(st->message), "%s", msg);
  longjmp(st->jump, 1);
}

void OnPngWarning(png_structp, png_const_charp) {}  // ancillary-chunk problems: ignored

void OnPngRead(png_structp png, png_bytep out, size_t n) {
  auto* st = static_cast<PngReadState*>(png_get_io_ptr(png));
  if (n > st->size - st->pos) {
    st->truncated = true;
    png_error(png, "the file ends before the image data is complete");
  }
  std::memcpy(out, st->data + st->pos, n);
  st->pos += n;
}

// Decodes into out (w*h*channels bytes). scratch holds w*4 bytes (one expanded row), or w*h*4
// for interlaced files. Returns 0 on success, 1 on error (st->message filled).
// Transformations: palette → RGB, gray < 8 bits → 8 bits, tRNS → alpha, 16 → 8 bits by
// v*255/65535 rounded (png_set_scale_16); no gamma correction (samples are taken as sRGB).
int DecodeRowsC(PngReadState* st, int channels, uint32_t expect_w, uint32_t expect_h,
                uint8_t* out, uint8_t* scratch) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, st, OnPngError, OnPngWarning);
  if (png == nullptr) {
    std::snprintf(st->message, sizeof(st->message), "libpng could not start");
    return 1;
  }
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    std::snprintf(st->message, sizeof(st->message), "libpng could not start");
    return 1;
  }
  if (setjmp(st->jump)) {
    png_destroy_read_struct(&png, &info, nullptr);
    return 1;
  }
  png_set_read_fn(png, st, OnPngRead);
  png_read_info(png, info);
  if (png_get_image_width(png, info) != expect_w || png_get_image_height(png, info) != expect_h) {
    png_error(png, "the image size changed between two reads of the header");
  }
  png_set_expand(png);
  png_set_scale_16(png);
  const int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  const int src_channels = png_get_channels(png, info);
  const size_t row_bytes = static_cast<size_t>(expect_w) * src_channels;
  if (src_channels < 1 || src_channels > 4 || png_get_rowbytes(png, info) != row_bytes) {
    png_error(png, "unexpected row layout after expansion");
  }
  const size_t out_stride = static_cast<size_t>(expect_w) * channels;
  if (passes == 1) {
    for (uint32_t y = 0; y < expect_h; ++y) {
      png_read_row(png, scratch, nullptr);
      pixels::ConvertRow(scratch, src_channels, expect_w, out + y * out_stride, channels);
    }
  } else {
    for (int pass = 0; pass < passes; ++pass) {
      for (uint32_t y = 0; y < expect_h; ++y) png_read_row(png, scratch + y * row_bytes, nullptr);
    }
    for (uint32_t y = 0; y < expect_h; ++y) {
      pixels::ConvertRow(scratch + y * row_bytes, src_channels, expect_w, out + y * out_stride,
                         channels);
    }
  }
  png_read_end(png, nullptr);  // trailing chunks up to IEND, CRCs checked
  png_destroy_read_struct(&png, &info, nullptr);
  return 0;
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
  uint32_t width = 0, height = 0;
  {
    PngImage png;  // validates signature + IHDR and the size-vs-data bound
    Status s = BeginRead(data, size, &png);
    if (!s.ok()) return s;
    width = png.image.width;
    height = png.image.height;
  }
  // After expansion a pixel has at most 4 one-byte samples. Non-interlaced images are read one
  // row at a time; Adam7 needs the whole image before the last pass completes any row.
  const bool interlaced = data[28] != 0;  // IHDR interlace method (validated by libpng)
  std::vector<uint8_t> scratch(static_cast<size_t>(width) * 4 * (interlaced ? height : 1));
  PngReadState state;
  std::memset(&state, 0, sizeof(state));
  state.data = data;
  state.size = size;
  if (DecodeRowsC(&state, channels, width, height, out, scratch.data()) != 0) {
    return Status(ErrorCode::kImageDecodeFailed,
                  std::string(state.truncated ? "truncated PNG: " : "corrupt PNG data: ") +
                      state.message);
  }
  return Status::Ok();
}

}  // namespace decoders
}  // namespace af
