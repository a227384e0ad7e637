#include "common/cpu.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace af {
namespace {

bool DetectAvx2() {
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

bool ScalarFromEnv() {
  const char* v = std::getenv("ANALYZE_FACE_SIMD");
  return v != nullptr && std::strcmp(v, "scalar") == 0;
}

std::atomic<bool>& ForcedScalar() {
  static std::atomic<bool> forced{ScalarFromEnv()};
  return forced;
}

}  // namespace

bool CpuHasAvx2() {
  static const bool has = DetectAvx2();
  return has;
}

bool UseAvx2() { return CpuHasAvx2() && !ForcedScalar().load(std::memory_order_relaxed); }

bool UseSse2() {
#if defined(__SSE2__)
  return !ForcedScalar().load(std::memory_order_relaxed);
#else
  return false;
#endif
}

void ForceScalar(bool scalar) { ForcedScalar().store(scalar, std::memory_order_relaxed); }

}  // namespace af
