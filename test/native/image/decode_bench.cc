// Decode timing: image_decode_bench FILE [repeats]. Prints the best and median wall time of
// DecodeGray and DecodeRgb over `repeats` runs (default 20), with tool limits (long side 20000).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "image/image.h"

namespace {
template <typename F>
void Time(const char* what, int repeats, F&& run) {
  std::vector<double> ms;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    if (!run()) { std::printf("%s failed\n", what); return; }
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%-10s best %7.2f ms  median %7.2f ms\n", what, ms.front(), ms[ms.size() / 2]);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [repeats]\n", argv[0]);
    return 2;
  }
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 20;
  std::vector<uint8_t> bytes;
  af::Status s = af::ReadFileBytes(argv[1], &bytes);
  af::ImageHeader h;
  if (s.ok()) s = af::ReadImageHeader(bytes.data(), bytes.size(), &h);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 1;
  }
  std::printf("%s: %s %ux%u (%.2f MP), %zu bytes\n", argv[1], af::ImageFormatName(h.format),
              h.width, h.height, h.width * double(h.height) / 1e6, bytes.size());
  af::ImageLimits limits;
  limits.max_long_side = 20000;
  limits.max_pixels = 200000000;
  limits.min_short_side = 1;
  Time("gray", repeats, [&] {
    af::GrayImage g;
    return af::DecodeGray(bytes.data(), bytes.size(), limits, &g).ok();
  });
  Time("rgb", repeats, [&] {
    af::RgbImage g;
    return af::DecodeRgb(bytes.data(), bytes.size(), limits, &g).ok();
  });
  return 0;
}
