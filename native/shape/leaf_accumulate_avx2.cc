// Built with ${AF_AVX2_FLAGS}; only called when af::UseAvx2() is true.
#include <immintrin.h>

#include "shape/leaf_accumulate.h"
#include "shape/shape_model.h"

namespace af {
namespace shape {

void AccumulateLeavesAvx2(float* acc, const int8_t* const* leaves, size_t n) {
  // Two halves of 96 lanes: 12 ymm accumulators stay in registers across all leaves.
  for (int half = 0; half < 2; ++half) {
    float* a = acc + half * 96;
    __m256 r[12];
    for (int k = 0; k < 12; ++k) r[k] = _mm256_loadu_ps(a + 8 * k);
    for (size_t i = 0; i < n; ++i) {
      const int8_t* q = leaves[i] + half * 96;
      const __m256 s = _mm256_set1_ps(LeafScale(leaves[i]));
      for (int c = 0; c < 6; ++c) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 16 * c));
        const __m256 lo = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(x));
        const __m256 hi = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_unpackhi_epi64(x, x)));
        r[2 * c] = _mm256_fmadd_ps(s, lo, r[2 * c]);
        r[2 * c + 1] = _mm256_fmadd_ps(s, hi, r[2 * c + 1]);
      }
    }
    for (int k = 0; k < 12; ++k) _mm256_storeu_ps(a + 8 * k, r[k]);
  }
}

}  // namespace shape
}  // namespace af
