#include "shape/shape_predictor.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "shape/leaf_accumulate.h"
#include "shape/shape_geometry.h"
#include "shape/shape_model.h"

namespace af {

struct ShapePredictor::Impl {
  shape::ShapeModel model;
};

ShapePredictor::ShapePredictor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ShapePredictor::~ShapePredictor() = default;

Status ShapePredictor::LoadFromMemory(const uint8_t* data, size_t size,
                                      std::shared_ptr<const ShapePredictor>* out) {
  if (out == nullptr) return Status(ErrorCode::kInvalidParameter, "shape model: null output");
  auto impl = std::make_unique<Impl>();
  Status st = shape::ParseShapeModel(data, size, &impl->model);
  if (!st.ok()) return st;
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

Shape90 ShapePredictor::Predict(const GrayImage& image, const BoxF& box) const {
  using namespace shape;
  const ShapeModel& m = impl_->model;
  alignas(64) float cur[kLeafStride];
  std::memcpy(cur, m.mean.data(), sizeof(float) * kDims);
  const bool usable = !image.empty() && box.w > 0.f && box.h > 0.f &&
                      image.pixels.size() >= static_cast<size_t>(image.width) * image.height;
  if (usable) {
    int16_t feat[kMaxPool];
    constexpr size_t kBatch = 64;
    const int8_t* batch[kBatch];
    alignas(64) float acc[kLeafStride];
    const uint32_t first_leaf = (1u << m.depth) - 1;
    for (const Level& level : m.levels) {
      const Similarity s = FitSimilarity(m.mean.data(), cur);
      for (size_t p = 0; p < level.pool.size(); ++p) {
        float u, v;
        PlaceFeature(cur, s, level.pool[p], &u, &v);
        const int x = ClampIndex(box.x + u * box.w, image.width);
        const int y = ClampIndex(box.y + v * box.h, image.height);
        feat[p] = image.at(x, y);
      }
      std::fill(acc, acc + kLeafStride, 0.f);
      size_t nb = 0;
      for (const Tree& tree : level.trees) {
        uint32_t node = 0;
        const SplitNode* sp = tree.splits.data();
        while (node < first_leaf) {
          const SplitNode& n = sp[node];
          node = 2 * node + (static_cast<float>(feat[n.a] - feat[n.b]) > n.threshold ? 1 : 2);
        }
        batch[nb++] = tree.leaves.data() + static_cast<size_t>(node - first_leaf) * kLeafStride;
        if (nb == kBatch) {
          AccumulateLeaves(acc, batch, nb);
          nb = 0;
        }
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
  Shape90 out;
  for (int i = 0; i < kNumPoints; ++i) {
    out[i].x = box.x + cur[2 * i] * box.w;
    out[i].y = box.y + cur[2 * i + 1] * box.h;
  }
  return out;
}

}  // namespace af
