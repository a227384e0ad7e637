// AVX2 + FMA kernels for FHOG and filter scoring. Compiled with ${AF_AVX2_FLAGS}; called only
// when af::UseAvx2() is true. Helpers are static so no AVX2 code leaks into baseline callers.
#include <immintrin.h>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "detect/fhog.h"
#include "detect/scan.h"

namespace af {
namespace fhog_impl {

namespace {
constexpr float kPi = 3.14159265358979323846f;
constexpr float kBinsPerRadian = 18.f / (2.f * kPi);
}  // namespace

void GradientRowAvx2(const uint8_t* up, const uint8_t* mid, const uint8_t* down, int width,
                     float* mag, int32_t* bin, float* frac) {
  if (width < 10) return GradientRowScalar(up, mid, down, width, mag, bin, frac);
  GradientRangeScalar(up, mid, down, width, 0, 1, mag, bin, frac);
  const __m256 sign = _mm256_set1_ps(-0.f);
  const __m256 tiny = _mm256_set1_ps(1e-20f);
  const __m256 c0 = _mm256_set1_ps(-0.0464964749f), c1 = _mm256_set1_ps(0.15931422f),
               c2 = _mm256_set1_ps(0.327622764f);
  const __m256 half_pi = _mm256_set1_ps(0.5f * kPi), pi = _mm256_set1_ps(kPi),
               two_pi = _mm256_set1_ps(2.f * kPi), k = _mm256_set1_ps(kBinsPerRadian);
  const __m256i i18 = _mm256_set1_epi32(18), i17 = _mm256_set1_epi32(17);
  const __m256 zero = _mm256_setzero_ps();
  auto load8 = [](const uint8_t* p) {
    int64_t v;
    std::memcpy(&v, p, 8);
    return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_cvtsi64_si128(v)));
  };
  int x = 1;
  for (; x + 8 <= width - 1; x += 8) {
    const __m256 dx = _mm256_sub_ps(load8(mid + x + 1), load8(mid + x - 1));
    const __m256 dy = _mm256_sub_ps(load8(down + x), load8(up + x));
    const __m256 ax = _mm256_andnot_ps(sign, dx), ay = _mm256_andnot_ps(sign, dy);
    const __m256 mx = _mm256_max_ps(_mm256_max_ps(ax, ay), tiny), mn = _mm256_min_ps(ax, ay);
    const __m256 a = _mm256_div_ps(mn, mx);
    const __m256 s = _mm256_mul_ps(a, a);
    // Same operation order as the scalar kernel (no fused multiply-add, so results match).
    __m256 r = _mm256_mul_ps(
        _mm256_sub_ps(_mm256_mul_ps(_mm256_add_ps(_mm256_mul_ps(c0, s), c1), s), c2), s);
    r = _mm256_add_ps(_mm256_mul_ps(r, a), a);
    r = _mm256_blendv_ps(r, _mm256_sub_ps(half_pi, r), _mm256_cmp_ps(ay, ax, _CMP_GT_OQ));
    r = _mm256_blendv_ps(r, _mm256_sub_ps(pi, r), _mm256_cmp_ps(dx, zero, _CMP_LT_OQ));
    r = _mm256_blendv_ps(r, _mm256_sub_ps(two_pi, r), _mm256_cmp_ps(dy, zero, _CMP_LT_OQ));
    const __m256 pos = _mm256_mul_ps(r, k);
    __m256i b = _mm256_cvttps_epi32(pos);
    const __m256 f = _mm256_sub_ps(pos, _mm256_cvtepi32_ps(b));
    b = _mm256_sub_epi32(b, _mm256_and_si256(_mm256_cmpgt_epi32(b, i17), i18));
    _mm256_storeu_ps(mag + x,
                     _mm256_sqrt_ps(_mm256_add_ps(_mm256_mul_ps(dx, dx), _mm256_mul_ps(dy, dy))));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(bin + x), b);
    _mm256_storeu_ps(frac + x, f);
  }
  GradientRangeScalar(up, mid, down, width, x, width, mag, bin, frac);
}

}  // namespace fhog_impl

namespace scan_impl {

namespace {
inline float HSum(__m256 a) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}
}  // namespace

void AccumulateRowAvx2(const float* filt, int len, const float* hrow, int nx, float* out) {
  int x = 0;
  // Four window positions share each filter load.
  for (; x + 4 <= nx; x += 4) {
    const float* h0 = hrow + static_cast<size_t>(x) * kFhogStride;
    const float* h1 = h0 + kFhogStride;
    const float* h2 = h1 + kFhogStride;
    const float* h3 = h2 + kFhogStride;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(),
           a3 = _mm256_setzero_ps();
    __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps(), b2 = _mm256_setzero_ps(),
           b3 = _mm256_setzero_ps();
    for (int i = 0; i < len; i += 16) {
      const __m256 f0 = _mm256_loadu_ps(filt + i), f1 = _mm256_loadu_ps(filt + i + 8);
      a0 = _mm256_fmadd_ps(f0, _mm256_loadu_ps(h0 + i), a0);
      a1 = _mm256_fmadd_ps(f0, _mm256_loadu_ps(h1 + i), a1);
      a2 = _mm256_fmadd_ps(f0, _mm256_loadu_ps(h2 + i), a2);
      a3 = _mm256_fmadd_ps(f0, _mm256_loadu_ps(h3 + i), a3);
      b0 = _mm256_fmadd_ps(f1, _mm256_loadu_ps(h0 + i + 8), b0);
      b1 = _mm256_fmadd_ps(f1, _mm256_loadu_ps(h1 + i + 8), b1);
      b2 = _mm256_fmadd_ps(f1, _mm256_loadu_ps(h2 + i + 8), b2);
      b3 = _mm256_fmadd_ps(f1, _mm256_loadu_ps(h3 + i + 8), b3);
    }
    a0 = _mm256_add_ps(a0, b0);
    a1 = _mm256_add_ps(a1, b1);
    a2 = _mm256_add_ps(a2, b2);
    a3 = _mm256_add_ps(a3, b3);
    // Reduce four vectors to four sums at once.
    const __m256 p01 = _mm256_hadd_ps(a0, a1);   // a0 pairs, a1 pairs (per 128-bit half)
    const __m256 p23 = _mm256_hadd_ps(a2, a3);
    const __m256 q = _mm256_hadd_ps(p01, p23);   // [s0 s1 s2 s3] per half
    const __m128 r = _mm_add_ps(_mm256_castps256_ps128(q), _mm256_extractf128_ps(q, 1));
    _mm_storeu_ps(out + x, _mm_add_ps(_mm_loadu_ps(out + x), r));
  }
  for (; x + 2 <= nx; x += 2) {
    const float* h0 = hrow + static_cast<size_t>(x) * kFhogStride;
    const float* h1 = h0 + kFhogStride;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps();
    for (int i = 0; i < len; i += 16) {
      const __m256 f0 = _mm256_loadu_ps(filt + i), f1 = _mm256_loadu_ps(filt + i + 8);
      a0 = _mm256_fmadd_ps(f0, _mm256_loadu_ps(h0 + i), a0);
      a1 = _mm256_fmadd_ps(f1, _mm256_loadu_ps(h0 + i + 8), a1);
      b0 = _mm256_fmadd_ps(f0, _mm256_loadu_ps(h1 + i), b0);
      b1 = _mm256_fmadd_ps(f1, _mm256_loadu_ps(h1 + i + 8), b1);
    }
    __m256 a = _mm256_add_ps(a0, a1), b = _mm256_add_ps(b0, b1);
    // Horizontal sums of a and b together.
    __m256 ab = _mm256_hadd_ps(a, b);  // a01 a23 b01 b23 | a45 a67 b45 b67
    ab = _mm256_hadd_ps(ab, ab);       // a0123 b0123 .. | a4567 b4567 ..
    const __m128 lo = _mm256_castps256_ps128(ab), hi = _mm256_extractf128_ps(ab, 1);
    const __m128 s = _mm_add_ps(lo, hi);  // [a, b, a, b]
    out[x] += _mm_cvtss_f32(s);
    out[x + 1] += _mm_cvtss_f32(_mm_shuffle_ps(s, s, 1));
  }
  for (; x < nx; ++x) {
    const float* h0 = hrow + static_cast<size_t>(x) * kFhogStride;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    for (int i = 0; i < len; i += 16) {
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(filt + i), _mm256_loadu_ps(h0 + i), a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(filt + i + 8), _mm256_loadu_ps(h0 + i + 8), a1);
    }
    const __m256 a = _mm256_add_ps(a0, a1);
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    out[x] += _mm_cvtss_f32(s);
  }
}

void AccumulateRow3Avx2(const float* const* filt, int len, const float* hrow, int nx, float* const* out) {
  const float* fa = filt[0];
  const float* fb = filt[1];
  const float* fc = filt[2];
  int x = 0;
  // Three positions x three filters: 9 accumulators, 6 loads per 9 FMAs.
  for (; x + 3 <= nx; x += 3) {
    const float* h0 = hrow + static_cast<size_t>(x) * kFhogStride;
    const float* h1 = h0 + kFhogStride;
    const float* h2 = h1 + kFhogStride;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps();
    __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps(), b2 = _mm256_setzero_ps();
    __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps(), c2 = _mm256_setzero_ps();
    for (int i = 0; i < len; i += 8) {
      const __m256 x0 = _mm256_loadu_ps(h0 + i), x1 = _mm256_loadu_ps(h1 + i), x2 = _mm256_loadu_ps(h2 + i);
      const __m256 ka = _mm256_loadu_ps(fa + i);
      a0 = _mm256_fmadd_ps(ka, x0, a0);
      a1 = _mm256_fmadd_ps(ka, x1, a1);
      a2 = _mm256_fmadd_ps(ka, x2, a2);
      const __m256 kb = _mm256_loadu_ps(fb + i);
      b0 = _mm256_fmadd_ps(kb, x0, b0);
      b1 = _mm256_fmadd_ps(kb, x1, b1);
      b2 = _mm256_fmadd_ps(kb, x2, b2);
      const __m256 kc = _mm256_loadu_ps(fc + i);
      c0 = _mm256_fmadd_ps(kc, x0, c0);
      c1 = _mm256_fmadd_ps(kc, x1, c1);
      c2 = _mm256_fmadd_ps(kc, x2, c2);
    }
    // Reduce: [a0 a1 a2 b0] and [b1 b2 c0 c1] via hadd, c2 alone.
    const __m256 q0 = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, b0));
    const __m256 q1 = _mm256_hadd_ps(_mm256_hadd_ps(b1, b2), _mm256_hadd_ps(c0, c1));
    const __m128 r0 = _mm_add_ps(_mm256_castps256_ps128(q0), _mm256_extractf128_ps(q0, 1));
    const __m128 r1 = _mm_add_ps(_mm256_castps256_ps128(q1), _mm256_extractf128_ps(q1, 1));
    alignas(16) float v[8];
    _mm_store_ps(v, r0);
    _mm_store_ps(v + 4, r1);
    out[0][x] += v[0];
    out[0][x + 1] += v[1];
    out[0][x + 2] += v[2];
    out[1][x] += v[3];
    out[1][x + 1] += v[4];
    out[1][x + 2] += v[5];
    out[2][x] += v[6];
    out[2][x + 1] += v[7];
    out[2][x + 2] += HSum(c2);
  }
  if (x < nx) {
    for (int k = 0; k < 3; ++k) AccumulateRowAvx2(filt[k], len, hrow + static_cast<size_t>(x) * kFhogStride, nx - x, out[k] + x);
  }
}

}  // namespace scan_impl
}  // namespace af

namespace af {
namespace scan_impl {

void AccumulateRow2Avx2(const float* const* filt, int len, const float* hrow, int nx, float* const* out) {
  const float* fa = filt[0];
  const float* fb = filt[1];
  int x = 0;
  // Four positions x two filters: 8 accumulators, 6 loads per 8 FMAs.
  for (; x + 4 <= nx; x += 4) {
    const float* h0 = hrow + static_cast<size_t>(x) * kFhogStride;
    const float* h1 = h0 + kFhogStride;
    const float* h2 = h1 + kFhogStride;
    const float* h3 = h2 + kFhogStride;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps(), b2 = _mm256_setzero_ps(), b3 = _mm256_setzero_ps();
    for (int i = 0; i < len; i += 8) {
      const __m256 x0 = _mm256_loadu_ps(h0 + i), x1 = _mm256_loadu_ps(h1 + i);
      const __m256 x2 = _mm256_loadu_ps(h2 + i), x3 = _mm256_loadu_ps(h3 + i);
      const __m256 ka = _mm256_loadu_ps(fa + i), kb = _mm256_loadu_ps(fb + i);
      a0 = _mm256_fmadd_ps(ka, x0, a0);
      a1 = _mm256_fmadd_ps(ka, x1, a1);
      a2 = _mm256_fmadd_ps(ka, x2, a2);
      a3 = _mm256_fmadd_ps(ka, x3, a3);
      b0 = _mm256_fmadd_ps(kb, x0, b0);
      b1 = _mm256_fmadd_ps(kb, x1, b1);
      b2 = _mm256_fmadd_ps(kb, x2, b2);
      b3 = _mm256_fmadd_ps(kb, x3, b3);
    }
    const __m256 qa = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
    const __m256 qb = _mm256_hadd_ps(_mm256_hadd_ps(b0, b1), _mm256_hadd_ps(b2, b3));
    const __m128 ra = _mm_add_ps(_mm256_castps256_ps128(qa), _mm256_extractf128_ps(qa, 1));
    const __m128 rb = _mm_add_ps(_mm256_castps256_ps128(qb), _mm256_extractf128_ps(qb, 1));
    _mm_storeu_ps(out[0] + x, _mm_add_ps(_mm_loadu_ps(out[0] + x), ra));
    _mm_storeu_ps(out[1] + x, _mm_add_ps(_mm_loadu_ps(out[1] + x), rb));
  }
  if (x < nx) {
    for (int k = 0; k < 2; ++k) AccumulateRowAvx2(filt[k], len, hrow + static_cast<size_t>(x) * kFhogStride, nx - x, out[k] + x);
  }
}

}  // namespace scan_impl
}  // namespace af
