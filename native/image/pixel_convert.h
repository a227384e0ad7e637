// Pixel conversions shared by every decoder, so that the same pixels give the same gray image
// whatever container they arrived in (a PNG and a BMP of one picture decode to identical bytes).
//
// CONVENTION
//   - Gray = ITU-R BT.601 luma, Y = 0.299 R + 0.587 G + 0.114 B, in 16-bit fixed point with
//     round-half-up. These are exactly the constants libjpeg(-turbo) uses for its RGB → gray
//     conversion (FIX(0.29900) = 19595 etc. with SCALEBITS 16), so a JPEG decoded straight to
//     JCS_GRAYSCALE agrees with our own conversion of RGB pixels.
//   - Alpha is composited onto black: c' = round(c * a / 255), on the stored (non-linear) values.
//   - An n-bit channel value v is widened to 8 bits as round(v * 255 / (2^n - 1)).
#ifndef ANALYZE_FACE_IMAGE_PIXEL_CONVERT_H_
#define ANALYZE_FACE_IMAGE_PIXEL_CONVERT_H_

#include <cstddef>
#include <cstdint>

namespace af {
namespace pixels {

inline uint8_t Bt601Luma(uint32_t r, uint32_t g, uint32_t b) {
  return static_cast<uint8_t>((r * 19595u + g * 38470u + b * 7471u + 32768u) >> 16);
}

inline uint8_t OverBlack(uint32_t c, uint32_t a) {
  return static_cast<uint8_t>((c * a + 127u) / 255u);
}

// Writes one RGB pixel into an output row of 1 (gray) or 3 (RGB) channels.
inline void Put(uint8_t* row, size_t x, int channels, uint8_t r, uint8_t g, uint8_t b) {
  if (channels == 1) {
    row[x] = Bt601Luma(r, g, b);
  } else {
    uint8_t* p = row + 3 * x;
    p[0] = r;
    p[1] = g;
    p[2] = b;
  }
}

// Converts n interleaved source pixels (src_channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) to
// out_channels (1 or 3). src and dst may not overlap.
inline void ConvertRow(const uint8_t* src, int src_channels, size_t n, uint8_t* dst,
                       int out_channels) {
  for (size_t x = 0; x < n; ++x) {
    const uint8_t* s = src + x * static_cast<size_t>(src_channels);
    uint8_t r, g, b;
    switch (src_channels) {
      case 1: r = g = b = s[0]; break;
      case 2: r = g = b = OverBlack(s[0], s[1]); break;
      case 3: r = s[0]; g = s[1]; b = s[2]; break;
      default:
        r = OverBlack(s[0], s[3]);
        g = OverBlack(s[1], s[3]);
        b = OverBlack(s[2], s[3]);
        break;
    }
    if (out_channels == 1 && (src_channels == 1 || src_channels == 2)) {
      dst[x] = r;  // gray stays gray: no round trip through the luma formula
    } else {
      Put(dst, x, out_channels, r, g, b);
    }
  }
}

}  // namespace pixels
}  // namespace af

#endif  // ANALYZE_FACE_IMAGE_PIXEL_CONVERT_H_
