// The in-memory form of a 90-point shape model and its byte format (kind 1 inside the
// common/model_file.h container, layout id 90).
//
// WHAT THIS REPRESENTS
//   A cascade of `cascade` levels; each level has a feature pool of `pool` points (anchor
//   landmark + offset in normalised mean-shape coordinates) and `trees` regression trees of depth
//   `depth`. Split node k of a tree (k = 0 .. 2^depth-2, breadth first, children of k are 2k+1
//   (left) and 2k+2 (right)) goes left when pixel[a] - pixel[b] > threshold. Leaf j
//   (j = 0 .. 2^depth-1, node 2^depth-1+j) holds 180 int8 values q and a float scale s; its
//   displacement (mean-shape frame, normalised box units) is s * q, with x/y interleaved.
//
// PAYLOAD FORMAT, version 1 (little-endian; f32 = IEEE binary32):
//   u32 num_points (= 90)   u32 cascade   u32 trees   u32 depth   u32 pool   f32 nu (informative)
//   f32 mean_shape[180]     (u0 v0 u1 v1 ...; u = (x - box.x) / box.w, v = (y - box.y) / box.h)
//   per level:
//     pool × { u16 anchor, f32 dx, f32 dy }
//     trees × { (2^depth-1) × { u16 a, u16 b, f32 threshold },
//               2^depth × { f32 scale, i8 q[180] } }
//   nothing after the last level.
// Requirements re-checked by ParseShapeModel: num_points = 90; 1 <= cascade <= 64;
// 1 <= trees <= 4096; 1 <= depth <= 8; 2 <= pool <= 4096; anchors < 90; a, b < pool; every float
// finite; scales >= 0; the byte count matches exactly.
#ifndef ANALYZE_FACE_SHAPE_SHAPE_MODEL_H_
#define ANALYZE_FACE_SHAPE_SHAPE_MODEL_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/status.h"
#include "common/types.h"

namespace af {
namespace shape {

constexpr int kDims = 2 * kNumPoints;      // 180 values per shape
constexpr int kLeafStride = 192;           // in-memory leaf record (3 cache lines), see Tree
constexpr uint32_t kShapeFormatVersion = 1;
constexpr uint32_t kMaxCascade = 64;
constexpr uint32_t kMaxTrees = 4096;
constexpr uint32_t kMaxDepth = 8;
constexpr uint32_t kMaxPool = 4096;

struct PoolPoint {
  uint16_t anchor = 0;
  float dx = 0.f, dy = 0.f;
};

struct SplitNode {
  uint16_t a = 0, b = 0;
  float threshold = 0.f;
};

// One tree: splits (2^depth - 1) and leaves: 2^depth records of kLeafStride bytes laid out as
// int8 q[180], 4 zero bytes, float scale (bytes 184-187), 4 zero bytes. SIMD kernels read whole
// 192-byte records; accumulator lanes 180-191 are scratch.
struct Tree {
  std::vector<SplitNode> splits;
  std::vector<int8_t> leaves;  // 2^depth * kLeafStride bytes, 64-byte records
};

inline float LeafScale(const int8_t* leaf) {
  float s;
  __builtin_memcpy(&s, leaf + 184, 4);
  return s;
}
inline void SetLeafScale(int8_t* leaf, float s) { __builtin_memcpy(leaf + 184, &s, 4); }

struct Level {
  std::vector<PoolPoint> pool;
  std::vector<Tree> trees;
};

struct ShapeModel {
  uint32_t cascade = 0, trees = 0, depth = 0, pool = 0;
  float nu = 0.f;
  std::array<float, kDims> mean{};
  std::vector<Level> levels;
};

// Serialises `model` (format version kShapeFormatVersion) into a complete model file.
std::vector<uint8_t> SerializeShapeModel(const ShapeModel& model);

// Parses a complete model file (container + payload) and re-checks every requirement above.
// Errors are kModelInvalid with a message saying what is wrong; *out is untouched on error.
Status ParseShapeModel(const uint8_t* data, size_t size, ShapeModel* out);

}  // namespace shape
}  // namespace af

#endif  // ANALYZE_FACE_SHAPE_SHAPE_MODEL_H_
