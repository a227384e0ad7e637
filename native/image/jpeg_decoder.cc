// JPEG through libjpeg-turbo. libjpeg reports fatal errors with longjmp, so the setjmp regions
// below are small C-style functions with no live C++ objects that need destruction.
#include <csetjmp>
#include <cstdio>
#include <cstring>

#include <jpeglib.h>

#include "image/decoders.h"

namespace af {
namespace decoders {
namespace {

struct JpegErrorManager {
  jpeg_error_mgr pub;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void OnJpegError(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  longjmp(err->jump, 1);
}

void OnJpegMessage(j_common_ptr, int) {}  // silence warnings on stderr

// Returns 0 on success, 1 on a libjpeg error (message filled).
int ReadHeaderC(const uint8_t* data, size_t size, unsigned* w, unsigned* h, char* message) {
  jpeg_decompress_struct cinfo;
  JpegErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = OnJpegError;
  err.pub.emit_message = OnJpegMessage;
  if (setjmp(err.jump)) {
    std::memcpy(message, err.message, JMSG_LENGTH_MAX);
    jpeg_destroy_decompress(&cinfo);
    return 1;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  *w = cinfo.image_width;
  *h = cinfo.image_height;
  jpeg_destroy_decompress(&cinfo);
  return 0;
}

// Decodes into out (w*h*channels bytes, sized by the caller from the same header).
int DecodeC(const uint8_t* data, size_t size, int channels, uint8_t* out, unsigned expect_w,
            unsigned expect_h, char* message) {
  jpeg_decompress_struct cinfo;
  JpegErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = OnJpegError;
  err.pub.emit_message = OnJpegMessage;
  if (setjmp(err.jump)) {
    std::memcpy(message, err.message, JMSG_LENGTH_MAX);
    jpeg_destroy_decompress(&cinfo);
    return 1;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  if (cmyk) {
    cinfo.out_color_space = JCS_CMYK;
  } else {
    cinfo.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  }
  jpeg_start_decompress(&cinfo);
  if (cinfo.output_width != expect_w || cinfo.output_height != expect_h) {
    std::snprintf(message, JMSG_LENGTH_MAX, "JPEG output size differs from its header");
    jpeg_destroy_decompress(&cinfo);
    return 1;
  }
  const size_t stride = static_cast<size_t>(expect_w) * channels;
  // CMYK needs a 4-channel scanline; a row of the caller's buffer is too small, so convert
  // in place one pixel row at a time through a fixed scratch row on the libjpeg pool.
  JSAMPARRAY scratch = nullptr;
  if (cmyk) {
    scratch = (*cinfo.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&cinfo), JPOOL_IMAGE,
                                         expect_w * 4, 1);
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    uint8_t* dst = out + stride * cinfo.output_scanline;
    if (!cmyk) {
      JSAMPROW row = dst;
      jpeg_read_scanlines(&cinfo, &row, 1);
      continue;
    }
    jpeg_read_scanlines(&cinfo, scratch, 1);
    const uint8_t* src = scratch[0];
    // Adobe CMYK JPEGs are stored inverted: each channel value is already 255 - ink.
    for (unsigned x = 0; x < expect_w; ++x) {
      const unsigned c = src[4 * x], m = src[4 * x + 1], y = src[4 * x + 2], k = src[4 * x + 3];
      const unsigned r = c * k / 255, g = m * k / 255, b = y * k / 255;
      if (channels == 1) {
        dst[x] = static_cast<uint8_t>((r * 77 + g * 150 + b * 29 + 128) >> 8);
      } else {
        dst[3 * x] = static_cast<uint8_t>(r);
        dst[3 * x + 1] = static_cast<uint8_t>(g);
        dst[3 * x + 2] = static_cast<uint8_t>(b);
      }
    }
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return 0;
}

}  // namespace

Status ReadJpegHeader(const uint8_t* data, size_t size, ImageHeader* header) {
  unsigned w = 0, h = 0;
  char message[JMSG_LENGTH_MAX] = {0};
  if (ReadHeaderC(data, size, &w, &h, message) != 0) {
    return Status(ErrorCode::kImageDecodeFailed, std::string("corrupt JPEG header: ") + message);
  }
  header->format = ImageFormat::kJpeg;
  header->width = w;
  header->height = h;
  return Status::Ok();
}

Status DecodeJpeg(const uint8_t* data, size_t size, int channels, uint8_t* out) {
  ImageHeader header;
  Status s = ReadJpegHeader(data, size, &header);
  if (!s.ok()) return s;
  char message[JMSG_LENGTH_MAX] = {0};
  if (DecodeC(data, size, channels, out, header.width, header.height, message) != 0) {
    return Status(ErrorCode::kImageDecodeFailed, std::string("corrupt JPEG data: ") + message);
  }
  return Status::Ok();
}

}  // namespace decoders
}  // namespace af
