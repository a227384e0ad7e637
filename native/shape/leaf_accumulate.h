// The inference hot loop: acc[j] += scale(leaf) * q(leaf)[j] for every selected leaf of a level.
// Three implementations that agree within 1e-4 (tested): scalar, SSE2 (x86-64 baseline) and AVX2
// (leaf_accumulate_avx2.cc, built with AVX2/FMA flags, chosen at run time via af::UseAvx2()).
#ifndef ANALYZE_FACE_SHAPE_LEAF_ACCUMULATE_H_
#define ANALYZE_FACE_SHAPE_LEAF_ACCUMULATE_H_

#include <cstddef>
#include <cstdint>

namespace af {
namespace shape {

/*!  requires - acc points to kLeafStride (192) floats; each leaves[i] to a kLeafStride-byte
                leaf record (shape_model.h)
     ensures  - acc[j] += LeafScale(leaves[i]) * leaves[i][j] for i in order, j < 180;
                lanes 180..191 are scratch (may change)  !*/
void AccumulateLeavesScalar(float* acc, const int8_t* const* leaves, size_t n);
void AccumulateLeavesSse2(float* acc, const int8_t* const* leaves, size_t n);
void AccumulateLeavesAvx2(float* acc, const int8_t* const* leaves, size_t n);

// The best kernel allowed right now (af::UseAvx2 / af::UseSse2 / scalar).
void AccumulateLeaves(float* acc, const int8_t* const* leaves, size_t n);

}  // namespace shape
}  // namespace af

#endif  // ANALYZE_FACE_SHAPE_LEAF_ACCUMULATE_H_
