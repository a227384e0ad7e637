// libFuzzer target: the whole decode entry point (sniff → header → limits → JPEG/PNG/BMP
// decode) on arbitrary bytes, to gray and to RGB. Limits are small so big decoded images do not
// turn into timeouts; everything an image header can claim is still reachable up to them.
//
// Besides memory errors (ASan) and undefined behaviour (UBSan) it checks the API's promises:
// success means a buffer of exactly width*height*channels bytes within the limits; failure means
// an error code, a message and no pixels; for PNG and BMP, gray equals the luma of RGB exactly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "image/image.h"
#include "image/pixel_convert.h"

namespace {
af::ImageLimits FuzzLimits() {
  af::ImageLimits l;
  l.max_long_side = 2048;
  l.max_pixels = 1u << 20;
  l.min_short_side = 1;
  return l;
}

void Require(bool ok) {
  if (!ok) std::abort();
}

template <typename Image>
void Check(const af::Status& s, const Image& img, size_t channels, const af::ImageLimits& l) {
  if (s.ok()) {
    Require(img.width > 0 && img.height > 0);
    Require(static_cast<uint32_t>(img.width) <= l.max_long_side &&
            static_cast<uint32_t>(img.height) <= l.max_long_side);
    Require(img.pixels.size() == static_cast<size_t>(img.width) * img.height * channels);
  } else {
    Require(!s.message().empty() && s.code() != af::ErrorCode::kInternal);
    Require(img.pixels.empty());
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const af::ImageLimits limits = FuzzLimits();
  af::GrayImage gray;
  const af::Status sg = af::DecodeGray(data, size, limits, &gray);
  Check(sg, gray, 1, limits);
  af::RgbImage rgb;
  const af::Status sr = af::DecodeRgb(data, size, limits, &rgb);
  Check(sr, rgb, 3, limits);
  // Gray and RGB read the same header and the same data: same verdict, same size.
  Require(sg.code() == sr.code());
  if (!sg.ok()) return 0;
  Require(gray.width == rgb.width && gray.height == rgb.height);
  // Differential: for PNG and BMP both paths convert with pixel_convert.h, so gray must be
  // exactly the BT.601 luma of the RGB result. (JPEG gray comes from libjpeg's Y plane.)
  if (af::SniffFormat(data, size) != af::ImageFormat::kJpeg) {
    for (size_t i = 0; i < gray.pixels.size(); ++i) {
      const uint8_t* p = &rgb.pixels[3 * i];
      Require(gray.pixels[i] == af::pixels::Bt601Luma(p[0], p[1], p[2]));
    }
  }
  return 0;
}
