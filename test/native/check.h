// Minimal check macros for native tests: no framework, no dependencies.
#ifndef ANALYZE_FACE_TEST_CHECK_H_
#define ANALYZE_FACE_TEST_CHECK_H_

#include <cstdio>

namespace af_test {
inline int& passed() { static int n = 0; return n; }
inline int& failed() { static int n = 0; return n; }
inline int finish() {
  std::printf("%d passed, %d failed\n", passed(), failed());
  return failed() == 0 ? 0 : 1;
}
}  // namespace af_test

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (cond) {                                                                  \
      ++af_test::passed();                                                       \
    } else {                                                                     \
      ++af_test::failed();                                                       \
      std::printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                \
    }                                                                            \
  } while (0)

#endif  // ANALYZE_FACE_TEST_CHECK_H_
