#include "shape/leaf_accumulate.h"

#include "common/cpu.h"
#include "shape/shape_model.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace af {
namespace shape {

void AccumulateLeavesScalar(float* acc, const int8_t* const* leaves, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const int8_t* q = leaves[i];
    const float s = LeafScale(q);
    for (int j = 0; j < kDims; ++j) acc[j] += s * static_cast<float>(q[j]);
  }
}

void AccumulateLeavesSse2(float* acc, const int8_t* const* leaves, size_t n) {
#if defined(__SSE2__)
  // Two halves of 96 lanes so the 24 accumulators of a half stay in the 16 xmm registers
  // as much as the compiler can manage; each lane still sums leaves in order.
  for (int half = 0; half < 2; ++half) {
    float* a = acc + half * 96;
    __m128 r[24];
    for (int k = 0; k < 24; ++k) r[k] = _mm_loadu_ps(a + 4 * k);
    for (size_t i = 0; i < n; ++i) {
      const int8_t* q = leaves[i] + half * 96;
      const __m128 s = _mm_set1_ps(LeafScale(leaves[i]));
      for (int c = 0; c < 6; ++c) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 16 * c));
        const __m128i lo16 = _mm_srai_epi16(_mm_unpacklo_epi8(x, x), 8);
        const __m128i hi16 = _mm_srai_epi16(_mm_unpackhi_epi8(x, x), 8);
        const __m128i w0 = _mm_srai_epi32(_mm_unpacklo_epi16(lo16, lo16), 16);
        const __m128i w1 = _mm_srai_epi32(_mm_unpackhi_epi16(lo16, lo16), 16);
        const __m128i w2 = _mm_srai_epi32(_mm_unpacklo_epi16(hi16, hi16), 16);
        const __m128i w3 = _mm_srai_epi32(_mm_unpackhi_epi16(hi16, hi16), 16);
        r[4 * c + 0] = _mm_add_ps(r[4 * c + 0], _mm_mul_ps(s, _mm_cvtepi32_ps(w0)));
        r[4 * c + 1] = _mm_add_ps(r[4 * c + 1], _mm_mul_ps(s, _mm_cvtepi32_ps(w1)));
        r[4 * c + 2] = _mm_add_ps(r[4 * c + 2], _mm_mul_ps(s, _mm_cvtepi32_ps(w2)));
        r[4 * c + 3] = _mm_add_ps(r[4 * c + 3], _mm_mul_ps(s, _mm_cvtepi32_ps(w3)));
      }
    }
    for (int k = 0; k < 24; ++k) _mm_storeu_ps(a + 4 * k, r[k]);
  }
#else
  AccumulateLeavesScalar(acc, leaves, n);
#endif
}

void AccumulateLeaves(float* acc, const int8_t* const* leaves, size_t n) {
#if defined(__x86_64__) || defined(_M_X64)
  if (UseAvx2()) return AccumulateLeavesAvx2(acc, leaves, n);
  if (UseSse2()) return AccumulateLeavesSse2(acc, leaves, n);
#endif
  AccumulateLeavesScalar(acc, leaves, n);
}

#if !(defined(__x86_64__) || defined(_M_X64))
void AccumulateLeavesAvx2(float* acc, const int8_t* const* leaves, size_t n) {
  AccumulateLeavesScalar(acc, leaves, n);
}
#endif

}  // namespace shape
}  // namespace af
