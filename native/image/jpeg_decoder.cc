// JPEG through libjpeg-turbo. libjpeg reports fatal errors with longjmp, so the setjmp regions
// below are small C-style functions with no live C++ objects that need destruction.
//
// CONVENTION
//   - Gray output asks libjpeg for JCS_GRAYSCALE: for YCbCr files that is the Y plane (chroma is
//     entropy-decoded but never IDCT'd or upsampled), for RGB files libjpeg's BT.601 conversion,
//     whose constants pixel_convert.h shares.
//   - CMYK and YCCK files are taken as Adobe-inverted (what Photoshop and every other writer of
//     4-component JPEGs produces): R = C*K/255 etc. on the stored values.
//   - A file whose coded data ends before every block is decoded FAILS (ImageDecodeFailed,
//     "truncated JPEG"): the end of the file (JWRN_JPEG_EOF) or a marker (JWRN_HIT_MARKER) where
//     more data was needed. libjpeg would only warn and pad the rest with grey, and a half-grey
//     photo gives garbage faces. Other libjpeg warnings (extraneous bytes before a marker, bad
//     Huffman codes, resync) are tolerated: damaged-but-mostly-fine camera files have them.
//   - A sequential Huffman file too small to hold one bit per block is refused from its header
//     (it could only decode as "truncated" after its buffers were allocated).
//   - At most kMaxScans scans: a progressive file with thousands of full-image scans is a
//     known CPU-exhaustion input.
#include <csetjmp>
#include <cstdio>
#include <cstring>

#include <jpeglib.h>
#include <jerror.h>

#include "image/decoders.h"
#include "image/pixel_convert.h"

namespace af {
namespace decoders {
namespace {

constexpr int kMaxScans = 100;  // ordinary progressive files have 6 to ~20

struct JpegErrorManager {
  jpeg_error_mgr pub;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  char last_warning[JMSG_LENGTH_MAX];
  bool premature_end;
  bool too_many_scans;
};

void OnJpegError(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  longjmp(err->jump, 1);
}

// Warnings are not printed; the two that mean "the coded data ran out before every block was
// decoded" (end of file, or a marker where more entropy-coded bits were needed) are remembered.
void OnJpegMessage(j_common_ptr cinfo, int level) {
  auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  if (level < 0 && (cinfo->err->msg_code == JWRN_JPEG_EOF ||
                    cinfo->err->msg_code == JWRN_HIT_MARKER) && !err->premature_end) {
    err->premature_end = true;
    (*cinfo->err->format_message)(cinfo, err->last_warning);  // the first one says why
  }
}

void OnJpegProgress(j_common_ptr cinfo) {
  if (!cinfo->is_decompressor) return;
  auto* dinfo = reinterpret_cast<j_decompress_ptr>(cinfo);
  if (dinfo->input_scan_number > kMaxScans) {
    auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
    std::snprintf(err->message, JMSG_LENGTH_MAX, "more than %d scans", kMaxScans);
    err->too_many_scans = true;
    longjmp(err->jump, 1);
  }
}

// Returns 0 on success, 1 on a libjpeg error (message filled).
// *min_bytes: for sequential Huffman files, a lower bound on the file size their blocks need
// (every block of every component costs at least one bit: its DC code); 0 otherwise.
int ReadHeaderC(const uint8_t* data, size_t size, unsigned* w, unsigned* h,
                unsigned long long* min_bytes, char* message) {
  jpeg_decompress_struct cinfo;
  JpegErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = OnJpegError;
  err.pub.emit_message = OnJpegMessage;
  err.premature_end = false;
  err.too_many_scans = false;
  err.last_warning[0] = '\0';
  if (setjmp(err.jump)) {
    std::memcpy(message, err.message, JMSG_LENGTH_MAX);
    jpeg_destroy_decompress(&cinfo);
    return err.premature_end ? 2 : 1;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  *w = cinfo.image_width;
  *h = cinfo.image_height;
  *min_bytes = 0;
  if (!cinfo.progressive_mode && !cinfo.arith_code) {
    unsigned long long blocks = 0;
    for (int c = 0; c < cinfo.num_components; ++c) {
      blocks += static_cast<unsigned long long>(cinfo.comp_info[c].width_in_blocks) *
                cinfo.comp_info[c].height_in_blocks;
    }
    *min_bytes = blocks / 8;
  }
  jpeg_destroy_decompress(&cinfo);
  return 0;
}

// Decodes into out (w*h*channels bytes, sized by the caller from the same header).
int DecodeC(const uint8_t* data, size_t size, int channels, uint8_t* out, unsigned expect_w,
            unsigned expect_h, char* message) {
  jpeg_decompress_struct cinfo;
  JpegErrorManager err;
  jpeg_progress_mgr progress;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = OnJpegError;
  err.pub.emit_message = OnJpegMessage;
  err.premature_end = false;
  err.too_many_scans = false;
  err.last_warning[0] = '\0';
  if (setjmp(err.jump)) {
    // An error after the data ran out (e.g. a table read from the fake EOI libjpeg inserts) is
    // reported as the truncation it really is.
    const bool truncated = err.premature_end && !err.too_many_scans;
    if (truncated) {
      std::snprintf(message, JMSG_LENGTH_MAX, "the file ends early (then: %.150s)", err.message);
    } else {
      std::memcpy(message, err.message, JMSG_LENGTH_MAX);
    }
    jpeg_destroy_decompress(&cinfo);
    return truncated ? 2 : 1;
  }
  jpeg_create_decompress(&cinfo);
  std::memset(&progress, 0, sizeof(progress));
  progress.progress_monitor = OnJpegProgress;
  cinfo.progress = &progress;
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
      pixels::Put(dst, x, channels, static_cast<uint8_t>((c * k + 127) / 255),
                  static_cast<uint8_t>((m * k + 127) / 255),
                  static_cast<uint8_t>((y * k + 127) / 255));
    }
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  if (err.premature_end) {
    std::snprintf(message, JMSG_LENGTH_MAX,
                  "the coded data ends before the image is complete (%.140s)", err.last_warning);
    return 2;
  }
  return 0;
}

}  // namespace

Status ReadJpegHeader(const uint8_t* data, size_t size, ImageHeader* header) {
  unsigned w = 0, h = 0;
  unsigned long long min_bytes = 0;
  char message[JMSG_LENGTH_MAX] = {0};
  const int rc = ReadHeaderC(data, size, &w, &h, &min_bytes, message);
  if (rc == 2) {
    return Status(ErrorCode::kImageDecodeFailed,
                  std::string("truncated JPEG: the file ends inside its headers (") + message +
                      ")");
  }
  if (rc != 0) {
    return Status(ErrorCode::kImageDecodeFailed, std::string("corrupt JPEG header: ") + message);
  }
  if (min_bytes > size) {
    char msg[200];
    std::snprintf(msg, sizeof(msg),
                  "truncated JPEG: %ux%u needs at least %llu bytes of coded data, the file has "
                  "%zu", w, h, min_bytes, size);
    return Status(ErrorCode::kImageDecodeFailed, msg);
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
  const int rc = DecodeC(data, size, channels, out, header.width, header.height, message);
  if (rc == 2) {
    return Status(ErrorCode::kImageDecodeFailed, std::string("truncated JPEG: ") + message);
  }
  if (rc != 0) {
    return Status(ErrorCode::kImageDecodeFailed, std::string("corrupt JPEG data: ") + message);
  }
  return Status::Ok();
}

}  // namespace decoders
}  // namespace af
