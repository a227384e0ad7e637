// Run-time CPU feature detection for SIMD dispatch. Kernels built with AVX2 flags live in
// *_avx2.cc files; baseline code calls them only when UseAvx2() is true.
// Setting the environment variable ANALYZE_FACE_SIMD=scalar (or calling ForceScalar(true))
// disables every SIMD path, for tests that compare SIMD with scalar output.
#ifndef ANALYZE_FACE_COMMON_CPU_H_
#define ANALYZE_FACE_COMMON_CPU_H_

namespace af {

bool CpuHasAvx2();       // AVX2 + FMA supported by CPU and OS
bool UseAvx2();          // CpuHasAvx2() and not forced scalar
bool UseSse2();          // x86-64 baseline and not forced scalar
void ForceScalar(bool scalar);

}  // namespace af

#endif  // ANALYZE_FACE_COMMON_CPU_H_
