// FHOG: SIMD kernels agree with scalar, mirroring is a channel permutation, window geometry
// round-trips, scoring kernels agree.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <random>

#include "../check.h"
#include "common/cpu.h"
#include "detect/fhog.h"
#include "detect/scan.h"

using namespace af;

namespace {

GrayImage RandomImage(int w, int h, uint32_t seed) {
  // Smooth blobs plus noise so every orientation and magnitude occurs.
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> noise(-20, 20);
  GrayImage img;
  img.width = w;
  img.height = h;
  img.pixels.resize(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const double v = 128 + 60 * std::sin(x * 0.13 + y * 0.07) + 40 * std::cos(x * 0.05 - y * 0.21) +
                       ((x / 16 + y / 16) % 2 ? 20 : -20) + noise(rng);
      img.pixels[static_cast<size_t>(y) * w + x] = static_cast<uint8_t>(std::max(0.0, std::min(255.0, v)));
    }
  }
  return img;
}

float MaxDiff(const FhogImage& a, const FhogImage& b) {
  if (a.cells_x != b.cells_x || a.cells_y != b.cells_y || a.data.size() != b.data.size()) return 1e30f;
  float m = 0.f;
  for (size_t i = 0; i < a.data.size(); ++i) m = std::max(m, std::fabs(a.data[i] - b.data[i]));
  return m;
}

void TestSimdMatchesScalar() {
  for (int w : {37, 64, 101, 200}) {
    const GrayImage img = RandomImage(w, 83, static_cast<uint32_t>(w));
    FhogImage s, s2, a;
    ComputeFhog(img, &s, SimdLevel::kScalar);
    ComputeFhog(img, &s2, SimdLevel::kSse2);
    CHECK(s.cells_x == w / 8 && s.cells_y == 83 / 8);
    CHECK(MaxDiff(s, s2) < 1e-4f);
    if (CpuHasAvx2()) {
      ComputeFhog(img, &a, SimdLevel::kAvx2);
      CHECK(MaxDiff(s, a) < 1e-4f);
    }
    // Features are non-trivial and bounded.
    float mx = 0.f, mt = 0.f;
    for (size_t i = 0; i < s.data.size(); ++i) {
      const size_t ch = i % kFhogStride;
      if (ch < 27) mx = std::max(mx, s.data[i]);
      else mt = std::max(mt, s.data[i]);
    }
    CHECK(mx > 0.05f && mx <= 0.4f + 1e-5f);           // 0.5 * 4 blocks * truncation 0.2
    CHECK(mt > 0.05f && mt <= 0.2357f * 3.6f + 1e-4f);  // 0.2357 * 18 orientations * 0.2
  }
  // Raw gradient kernels agree per pixel.
  const GrayImage img = RandomImage(77, 3, 5);
  std::vector<float> m0(77), m1(77), f0(77), f1(77);
  std::vector<int32_t> b0(77), b1(77);
  fhog_impl::GradientRowScalar(img.row(0), img.row(1), img.row(2), 77, m0.data(), b0.data(), f0.data());
  auto cmp = [&]() {
    int bad = 0;
    for (int x = 0; x < 77; ++x) {
      const float p0 = b0[x] + f0[x], p1 = b1[x] + f1[x];
      float d = std::fabs(p0 - p1);
      d = std::min(d, std::fabs(d - 18.f));
      if (std::fabs(m0[x] - m1[x]) > 1e-3f || (m0[x] > 0 && d > 1e-3f)) ++bad;
    }
    return bad;
  };
  fhog_impl::GradientRowSse2(img.row(0), img.row(1), img.row(2), 77, m1.data(), b1.data(), f1.data());
  CHECK(cmp() == 0);
  if (CpuHasAvx2()) {
    fhog_impl::GradientRowAvx2(img.row(0), img.row(1), img.row(2), 77, m1.data(), b1.data(), f1.data());
    CHECK(cmp() == 0);
  }
  // Orientation convention: a horizontal ramp (gradient +x) lands in bin 0, vertical (+y) in
  // bin 4.5 (between 4 and 5), -x in bin 9.
  GrayImage ramp;
  ramp.width = ramp.height = 16;
  ramp.pixels.resize(256);
  for (int y = 0; y < 16; ++y) for (int x = 0; x < 16; ++x) ramp.pixels[y * 16 + x] = static_cast<uint8_t>(10 * x);
  FhogImage rf;
  ComputeFhog(ramp, &rf, SimdLevel::kScalar);
  const float* c = rf.cell(0, 0);
  int best = 0;
  for (int b = 1; b < 18; ++b) if (c[b] > c[best]) best = b;
  CHECK(best == 0);
  CHECK(c[9] == 0.f);
}

void TestMirror() {
  for (int k = 0; k < 31; ++k) CHECK(FhogMirrorChannel(FhogMirrorChannel(k)) == k);
  const GrayImage img = RandomImage(96, 72, 11);
  GrayImage flip = img;
  for (int y = 0; y < img.height; ++y) {
    for (int x = 0; x < img.width; ++x) flip.row(y)[x] = img.row(y)[img.width - 1 - x];
  }
  FhogImage a, b;
  ComputeFhog(img, &a);
  ComputeFhog(flip, &b);
  float worst = 0.f;
  for (int cy = 0; cy < a.cells_y; ++cy) {
    for (int cx = 0; cx < a.cells_x; ++cx) {
      const float* p = a.cell(cx, cy);
      const float* q = b.cell(a.cells_x - 1 - cx, cy);
      for (int ch = 0; ch < kFhogChannels; ++ch) worst = std::max(worst, std::fabs(p[ch] - q[FhogMirrorChannel(ch)]));
    }
  }
  CHECK(worst < 2e-3f);
  // Mirrored filter scores the mirrored image as the filter scores the image.
  std::vector<float> w(4 * 3 * kFhogStride);
  std::mt19937 rng(3);
  std::normal_distribution<float> nd(0.f, 1.f);
  for (size_t i = 0; i < w.size(); ++i) w[i] = (i % kFhogStride == 31) ? 0.f : nd(rng);
  const std::vector<float> wm = MirrorFilter(w, 4, 3);
  CHECK(MirrorFilter(wm, 4, 3) == w);
  std::vector<float> sa, sb;
  ScoreFilter(a, w.data(), 4, 3, &sa);
  ScoreFilter(b, wm.data(), 4, 3, &sb);
  const int nx = a.cells_x - 4 + 1;
  float worst_score = 0.f;
  for (size_t i = 0; i < sa.size(); ++i) {
    const int x = static_cast<int>(i) % nx, y = static_cast<int>(i) / nx;
    worst_score = std::max(worst_score, std::fabs(sa[i] - sb[static_cast<size_t>(y) * nx + (nx - 1 - x)]));
  }
  CHECK(!sa.empty() && worst_score < 0.05f);
}

void TestScoringKernels() {
  const GrayImage img = RandomImage(150, 120, 21);
  FhogImage f;
  ComputeFhog(img, &f);
  std::vector<float> w(10 * 10 * kFhogStride);
  std::mt19937 rng(4);
  std::normal_distribution<float> nd(0.f, 1.f);
  for (float& v : w) v = nd(rng);
  std::vector<float> s0, s1, s2;
  ScoreFilter(f, w.data(), 10, 10, &s0, SimdLevel::kScalar);
  ScoreFilter(f, w.data(), 10, 10, &s1, SimdLevel::kSse2);
  ScoreFilter(f, w.data(), 10, 10, &s2, SimdLevel::kAvx2);
  CHECK(s0.size() == static_cast<size_t>((f.cells_x - 9) * (f.cells_y - 9)));
  float d1 = 0, d2 = 0;
  for (size_t i = 0; i < s0.size(); ++i) {
    d1 = std::max(d1, std::fabs(s0[i] - s1[i]));
    d2 = std::max(d2, std::fabs(s0[i] - s2[i]));
  }
  CHECK(d1 < 1e-3f && d2 < 1e-3f);
  // Three filters at once agree with one at a time (AVX2 and fallback paths).
  std::vector<float> w2(w.size()), w3(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    w2[i] = nd(rng);
    w3[i] = -w[i] + 0.5f * nd(rng);
  }
  const float* ws[3] = {w.data(), w2.data(), w3.data()};
  for (SimdLevel lv : {SimdLevel::kAvx2, SimdLevel::kScalar}) {
    std::vector<float> three[3];
    ScoreFilters3(f, ws, 10, 10, three, lv);
    float d3 = 0.f;
    for (int k = 0; k < 3; ++k) {
      std::vector<float> one;
      ScoreFilter(f, ws[k], 10, 10, &one, SimdLevel::kScalar);
      CHECK(one.size() == three[k].size());
      for (size_t i = 0; i < one.size() && i < three[k].size(); ++i) d3 = std::max(d3, std::fabs(one[i] - three[k][i]));
    }
    CHECK(d3 < 1e-3f);
  }
  // Two filters at once agree with one at a time (AVX2 and fallback paths).
  for (SimdLevel lv : {SimdLevel::kAvx2, SimdLevel::kScalar}) {
    std::vector<float> two[2];
    ScoreFilters2(f, ws + 1, 10, 10, two, lv);
    float d2b = 0.f;
    for (int k = 0; k < 2; ++k) {
      std::vector<float> one;
      ScoreFilter(f, ws[k + 1], 10, 10, &one, SimdLevel::kScalar);
      CHECK(one.size() == two[k].size());
      for (size_t i = 0; i < one.size() && i < two[k].size(); ++i) d2b = std::max(d2b, std::fabs(one[i] - two[k][i]));
    }
    CHECK(d2b < 1e-3f);
  }
  // Direct dot product at one position.
  std::vector<float> win(w.size());
  ExtractWindow(f, 3, 2, 10, 10, win.data());
  double direct = 0;
  for (size_t i = 0; i < w.size(); ++i) direct += static_cast<double>(w[i]) * win[i];
  CHECK(std::fabs(direct - s0[2 * (f.cells_x - 9) + 3]) < 1e-3);
}

void TestBoxCellRoundTrip() {
  DetectorModel m;
  GrayImage img = RandomImage(640, 480, 1);
  const std::vector<PyramidLevel> levels = BuildPyramid(img, 80.f, m);
  CHECK(levels.size() > 5);
  // First level maps an 80-px face onto the 64-px filter face.
  CHECK(std::fabs(levels[0].scale_x - 0.8) < 0.01);
  bool ok = true;
  for (const PyramidLevel& l : levels) {
    for (float cx : {0.f, 1.5f, 7.25f}) {
      for (float cy : {0.f, 3.f}) {
        const BoxF b = WindowToImageBox(m, l, cx, cy);
        float rx = 0, ry = 0;
        ImageBoxToWindow(m, l, b, &rx, &ry);
        if (std::fabs(rx - cx) > 1e-3f || std::fabs(ry - cy) > 1e-3f) ok = false;
        if (std::fabs(b.w - m.face_size / l.scale_x) > 0.05f * b.w) ok = false;
      }
    }
  }
  CHECK(ok);
  // Levels shrink and the last still holds a window.
  for (size_t i = 1; i < levels.size(); ++i) CHECK(levels[i].scale_x < levels[i - 1].scale_x);
  CHECK(levels.back().image.width >= m.window_w_px() && levels.back().image.height >= m.window_h_px());
  // Tiny or empty images give no levels and no crash.
  GrayImage empty;
  CHECK(BuildPyramid(empty, 40.f, m).empty());
}

void TestResize() {
  // ResizeBilinear equals the direct 2-D formula (weights in 1/256, rounded once).
  const GrayImage src = RandomImage(97, 61, 8);
  for (int ow : {40, 81, 150}) {
    const int oh = ow * 61 / 97 + 1;
    const GrayImage out = ResizeBilinear(src, ow, oh);
    int bad = 0;
    for (int v = 0; v < oh; ++v) {
      for (int u = 0; u < ow; ++u) {
        auto coord = [](int i, float scale, int n, int* i0, int* w) {
          float f = (i + 0.5f) * scale - 0.5f;
          f = std::min(std::max(f, 0.f), static_cast<float>(n - 1));
          int k = static_cast<int>(f);
          if (k >= n - 1) k = n - 2;
          *i0 = k;
          *w = static_cast<int>((f - k) * 256.f + 0.5f);
        };
        int x0, wx, y0, wy;
        coord(u, 97.f / ow, 97, &x0, &wx);
        coord(v, 61.f / oh, 61, &y0, &wy);
        const int ref = ((src.at(x0, y0) * (256 - wx) + src.at(x0 + 1, y0) * wx) * (256 - wy) +
                         (src.at(x0, y0 + 1) * (256 - wx) + src.at(x0 + 1, y0 + 1) * wx) * wy + 32768) >> 16;
        bad += out.at(u, v) != ref;
      }
    }
    CHECK(bad == 0);
  }
  // Halving averages 2x2 blocks.
  const GrayImage half = HalveImage(src);
  CHECK(half.width == 48 && half.height == 30);
  CHECK(half.at(5, 7) == (src.at(10, 14) + src.at(11, 14) + src.at(10, 15) + src.at(11, 15) + 2) / 4);

  // ShrinkImage averages where a plain bilinear shrink aliases: a 1-px checkerboard shrunk to a
  // third is flat grey through the halvings, while bilinear picks up the pattern.
  GrayImage board;
  board.width = 120;
  board.height = 90;
  board.pixels.resize(120 * 90);
  for (int y = 0; y < 90; ++y)
    for (int x = 0; x < 120; ++x) board.pixels[y * 120 + x] = ((x + y) & 1) ? 255 : 0;
  const GrayImage shrunk = ShrinkImage(board, 40, 30);
  const GrayImage aliased = ResizeBilinear(board, 40, 30);
  CHECK(shrunk.width == 40 && shrunk.height == 30);
  int shrunk_spread = 0, aliased_spread = 0;
  for (int i = 0; i < 40 * 30; ++i) {
    shrunk_spread = std::max(shrunk_spread, std::abs(shrunk.pixels[i] - 128));
    aliased_spread = std::max(aliased_spread, std::abs(aliased.pixels[i] - 128));
  }
  CHECK(shrunk_spread <= 2);
  CHECK(aliased_spread >= 60);
  // Same size in, same image out; a target of the source's size needs no halving.
  CHECK(ShrinkImage(src, 97, 61).pixels == src.pixels);
}

}  // namespace

int main() {
  TestResize();
  TestSimdMatchesScalar();
  TestMirror();
  TestScoringKernels();
  TestBoxCellRoundTrip();
  return af_test::finish();
}
