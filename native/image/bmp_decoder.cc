// BMP: our own strict decoder (no library).
//
// Accepted:
//   headers   BITMAPCOREHEADER (OS/2 1.x, 12 bytes), BITMAPINFOHEADER (40), the Adobe V2/V3
//             variants (52, 56), BITMAPV4HEADER (108), BITMAPV5HEADER (124)
//   pixels    1/4/8-bit palette, 16-bit (X1R5G5B5 by default, any masks with BI_BITFIELDS),
//             24-bit BGR, 32-bit (BGRX with BI_RGB, any masks with BI_BITFIELDS /
//             BI_ALPHABITFIELDS), BI_RLE8 and BI_RLE4
//   layout    bottom-up (height > 0) and top-down (height < 0; not allowed with RLE)
// Refused with a message naming the reason: OS/2 2.x headers, embedded JPEG/PNG, CMYK and other
// compressions, 2-bit and other depths.
//
// CONVENTION
//   - Every field is validated in ParseBmp, BEFORE the caller allocates pixels: header sizes,
//     palette size and position, masks (non-zero, contiguous, non-overlapping, inside the pixel
//     width), pixel data offset, and for uncompressed data the whole pixel array (row stride with
//     4-byte padding, computed in uint64) against the file size. Only RLE streams and palette
//     indices are checked while decoding.
//   - Alpha is ignored (treated as opaque): BMP writers disagree on whether the fourth byte is
//     alpha, and many write alpha 0 for opaque pixels. ICC profiles and colour spaces are ignored.
//   - Pixels an RLE stream skips (delta / early end of line) are black.
//   - A palette index beyond the palette is an error (not silently black).
//   - The file header's bfSize and the info header's biSizeImage are not trusted for
//     uncompressed data (writers often get them wrong); the real file size is what counts.
//     For RLE data biSizeImage, when non-zero, must fit in the file.
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>

#include "image/decoders.h"
#include "image/pixel_convert.h"

namespace af {
namespace decoders {
namespace {

constexpr uint32_t kBiRgb = 0;
constexpr uint32_t kBiRle8 = 1;
constexpr uint32_t kBiRle4 = 2;
constexpr uint32_t kBiBitfields = 3;
constexpr uint32_t kBiJpeg = 4;
constexpr uint32_t kBiPng = 5;
constexpr uint32_t kBiAlphaBitfields = 6;

constexpr uint64_t kFileHeaderSize = 14;

uint16_t Le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t Le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

// One colour channel of a BI_BITFIELDS pixel: value = (pixel & mask) >> shift, `bits` wide.
struct Channel {
  uint32_t mask = 0;
  uint32_t shift = 0;
  uint32_t bits = 0;
  uint8_t Expand(uint32_t pixel) const {
    const uint64_t v = (pixel & mask) >> shift;
    if (bits == 8) return static_cast<uint8_t>(v);
    const uint64_t max = (uint64_t{1} << bits) - 1;
    return static_cast<uint8_t>((v * 255 + max / 2) / max);
  }
};

struct BmpLayout {
  uint32_t info_size = 0;
  uint32_t width = 0;
  uint32_t height = 0;
  bool top_down = false;
  uint32_t bpp = 0;
  uint32_t compression = kBiRgb;
  uint64_t pixel_offset = 0;
  uint64_t pixel_bytes = 0;  // bytes of pixel data available from pixel_offset
  uint64_t row_stride = 0;   // uncompressed only
  uint32_t palette_size = 0;
  uint8_t palette[256][3] = {};  // RGB
  Channel red, green, blue;
  bool use_masks = false;
};

std::string Format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string Format(const char* fmt, ...) {
  char buf[256];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof(buf), fmt, args);
  va_end(args);
  return buf;
}

Status Corrupt(const std::string& what) {
  return Status(ErrorCode::kImageDecodeFailed, "corrupt BMP: " + what);
}
Status Unsupported(const std::string& what) {
  return Status(ErrorCode::kImageDecodeFailed, "unsupported BMP: " + what);
}

// Checks a channel mask and derives shift and width. `name` is for the message.
Status MakeChannel(uint32_t mask, uint32_t bpp, const char* name, Channel* c) {
  if (mask == 0) return Corrupt(Format("the %s mask is zero", name));
  if (bpp < 32 && (mask >> bpp) != 0) {
    return Corrupt(Format("the %s mask 0x%08" PRIX32 " has bits beyond the %" PRIu32
                          "-bit pixel", name, mask, bpp));
  }
  uint32_t shift = 0;
  while (((mask >> shift) & 1u) == 0) ++shift;
  const uint32_t m = mask >> shift;
  if ((m & (m + 1)) != 0) {  // m must be 2^k - 1 (m + 1 wraps to 0 for 0xFFFFFFFF, fine)
    return Corrupt(Format("the %s mask 0x%08" PRIX32 " is not contiguous", name, mask));
  }
  uint32_t bits = 0;
  while (bits < 32 && ((m >> bits) & 1u) != 0) ++bits;
  c->mask = mask;
  c->shift = shift;
  c->bits = bits;
  return Status::Ok();
}

Status ParseBmp(const uint8_t* d, size_t size, BmpLayout* L) {
  if (size < kFileHeaderSize + 4) {
    return Corrupt(Format("the file is %zu bytes, too short for the BMP headers", size));
  }
  const uint32_t off_bits = Le32(d + 10);
  const uint32_t info_size = Le32(d + 14);
  const bool core = info_size == 12;
  if (info_size == 16 || info_size == 64) {
    return Unsupported(Format("OS/2 2.x info header (%" PRIu32 " bytes)", info_size));
  }
  if (!core && info_size != 40 && info_size != 52 && info_size != 56 && info_size != 108 &&
      info_size != 124) {
    return Corrupt(Format("info header size %" PRIu32
                          " is not one of 12, 40, 52, 56, 108, 124", info_size));
  }
  if (kFileHeaderSize + info_size > size) {
    return Corrupt(Format("truncated: the %" PRIu32 "-byte info header does not fit in %zu bytes",
                          info_size, size));
  }
  const uint8_t* h = d + kFileHeaderSize;
  int64_t width, height;
  uint32_t planes, bpp, compression = kBiRgb, size_image = 0, clr_used = 0;
  if (core) {
    width = Le16(h + 4);
    height = Le16(h + 6);
    planes = Le16(h + 8);
    bpp = Le16(h + 10);
  } else {
    width = static_cast<int32_t>(Le32(h + 4));
    height = static_cast<int32_t>(Le32(h + 8));
    planes = Le16(h + 12);
    bpp = Le16(h + 14);
    compression = Le32(h + 16);
    size_image = Le32(h + 20);
    clr_used = Le32(h + 32);
  }
  if (width <= 0) return Corrupt(Format("width %" PRId64 " is not positive", width));
  if (height == 0) return Corrupt("height is 0");
  L->info_size = info_size;
  L->top_down = height < 0;
  L->width = static_cast<uint32_t>(width);
  L->height = static_cast<uint32_t>(height < 0 ? -height : height);  // int64: no overflow
  L->bpp = bpp;
  L->compression = compression;
  if (planes != 1) return Corrupt(Format("planes is %" PRIu32 ", must be 1", planes));

  // Compression and depth combinations.
  switch (compression) {
    case kBiRgb:
      if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) {
        return Unsupported(Format("%" PRIu32 " bits per pixel", bpp));
      }
      if (core && (bpp == 16 || bpp == 32)) {
        return Corrupt(Format("%" PRIu32 " bits per pixel in an OS/2 1.x header", bpp));
      }
      break;
    case kBiRle8:
    case kBiRle4: {
      const uint32_t want = compression == kBiRle8 ? 8 : 4;
      if (bpp != want) {
        return Corrupt(Format("RLE%" PRIu32 " compression with %" PRIu32 " bits per pixel", want,
                              bpp));
      }
      if (L->top_down) return Corrupt("RLE-compressed bitmaps cannot be top-down");
      break;
    }
    case kBiBitfields:
    case kBiAlphaBitfields:
      if (bpp != 16 && bpp != 32) {
        return Corrupt(Format("bit-field masks with %" PRIu32 " bits per pixel", bpp));
      }
      break;
    case kBiJpeg:
    case kBiPng:
      return Unsupported(Format("embedded %s data (compression %" PRIu32 ")",
                                compression == kBiJpeg ? "JPEG" : "PNG", compression));
    default:
      return Unsupported(Format("compression type %" PRIu32, compression));
  }

  // Masks start right after the first 40 header bytes: R, G, B (and A with BI_ALPHABITFIELDS
  // or a header of 56+ bytes). Whatever part of them the header does not hold follows it (the
  // 40-byte header with masks; a 52-byte one with BI_ALPHABITFIELDS).
  uint64_t header_end = kFileHeaderSize + info_size;
  if (compression == kBiBitfields || compression == kBiAlphaBitfields) {
    const uint8_t* m = h + 40;
    uint32_t alpha = 0;
    const bool want_alpha = compression == kBiAlphaBitfields || info_size >= 56;
    const uint64_t mask_bytes = want_alpha ? 16 : 12;
    if (info_size - 40 < mask_bytes) {  // core headers never get here (BI_RGB only)
      header_end += mask_bytes - (info_size - 40);
      if (header_end > size) return Corrupt("truncated: the colour masks are missing");
    }
    const uint32_t r = Le32(m), g = Le32(m + 4), b = Le32(m + 8);
    if (want_alpha) alpha = Le32(m + 12);
    Status s = MakeChannel(r, bpp, "red", &L->red);
    if (s.ok()) s = MakeChannel(g, bpp, "green", &L->green);
    if (s.ok()) s = MakeChannel(b, bpp, "blue", &L->blue);
    if (s.ok() && alpha != 0) {
      Channel a;
      s = MakeChannel(alpha, bpp, "alpha", &a);
    }
    if (!s.ok()) return s;
    if ((r & g) || (r & b) || (g & b) || ((r | g | b) & alpha)) {
      return Corrupt(Format("the colour masks overlap (red 0x%08" PRIX32 ", green 0x%08" PRIX32
                            ", blue 0x%08" PRIX32 ", alpha 0x%08" PRIX32 ")", r, g, b, alpha));
    }
    L->use_masks = true;
  } else if (bpp == 16) {
    MakeChannel(0x7C00, 16, "red", &L->red);
    MakeChannel(0x03E0, 16, "green", &L->green);
    MakeChannel(0x001F, 16, "blue", &L->blue);
    L->use_masks = true;
  }

  // Palette.
  if (bpp <= 8) {
    const uint32_t max_colours = 1u << bpp;
    if (clr_used > max_colours) {
      return Corrupt(Format("the palette has %" PRIu32 " colours, more than the %" PRIu32
                            " a %" PRIu32 "-bit image can use", clr_used, max_colours, bpp));
    }
    const uint32_t n = clr_used == 0 ? max_colours : clr_used;
    const uint64_t entry = core ? 3 : 4;
    const uint64_t palette_end = header_end + n * entry;
    if (palette_end > size) {
      return Corrupt(Format("truncated: the %" PRIu32 "-colour palette does not fit in %zu bytes",
                            n, size));
    }
    if (off_bits < palette_end) {
      return Corrupt(Format("the pixel data offset %" PRIu32 " points into the %" PRIu32
                            "-colour palette (which ends at %" PRIu64 ")", off_bits, n,
                            palette_end));
    }
    const uint8_t* p = d + header_end;
    for (uint32_t i = 0; i < n; ++i, p += entry) {
      L->palette[i][0] = p[2];
      L->palette[i][1] = p[1];
      L->palette[i][2] = p[0];
    }
    L->palette_size = n;
    header_end = palette_end;
  }

  // Pixel data.
  if (off_bits < header_end) {
    return Corrupt(Format("the pixel data offset %" PRIu32 " points into the headers (which end "
                          "at %" PRIu64 ")", off_bits, header_end));
  }
  if (off_bits >= size) {
    return Corrupt(Format("truncated: the pixel data offset %" PRIu32
                          " is at or past the end of the %zu-byte file", off_bits, size));
  }
  L->pixel_offset = off_bits;
  const uint64_t available = size - static_cast<uint64_t>(off_bits);
  if (compression == kBiRle8 || compression == kBiRle4) {
    if (size_image > available) {
      return Corrupt(Format("truncated: the header announces %" PRIu32 " bytes of RLE data, "
                            "%" PRIu64 " are present", size_image, available));
    }
    L->pixel_bytes = size_image != 0 ? size_image : available;
    return Status::Ok();
  }
  const uint64_t row_bits = uint64_t{L->width} * bpp;
  L->row_stride = (row_bits + 31) / 32 * 4;
  // The last row's padding may be missing; its pixels may not.
  const uint64_t needed = L->row_stride * (L->height - 1) + (row_bits + 7) / 8;
  if (needed > available) {
    return Corrupt(Format("truncated: %" PRIu32 "x%" PRIu32 " at %" PRIu32 " bits per pixel "
                          "needs %" PRIu64 " bytes of pixel data, %" PRIu64 " are present",
                          L->width, L->height, bpp, needed, available));
  }
  L->pixel_bytes = needed;
  return Status::Ok();
}

Status BadIndex(uint32_t index, uint32_t x, uint32_t y, const BmpLayout& L) {
  return Corrupt(Format("pixel (%" PRIu32 ", %" PRIu32 ") uses colour %" PRIu32
                        " but the palette has %" PRIu32, x, y, index, L.palette_size));
}

// Uncompressed pixel rows.
Status DecodeRows(const uint8_t* d, const BmpLayout& L, int channels, uint8_t* out) {
  const size_t out_stride = static_cast<size_t>(L.width) * channels;
  for (uint32_t oy = 0; oy < L.height; ++oy) {
    const uint32_t fy = L.top_down ? oy : L.height - 1 - oy;
    const uint8_t* src = d + L.pixel_offset + L.row_stride * fy;
    uint8_t* dst = out + out_stride * oy;
    switch (L.bpp) {
      case 1:
      case 4:
      case 8: {
        const uint32_t per_byte = 8 / L.bpp;
        const uint32_t mask = (1u << L.bpp) - 1;
        for (uint32_t x = 0; x < L.width; ++x) {
          const uint32_t shift = (per_byte - 1 - x % per_byte) * L.bpp;
          const uint32_t index = (src[x / per_byte] >> shift) & mask;
          if (index >= L.palette_size) return BadIndex(index, x, oy, L);
          const uint8_t* c = L.palette[index];
          pixels::Put(dst, x, channels, c[0], c[1], c[2]);
        }
        break;
      }
      case 16:
        for (uint32_t x = 0; x < L.width; ++x) {
          const uint32_t v = Le16(src + 2 * static_cast<size_t>(x));
          pixels::Put(dst, x, channels, L.red.Expand(v), L.green.Expand(v), L.blue.Expand(v));
        }
        break;
      case 24:
        for (uint32_t x = 0; x < L.width; ++x) {
          const uint8_t* p = src + 3 * static_cast<size_t>(x);
          pixels::Put(dst, x, channels, p[2], p[1], p[0]);
        }
        break;
      case 32:
        for (uint32_t x = 0; x < L.width; ++x) {
          const uint8_t* p = src + 4 * static_cast<size_t>(x);
          if (L.use_masks) {
            const uint32_t v = Le32(p);
            pixels::Put(dst, x, channels, L.red.Expand(v), L.green.Expand(v), L.blue.Expand(v));
          } else {
            pixels::Put(dst, x, channels, p[2], p[1], p[0]);
          }
        }
        break;
      default:
        return Status(ErrorCode::kInternal, "BMP depth passed validation but has no decoder");
    }
  }
  return Status::Ok();
}

// BI_RLE8 / BI_RLE4. (x, y) count from the bottom-left, as the stream does.
Status DecodeRle(const uint8_t* d, const BmpLayout& L, int channels, uint8_t* out) {
  const bool rle8 = L.compression == kBiRle8;
  const size_t out_stride = static_cast<size_t>(L.width) * channels;
  std::memset(out, 0, out_stride * L.height);
  const uint8_t* p = d + L.pixel_offset;
  const uint8_t* const end = p + L.pixel_bytes;
  uint64_t x = 0, y = 0;
  auto put = [&](uint32_t index) -> Status {
    const uint32_t oy = L.height - 1 - static_cast<uint32_t>(y);
    if (index >= L.palette_size) return BadIndex(index, static_cast<uint32_t>(x), oy, L);
    const uint8_t* c = L.palette[index];
    pixels::Put(out + out_stride * oy, static_cast<size_t>(x), channels, c[0], c[1], c[2]);
    ++x;
    return Status::Ok();
  };
  auto fits = [&](uint64_t n) -> Status {
    if (y >= L.height) {
      return Corrupt(Format("RLE pixels continue past the last of %" PRIu32 " rows", L.height));
    }
    if (x + n > L.width) {
      return Corrupt(Format("an RLE run of %" PRIu64 " pixels at column %" PRIu64
                            " passes the end of a %" PRIu32 "-pixel row", n, x, L.width));
    }
    return Status::Ok();
  };
  for (;;) {
    if (end - p < 2) {
      return Corrupt("truncated: the RLE data ends before the end-of-bitmap marker");
    }
    const uint32_t count = p[0], value = p[1];
    p += 2;
    if (count > 0) {  // encoded run
      Status s = fits(count);
      if (!s.ok()) return s;
      for (uint32_t i = 0; i < count; ++i) {
        const uint32_t index = rle8 ? value : ((i & 1) ? (value & 15) : (value >> 4));
        s = put(index);
        if (!s.ok()) return s;
      }
      continue;
    }
    switch (value) {
      case 0:  // end of line
        x = 0;
        if (++y > L.height) {
          return Corrupt(Format("the RLE data has more than %" PRIu32 " rows", L.height));
        }
        break;
      case 1:  // end of bitmap
        return Status::Ok();
      case 2: {  // delta
        if (end - p < 2) return Corrupt("truncated: an RLE delta is cut off");
        x += p[0];
        y += p[1];
        p += 2;
        if (x > L.width || y > L.height || (y == L.height && x > 0)) {
          return Corrupt(Format("an RLE delta moves outside the %" PRIu32 "x%" PRIu32 " image",
                                L.width, L.height));
        }
        break;
      }
      default: {  // absolute run of `value` literal pixels, padded to 16 bits
        const uint64_t bytes = rle8 ? value : (value + 1) / 2;
        const uint64_t padded = (bytes + 1) & ~uint64_t{1};
        if (static_cast<uint64_t>(end - p) < bytes) {
          return Corrupt("truncated: an RLE literal run is cut off");
        }
        Status s = fits(value);
        if (!s.ok()) return s;
        for (uint32_t i = 0; i < value; ++i) {
          const uint32_t index = rle8 ? p[i] : ((i & 1) ? (p[i / 2] & 15) : (p[i / 2] >> 4));
          s = put(index);
          if (!s.ok()) return s;
        }
        p += static_cast<uint64_t>(end - p) < padded ? bytes : padded;
        break;
      }
    }
  }
}

}  // namespace

Status ReadBmpHeader(const uint8_t* data, size_t size, ImageHeader* header) {
  BmpLayout layout;
  Status s = ParseBmp(data, size, &layout);
  if (!s.ok()) return s;
  header->format = ImageFormat::kBmp;
  header->width = layout.width;
  header->height = layout.height;
  return Status::Ok();
}

Status DecodeBmp(const uint8_t* data, size_t size, int channels, uint8_t* out) {
  if (channels != 1 && channels != 3) {
    return Status(ErrorCode::kInternal, "BMP decode asked for neither 1 nor 3 channels");
  }
  BmpLayout layout;
  Status s = ParseBmp(data, size, &layout);
  if (!s.ok()) return s;
  if (layout.compression == kBiRle8 || layout.compression == kBiRle4) {
    return DecodeRle(data, layout, channels, out);
  }
  return DecodeRows(data, layout, channels, out);
}

}  // namespace decoders
}  // namespace af
