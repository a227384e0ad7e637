// Non-x86 builds: the AVX2 entry points forward to the portable kernels (never selected,
// since af::UseAvx2() is false there).
#include "detect/fhog.h"
#include "detect/scan.h"

namespace af {
namespace fhog_impl {
void GradientRowAvx2(const uint8_t* up, const uint8_t* mid, const uint8_t* down, int width,
                     float* mag, int32_t* bin, float* frac) {
  GradientRowScalar(up, mid, down, width, mag, bin, frac);
}
}  // namespace fhog_impl
namespace scan_impl {
void AccumulateRowAvx2(const float* filt, int len, const float* hrow, int nx, float* out) {
  AccumulateRowScalar(filt, len, hrow, nx, out);
}
void AccumulateRow3Avx2(const float* const* filt, int len, const float* hrow, int nx, float* const* out) {
  for (int k = 0; k < 3; ++k) AccumulateRowScalar(filt[k], len, hrow, nx, out[k]);
}
void AccumulateRow2Avx2(const float* const* filt, int len, const float* hrow, int nx, float* const* out) {
  for (int k = 0; k < 2; ++k) AccumulateRowScalar(filt[k], len, hrow, nx, out[k]);
}
}  // namespace scan_impl
}  // namespace af
