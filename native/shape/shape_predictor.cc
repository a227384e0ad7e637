#include "shape/shape_predictor.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "shape/leaf_accumulate.h"
#include "shape/shape_geometry.h"
#include "shape/shape_model.h"

namespace af {

namespace {

// Inference layout of one level, built once at load: every tree's split nodes and leaf records
// in two contiguous arrays (no per-tree pointer chasing), thresholds as integers. The pixel
// difference is an integer, so `diff > t` equals `diff > floor(t)` for every finite t.
struct FlatNode {
  uint16_t a = 0, b = 0;
  int32_t t = 0;
};
struct FlatLevel {
  std::vector<shape::PoolPoint> pool;
  std::vector<FlatNode> nodes;   // trees × (2^depth - 1)
  std::vector<int8_t> leaves;    // trees × 2^depth × kLeafStride, + 64 bytes for alignment
  size_t leaf_offset = 0;        // first 64-byte-aligned byte of `leaves`
};

}  // namespace

struct ShapePredictor::Impl {
  uint32_t depth = 0, trees = 0;
  std::array<float, shape::kDims> mean{};
  std::vector<FlatLevel> levels;

  explicit Impl(shape::ShapeModel&& m) : depth(m.depth), trees(m.trees), mean(m.mean) {
    const size_t nodes = (size_t{1} << depth) - 1, leaves = size_t{1} << depth;
    for (shape::Level& level : m.levels) {
      FlatLevel f;
      f.pool = std::move(level.pool);
      f.nodes.reserve(level.trees.size() * nodes);
      f.leaves.assign(level.trees.size() * leaves * shape::kLeafStride + 64, 0);
      f.leaf_offset = (64 - reinterpret_cast<uintptr_t>(f.leaves.data()) % 64) % 64;
      int8_t* out = f.leaves.data() + f.leaf_offset;
      for (shape::Tree& tree : level.trees) {
        for (const shape::SplitNode& sn : tree.splits) {
          const float t = std::floor(std::max(-1024.f, std::min(1024.f, sn.threshold)));
          f.nodes.push_back(FlatNode{sn.a, sn.b, static_cast<int32_t>(t)});
        }
        std::memcpy(out, tree.leaves.data(), tree.leaves.size());
        out += tree.leaves.size();
        std::vector<shape::SplitNode>().swap(tree.splits);
        std::vector<int8_t>().swap(tree.leaves);
      }
      levels.push_back(std::move(f));
    }
  }
};

ShapePredictor::ShapePredictor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ShapePredictor::~ShapePredictor() = default;

Status ShapePredictor::LoadFromMemory(const uint8_t* data, size_t size,
                                      std::shared_ptr<const ShapePredictor>* out) {
  if (out == nullptr) return Status(ErrorCode::kInvalidParameter, "shape model: null output");
  shape::ShapeModel model;
  Status st = shape::ParseShapeModel(data, size, &model);
  if (!st.ok()) return st;
  auto impl = std::make_unique<Impl>(std::move(model));
  out->reset(new ShapePredictor(std::move(impl)));  // private constructor: no make_shared
  return Status::Ok();
}

Status ShapePredictor::LoadFromFile(const std::string& path,
                                    std::shared_ptr<const ShapePredictor>* out) {
  std::vector<uint8_t> bytes;
  Status st = ReadFileBytes(path, &bytes);
  if (!st.ok()) return Status(ErrorCode::kModelInvalid, "shape model " + path + ": " + st.message());
  return LoadFromMemory(bytes.data(), bytes.size(), out);
}

namespace {

// One pass of the cascade from the mean shape. With `mirrored` the cascade runs on the image's
// left-right mirror (box mirrored too) without building that image: pixel reads flip x.
// `cur` receives the normalised shape in the (mirrored) box frame.
void RunCascade(const ShapePredictor::Impl& m, const GrayImage& image, const BoxF& box,
                bool mirrored, float* cur) {
  using namespace shape;
  std::memcpy(cur, m.mean.data(), sizeof(float) * kDims);
  int32_t feat[kMaxPool];
  constexpr size_t kBatch = 64;
  const int8_t* batch[kBatch];
  alignas(64) float acc[kLeafStride];
  const uint32_t depth = m.depth, nodes = (1u << depth) - 1;
  const size_t leaf_bytes = (size_t{1} << depth) * kLeafStride;
  for (const FlatLevel& level : m.levels) {
    const Similarity s = FitSimilarity(m.mean.data(), cur);
    for (size_t p = 0; p < level.pool.size(); ++p) {
      float u, v;
      PlaceFeature(cur, s, level.pool[p], &u, &v);
      int x = ClampIndex(box.x + u * box.w, image.width);
      const int y = ClampIndex(box.y + v * box.h, image.height);
      if (mirrored) x = image.width - 1 - x;
      feat[p] = image.at(x, y);
    }
    std::fill(acc, acc + kLeafStride, 0.f);
    const FlatNode* nd = level.nodes.data();
    const int8_t* leaves = level.leaves.data() + level.leaf_offset;
    // Which way a split goes is a coin flip to the branch predictor, so the descent is
    // branch-free arithmetic, four trees at a time: their chains of dependent loads are
    // independent and overlap (measured: Predict 1.8x faster than with a branchy one-tree descent).
    size_t nb = 0;
    auto emit = [&](const int8_t* tree_leaves, uint32_t i) {
      const int8_t* leaf = tree_leaves + static_cast<size_t>(i - nodes) * kLeafStride;
      __builtin_prefetch(leaf);
      __builtin_prefetch(leaf + 64);
      __builtin_prefetch(leaf + 128);
      batch[nb++] = leaf;
      if (nb == kBatch) {
        AccumulateLeaves(acc, batch, nb);
        nb = 0;
      }
    };
    auto step = [&](const FlatNode* tree, uint32_t i) {
      const FlatNode& n = tree[i];
      return 2 * i + 2 - static_cast<uint32_t>(feat[n.a] - feat[n.b] > n.t);
    };
    uint32_t t = 0;
    for (; t + 4 <= m.trees; t += 4, nd += 4 * nodes, leaves += 4 * leaf_bytes) {
      uint32_t i0 = 0, i1 = 0, i2 = 0, i3 = 0;
      for (uint32_t d = 0; d < depth; ++d) {
        i0 = step(nd, i0);
        i1 = step(nd + nodes, i1);
        i2 = step(nd + 2 * nodes, i2);
        i3 = step(nd + 3 * nodes, i3);
      }
      emit(leaves, i0);
      emit(leaves + leaf_bytes, i1);
      emit(leaves + 2 * leaf_bytes, i2);
      emit(leaves + 3 * leaf_bytes, i3);
    }
    for (; t < m.trees; ++t, nd += nodes, leaves += leaf_bytes) {
      uint32_t i = 0;
      for (uint32_t d = 0; d < depth; ++d) i = step(nd, i);
      emit(leaves, i);
    }
    AccumulateLeaves(acc, batch, nb);
    for (int i = 0; i < kNumPoints; ++i) {
      float dx, dy;
      s.Apply(acc[2 * i], acc[2 * i + 1], &dx, &dy);
      cur[2 * i] += dx;
      cur[2 * i + 1] += dy;
    }
  }
}

}  // namespace

Shape90 ShapePredictor::Predict(const GrayImage& image, const BoxF& box,
                                PredictMode mode) const {
  using namespace shape;
  const Impl& m = *impl_;
  alignas(64) float cur[kLeafStride];
  const bool usable = !image.empty() && box.w > 0.f && box.h > 0.f &&
                      image.pixels.size() >= static_cast<size_t>(image.width) * image.height;
  Shape90 out;
  if (!usable) {
    for (int i = 0; i < kNumPoints; ++i) {
      out[i].x = box.x + m.mean[2 * i] * box.w;
      out[i].y = box.y + m.mean[2 * i + 1] * box.h;
    }
    return out;
  }
  RunCascade(m, image, box, false, cur);
  for (int i = 0; i < kNumPoints; ++i) {
    out[i].x = box.x + cur[2 * i] * box.w;
    out[i].y = box.y + cur[2 * i + 1] * box.h;
  }
  if (mode == PredictMode::kSingle) return out;
  // Mirror averaging: the same cascade on the mirrored face, mapped back through the left/right
  // point swap, averaged with the direct pass. Halves the variance of errors that are not
  // mirror-symmetric (measured on val from detector boxes: NME 0.0203 -> 0.0193).
  const float w1 = static_cast<float>(image.width - 1);
  const BoxF mbox{w1 - (box.x + box.w), box.y, box.w, box.h};
  RunCascade(m, image, mbox, true, cur);
  const auto& map = MirrorMap();
  for (int i = 0; i < kNumPoints; ++i) {
    PointF& o = out[map[i]];
    o.x = 0.5f * (o.x + (w1 - (mbox.x + cur[2 * i] * mbox.w)));
    o.y = 0.5f * (o.y + (mbox.y + cur[2 * i + 1] * mbox.h));
  }
  return out;
}

}  // namespace af
