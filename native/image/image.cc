#include "image/image.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <new>

#include "image/decoders.h"

namespace af {

const char* ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg: return "JPEG";
    case ImageFormat::kPng: return "PNG";
    case ImageFormat::kBmp: return "BMP";
    case ImageFormat::kGif: return "GIF";
    case ImageFormat::kWebp: return "WebP";
    case ImageFormat::kTiff: return "TIFF";
    case ImageFormat::kHeif: return "HEIF/AVIF";
    case ImageFormat::kIco: return "ICO";
    case ImageFormat::kPsd: return "PSD";
    case ImageFormat::kUnknown: break;
  }
  return "unknown";
}

ImageFormat SniffFormat(const uint8_t* d, size_t n) {
  auto starts = [&](const char* magic, size_t len, size_t at = 0) {
    return n >= at + len && std::memcmp(d + at, magic, len) == 0;
  };
  if (starts("\xFF\xD8\xFF", 3)) return ImageFormat::kJpeg;
  if (starts("\x89PNG\r\n\x1A\n", 8)) return ImageFormat::kPng;
  if (starts("BM", 2)) return ImageFormat::kBmp;
  if (starts("GIF87a", 6) || starts("GIF89a", 6)) return ImageFormat::kGif;
  if (starts("RIFF", 4) && starts("WEBP", 4, 8)) return ImageFormat::kWebp;
  if (starts("II*\0", 4) || starts("MM\0*", 4)) return ImageFormat::kTiff;
  if (starts("ftyp", 4, 4)) return ImageFormat::kHeif;
  if (starts("\0\0\1\0", 4)) return ImageFormat::kIco;
  if (starts("8BPS", 4)) return ImageFormat::kPsd;
  return ImageFormat::kUnknown;
}

Status ReadImageHeader(const uint8_t* data, size_t size, ImageHeader* header) {
  if (data == nullptr || size == 0) {
    return Status(ErrorCode::kImageEmpty, "the image is empty (0 bytes)");
  }
  const ImageFormat format = SniffFormat(data, size);
  switch (format) {
    case ImageFormat::kJpeg: return decoders::ReadJpegHeader(data, size, header);
    case ImageFormat::kPng: return decoders::ReadPngHeader(data, size, header);
    case ImageFormat::kBmp: return decoders::ReadBmpHeader(data, size, header);
    case ImageFormat::kUnknown:
      return Status(ErrorCode::kImageDecodeFailed,
                    "unrecognised image data: supported formats are JPEG, PNG and BMP");
    default:
      return Status(ErrorCode::kImageDecodeFailed,
                    std::string(ImageFormatName(format)) +
                        " images are not supported: use JPEG, PNG or BMP");
  }
}

Status CheckLimits(const ImageHeader& h, const ImageLimits& limits) {
  const uint32_t long_side = h.width > h.height ? h.width : h.height;
  const uint32_t short_side = h.width < h.height ? h.width : h.height;
  const uint64_t pixels = static_cast<uint64_t>(h.width) * h.height;
  char msg[256];
  if (long_side > limits.max_long_side || pixels > limits.max_pixels) {
    std::snprintf(msg, sizeof(msg),
                  "image is %ux%u: the limits are a long side of at most %u px and at most %llu "
                  "pixels",
                  h.width, h.height, limits.max_long_side,
                  static_cast<unsigned long long>(limits.max_pixels));
    return Status(ErrorCode::kImageResolutionExceed, msg);
  }
  if (short_side < limits.min_short_side) {
    std::snprintf(msg, sizeof(msg), "image is %ux%u: the short side must be at least %u px",
                  h.width, h.height, limits.min_short_side);
    return Status(ErrorCode::kImageResolutionTooSmall, msg);
  }
  return Status::Ok();
}

namespace {
Status DecodeInto(const uint8_t* data, size_t size, const ImageLimits& limits, int channels,
                  int* width, int* height, std::vector<uint8_t>* pixels) {
  // A reused output never keeps a previous image after a failure.
  *width = 0;
  *height = 0;
  pixels->clear();
  ImageHeader header;
  Status s = ReadImageHeader(data, size, &header);
  if (!s.ok()) return s;
  s = CheckLimits(header, limits);
  if (!s.ok()) return s;
  // Allocation is the only thing here that can throw (the decoders' scratch buffers too); no
  // exception leaves the image API.
  try {
    pixels->assign(static_cast<size_t>(header.width) * header.height * channels, 0);
    uint8_t* dst = pixels->data();
    switch (header.format) {
      case ImageFormat::kJpeg: s = decoders::DecodeJpeg(data, size, channels, dst); break;
      case ImageFormat::kPng: s = decoders::DecodePng(data, size, channels, dst); break;
      case ImageFormat::kBmp: s = decoders::DecodeBmp(data, size, channels, dst); break;
      default: s = Status(ErrorCode::kInternal, "no decoder for a recognised header");
    }
  } catch (const std::bad_alloc&) {
    char msg[160];
    std::snprintf(msg, sizeof(msg), "out of memory decoding a %ux%u image", header.width,
                  header.height);
    s = Status(ErrorCode::kInternal, msg);
  }
  if (!s.ok()) {
    std::vector<uint8_t>().swap(*pixels);  // release, not just clear
    return s;
  }
  *width = static_cast<int>(header.width);
  *height = static_cast<int>(header.height);
  return Status::Ok();
}
}  // namespace

Status DecodeGray(const uint8_t* data, size_t size, const ImageLimits& limits, GrayImage* out) {
  return DecodeInto(data, size, limits, 1, &out->width, &out->height, &out->pixels);
}

Status DecodeRgb(const uint8_t* data, size_t size, const ImageLimits& limits, RgbImage* out) {
  return DecodeInto(data, size, limits, 3, &out->width, &out->height, &out->pixels);
}

Status ReadFileBytes(const std::string& path, std::vector<uint8_t>* bytes) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Status(ErrorCode::kInvalidParameter, "cannot open " + path);
  bytes->clear();
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f.get())) > 0) bytes->insert(bytes->end(), buf, buf + n);
  return Status::Ok();
}

Status LoadGrayFile(const std::string& path, GrayImage* out) {
  std::vector<uint8_t> bytes;
  Status s = ReadFileBytes(path, &bytes);
  if (!s.ok()) return s;
  ImageLimits tool_limits;
  tool_limits.max_long_side = 20000;
  tool_limits.max_pixels = 200000000;
  tool_limits.min_short_side = 1;
  return DecodeGray(bytes.data(), bytes.size(), tool_limits, out);
}

}  // namespace af
