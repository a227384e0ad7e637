#include "detect/fhog.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/cpu.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#include <xmmintrin.h>
#endif

namespace af {
namespace fhog_impl {

namespace {
constexpr float kPi = 3.14159265358979323846f;
constexpr float kBinsPerRadian = 18.f / (2.f * kPi);

// atan2 mapped to [0, 2*pi), polynomial on [0, 1] (max error ~1e-5 rad). The SIMD kernels
// evaluate the same expression in the same order.
inline void OneGradient(float dx, float dy, float* mag, int32_t* bin, float* frac) {
  const float ax = std::fabs(dx), ay = std::fabs(dy);
  const float mx = std::max(std::max(ax, ay), 1e-20f), mn = std::min(ax, ay);
  const float a = mn / mx;
  const float s = a * a;
  float r = ((-0.0464964749f * s + 0.15931422f) * s - 0.327622764f) * s * a + a;
  if (ay > ax) r = 0.5f * kPi - r;
  if (dx < 0.f) r = kPi - r;
  if (dy < 0.f) r = 2.f * kPi - r;
  const float pos = r * kBinsPerRadian;
  int32_t b = static_cast<int32_t>(pos);
  const float f = pos - static_cast<float>(b);
  if (b >= 18) b -= 18;
  *mag = std::sqrt(dx * dx + dy * dy);
  *bin = b;
  *frac = f;
}
}  // namespace

void GradientRangeScalar(const uint8_t* up, const uint8_t* mid, const uint8_t* down, int width,
                         int x0, int x1, float* mag, int32_t* bin, float* frac) {
  for (int x = x0; x < x1; ++x) {
    const int xl = x > 0 ? x - 1 : 0, xr = x + 1 < width ? x + 1 : width - 1;
    const float dx = static_cast<float>(static_cast<int>(mid[xr]) - static_cast<int>(mid[xl]));
    const float dy = static_cast<float>(static_cast<int>(down[x]) - static_cast<int>(up[x]));
    OneGradient(dx, dy, mag + x, bin + x, frac + x);
  }
}

void GradientRowScalar(const uint8_t* up, const uint8_t* mid, const uint8_t* down, int width,
                       float* mag, int32_t* bin, float* frac) {
  GradientRangeScalar(up, mid, down, width, 0, width, mag, bin, frac);
}

void GradientRowSse2(const uint8_t* up, const uint8_t* mid, const uint8_t* down, int width,
                     float* mag, int32_t* bin, float* frac) {
#if defined(__SSE2__)
  if (width < 6) return GradientRowScalar(up, mid, down, width, mag, bin, frac);
  GradientRangeScalar(up, mid, down, width, 0, 1, mag, bin, frac);
  const __m128i zero = _mm_setzero_si128();
  const __m128 sign = _mm_set1_ps(-0.f);
  const __m128 tiny = _mm_set1_ps(1e-20f);
  const __m128 c0 = _mm_set1_ps(-0.0464964749f), c1 = _mm_set1_ps(0.15931422f),
               c2 = _mm_set1_ps(0.327622764f);
  const __m128 half_pi = _mm_set1_ps(0.5f * kPi), pi = _mm_set1_ps(kPi),
               two_pi = _mm_set1_ps(2.f * kPi), k = _mm_set1_ps(kBinsPerRadian);
  const __m128i i18 = _mm_set1_epi32(18), i17 = _mm_set1_epi32(17);
  auto load4 = [&](const uint8_t* p) {
    int32_t v;
    std::memcpy(&v, p, 4);
    __m128i b = _mm_cvtsi32_si128(v);
    b = _mm_unpacklo_epi8(b, zero);
    b = _mm_unpacklo_epi16(b, zero);
    return _mm_cvtepi32_ps(b);
  };
  int x = 1;
  for (; x + 4 <= width - 1; x += 4) {
    const __m128 dx = _mm_sub_ps(load4(mid + x + 1), load4(mid + x - 1));
    const __m128 dy = _mm_sub_ps(load4(down + x), load4(up + x));
    const __m128 ax = _mm_andnot_ps(sign, dx), ay = _mm_andnot_ps(sign, dy);
    const __m128 mx = _mm_max_ps(_mm_max_ps(ax, ay), tiny), mn = _mm_min_ps(ax, ay);
    const __m128 a = _mm_div_ps(mn, mx);
    const __m128 s = _mm_mul_ps(a, a);
    __m128 r = _mm_mul_ps(_mm_sub_ps(_mm_mul_ps(_mm_add_ps(_mm_mul_ps(c0, s), c1), s), c2), s);
    r = _mm_add_ps(_mm_mul_ps(r, a), a);
    __m128 m = _mm_cmpgt_ps(ay, ax);
    r = _mm_or_ps(_mm_and_ps(m, _mm_sub_ps(half_pi, r)), _mm_andnot_ps(m, r));
    m = _mm_cmplt_ps(dx, _mm_setzero_ps());
    r = _mm_or_ps(_mm_and_ps(m, _mm_sub_ps(pi, r)), _mm_andnot_ps(m, r));
    m = _mm_cmplt_ps(dy, _mm_setzero_ps());
    r = _mm_or_ps(_mm_and_ps(m, _mm_sub_ps(two_pi, r)), _mm_andnot_ps(m, r));
    const __m128 pos = _mm_mul_ps(r, k);
    __m128i b = _mm_cvttps_epi32(pos);
    const __m128 f = _mm_sub_ps(pos, _mm_cvtepi32_ps(b));
    b = _mm_sub_epi32(b, _mm_and_si128(_mm_cmpgt_epi32(b, i17), i18));
    _mm_storeu_ps(mag + x, _mm_sqrt_ps(_mm_add_ps(_mm_mul_ps(dx, dx), _mm_mul_ps(dy, dy))));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(bin + x), b);
    _mm_storeu_ps(frac + x, f);
  }
  GradientRangeScalar(up, mid, down, width, x, width, mag, bin, frac);
#else
  GradientRowScalar(up, mid, down, width, mag, bin, frac);
#endif
}

}  // namespace fhog_impl

int FhogMirrorChannel(int c) {
  if (c < 18) return (27 - c) % 18;
  if (c < 27) return 18 + (9 - (c - 18)) % 9;
  if (c < 31) {
    static const int kBlock[4] = {2, 3, 0, 1};
    return 27 + kBlock[c - 27];
  }
  return c;
}

void ComputeFhog(const GrayImage& image, FhogImage* out, SimdLevel simd) {
  FhogScratch scratch;
  ComputeFhog(image, out, &scratch, simd);
}

void ComputeFhog(const GrayImage& image, FhogImage* out, FhogScratch* sc, SimdLevel simd) {
  const int w = image.width, h = image.height;
  const int ncx = w > 0 ? w / kFhogCell : 0, ncy = h > 0 ? h / kFhogCell : 0;
  out->cells_x = ncx;
  out->cells_y = ncy;
  out->data.resize(static_cast<size_t>(ncx) * ncy * kFhogStride);  // every cell is written below
  if (ncx <= 0 || ncy <= 0) {
    out->cells_x = out->cells_y = 0;
    return;
  }
  if (simd == SimdLevel::kAuto) {
    simd = UseAvx2() ? SimdLevel::kAvx2 : (UseSse2() ? SimdLevel::kSse2 : SimdLevel::kScalar);
  }
  auto kernel = &fhog_impl::GradientRowScalar;
  if (simd == SimdLevel::kAvx2 && CpuHasAvx2()) kernel = &fhog_impl::GradientRowAvx2;
  else if (simd == SimdLevel::kSse2 || simd == SimdLevel::kAvx2) kernel = &fhog_impl::GradientRowSse2;

  const int used_w = ncx * kFhogCell, used_h = ncy * kFhogCell;
  const int gx = ncx + 2, gy = ncy + 2;  // histogram grid with one cell of padding each side
  std::vector<float>& hist = sc->hist;
  // Histograms use the same 20-float cell layout as the row accumulators (bin 18 = bin 0,
  // folded after accumulation), so merging a row is one contiguous loop.
  hist.assign(static_cast<size_t>(gx) * gy * 20, 0.f);
  std::vector<float>& mag = sc->mag;
  std::vector<float>& frac = sc->frac;
  std::vector<int32_t>& bin = sc->bin;
  mag.resize(w);
  frac.resize(w);
  bin.resize(w);
  // Horizontal bilinear tables. The row accumulators use 20 floats per cell: bins 0-17, bin 18
  // standing for bin 0 (so the upper bin of 17 needs no wrap), one spare; a pixel then adds two
  // adjacent floats in each of two cells.
  constexpr int kRowStride = 20;
  std::vector<int32_t>& cx0 = sc->cx0;
  std::vector<float>& wx1 = sc->wx1;  // 4 per pixel: w0, w0, w1, w1
  cx0.resize(used_w);
  wx1.resize(static_cast<size_t>(used_w) * 4);
  for (int x = 0; x < used_w; ++x) {
    const float xp = (x + 0.5f) / kFhogCell - 0.5f;
    const int ix = static_cast<int>(std::floor(xp));
    cx0[x] = (ix + 1) * kRowStride;
    const float w1 = xp - static_cast<float>(ix), w0 = 1.f - w1;
    wx1[4 * x] = w0;
    wx1[4 * x + 1] = w0;
    wx1[4 * x + 2] = w1;
    wx1[4 * x + 3] = w1;
  }
  std::vector<float>& rowacc = sc->rowacc;
  std::vector<float>& rowacc2 = sc->rowacc2;
  rowacc.resize(static_cast<size_t>(gx) * kRowStride + 4);
  rowacc2.resize(rowacc.size());
  std::vector<float>& v0s = sc->v0;
  std::vector<float>& v1s = sc->v1;
  v0s.resize(w);
  v1s.resize(w);
  for (int y = 0; y < used_h; ++y) {
    const uint8_t* up = image.row(y > 0 ? y - 1 : 0);
    const uint8_t* mid = image.row(y);
    const uint8_t* down = image.row(y + 1 < h ? y + 1 : h - 1);
    // The kernel runs over the full width so the last used column sees its true right
    // neighbour; columns past the cell grid are ignored.
    kernel(up, mid, down, w, mag.data(), bin.data(), frac.data());
    for (int x = 0; x < used_w; ++x) {
      const float v1 = mag[x] * frac[x];
      v1s[x] = v1;
      v0s[x] = mag[x] - v1;
    }
    // Two accumulators (even / odd pixels) break the store-to-load dependency between
    // neighbouring pixels that usually hit the same bins.
    std::fill(rowacc.begin(), rowacc.end(), 0.f);
    std::fill(rowacc2.begin(), rowacc2.end(), 0.f);
#if defined(__SSE2__)
    auto put = [&](float* acc, int x) {
      const __m128 a = _mm_unpacklo_ps(_mm_load_ss(&v0s[x]), _mm_load_ss(&v1s[x]));  // v0 v1 0 0
      const __m128 c = _mm_mul_ps(_mm_movelh_ps(a, a), _mm_loadu_ps(&wx1[4 * static_cast<size_t>(x)]));
      float* p = acc + cx0[x] + bin[x];
      __m64* lo = reinterpret_cast<__m64*>(p);
      __m64* hi = reinterpret_cast<__m64*>(p + kRowStride);
      _mm_storel_pi(lo, _mm_add_ps(_mm_loadl_pi(_mm_setzero_ps(), lo), c));
      _mm_storel_pi(hi, _mm_add_ps(_mm_loadl_pi(_mm_setzero_ps(), hi), _mm_movehl_ps(c, c)));
    };
#else
    auto put = [&](float* acc, int x) {
      const float* wt = &wx1[4 * static_cast<size_t>(x)];
      float* p = acc + cx0[x] + bin[x];
      p[0] += v0s[x] * wt[0];
      p[1] += v1s[x] * wt[1];
      p[kRowStride] += v0s[x] * wt[2];
      p[kRowStride + 1] += v1s[x] * wt[3];
    };
#endif
    for (int x = 0; x < used_w; x += 2) {  // used_w is a multiple of 8
      put(rowacc.data(), x);
      put(rowacc2.data(), x + 1);
    }
    const float yp = (y + 0.5f) / kFhogCell - 0.5f;
    const int iy = static_cast<int>(std::floor(yp));
    const float wy1 = yp - static_cast<float>(iy), wy0 = 1.f - wy1;
    float* h0 = hist.data() + static_cast<size_t>(iy + 1) * gx * kRowStride;
    float* h1 = h0 + static_cast<size_t>(gx) * kRowStride;
    const float* ra = rowacc.data();
    const float* rb = rowacc2.data();
    const int n = gx * kRowStride;
    for (int i = 0; i < n; ++i) {
      const float r = ra[i] + rb[i];
      h0[i] += wy0 * r;
      h1[i] += wy1 * r;
    }
  }
  for (size_t c = 0; c < static_cast<size_t>(gx) * gy; ++c) hist[c * kRowStride] += hist[c * kRowStride + 18];
  // Energy of each real cell (contrast-insensitive histogram), then 2x2 block sums.
  std::vector<float>& energy = sc->energy;
  energy.resize(static_cast<size_t>(ncx) * ncy);
  for (int cy = 0; cy < ncy; ++cy) {
    for (int cx = 0; cx < ncx; ++cx) {
      const float* hc = hist.data() + (static_cast<size_t>(cy + 1) * gx + cx + 1) * kRowStride;
      float e = 0.f;
      for (int o = 0; o < 9; ++o) {
        const float u = hc[o] + hc[o + 9];
        e += u * u;
      }
      energy[static_cast<size_t>(cy) * ncx + cx] = e;
    }
  }
  auto E = [&](int cx, int cy) {
    cx = cx < 0 ? 0 : (cx >= ncx ? ncx - 1 : cx);
    cy = cy < 0 ? 0 : (cy >= ncy ? ncy - 1 : cy);
    return energy[static_cast<size_t>(cy) * ncx + cx];
  };
  // block(bx, by) for bx in [-1, ncx-1], by in [-1, ncy-1]; stored at (bx+1, by+1).
  const int bw = ncx + 1;
  std::vector<float>& inv_norm = sc->inv_norm;
  inv_norm.resize(static_cast<size_t>(bw) * (ncy + 1));
  for (int by = -1; by < ncy; ++by) {
    for (int bx = -1; bx < ncx; ++bx) {
      const float s = E(bx, by) + E(bx + 1, by) + E(bx, by + 1) + E(bx + 1, by + 1);
      inv_norm[static_cast<size_t>(by + 1) * bw + bx + 1] = 1.f / std::sqrt(s + 1e-4f);
    }
  }
  for (int cy = 0; cy < ncy; ++cy) {
    for (int cx = 0; cx < ncx; ++cx) {
      const float* hc = hist.data() + (static_cast<size_t>(cy + 1) * gx + cx + 1) * kRowStride;
      float n[4];
      n[0] = inv_norm[static_cast<size_t>(cy + 1) * bw + cx + 1];
      n[1] = inv_norm[static_cast<size_t>(cy) * bw + cx + 1];
      n[2] = inv_norm[static_cast<size_t>(cy + 1) * bw + cx];
      n[3] = inv_norm[static_cast<size_t>(cy) * bw + cx];
      float* o = out->cell(cx, cy);
#if defined(__SSE2__)
      if (simd != SimdLevel::kScalar) {
        // Lanes hold 28 values: 18 signed bins, 9 unsigned bins, one spare.
        alignas(16) float tmp[28];
        for (int q = 0; q < 18; ++q) tmp[q] = hc[q];
        for (int q = 0; q < 9; ++q) tmp[18 + q] = hc[q] + hc[q + 9];
        tmp[27] = 0.f;
        const __m128 cap = _mm_set1_ps(0.2f);
        const __m128 low2 = _mm_castsi128_ps(_mm_set_epi32(0, 0, -1, -1));
        __m128 acc[7], tk[4];
        for (int j = 0; j < 7; ++j) acc[j] = _mm_setzero_ps();
        for (int k = 0; k < 4; ++k) {
          const __m128 nk = _mm_set1_ps(n[k]);
          __m128 ts = _mm_setzero_ps();
          for (int j = 0; j < 7; ++j) {
            const __m128 v = _mm_min_ps(_mm_mul_ps(_mm_load_ps(tmp + 4 * j), nk), cap);
            acc[j] = _mm_add_ps(acc[j], v);
            if (j < 4) ts = _mm_add_ps(ts, v);
            else if (j == 4) ts = _mm_add_ps(ts, _mm_and_ps(v, low2));
          }
          tk[k] = ts;
        }
        const __m128 half = _mm_set1_ps(0.5f);
        for (int j = 0; j < 7; ++j) _mm_storeu_ps(o + 4 * j, _mm_mul_ps(acc[j], half));
        _MM_TRANSPOSE4_PS(tk[0], tk[1], tk[2], tk[3]);
        const __m128 t = _mm_add_ps(_mm_add_ps(tk[0], tk[1]), _mm_add_ps(tk[2], tk[3]));
        _mm_storeu_ps(o + 27, _mm_mul_ps(t, _mm_set1_ps(0.2357f)));
        o[31] = 0.f;
        continue;
      }
#endif
      float t[4] = {0.f, 0.f, 0.f, 0.f};
      for (int b = 0; b < 18; ++b) {
        float sum = 0.f;
        for (int k = 0; k < 4; ++k) {
          const float v = std::min(hc[b] * n[k], 0.2f);
          sum += v;
          t[k] += v;
        }
        o[b] = 0.5f * sum;
      }
      for (int b = 0; b < 9; ++b) {
        const float u = hc[b] + hc[b + 9];
        float sum = 0.f;
        for (int k = 0; k < 4; ++k) sum += std::min(u * n[k], 0.2f);
        o[18 + b] = 0.5f * sum;
      }
      for (int k = 0; k < 4; ++k) o[27 + k] = 0.2357f * t[k];
      o[31] = 0.f;
    }
  }
}

}  // namespace af
