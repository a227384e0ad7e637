// The leaf-accumulation kernels (scalar, SSE2, AVX2 when the CPU has it) agree within 1e-4, and
// Predict gives the same points with SIMD forced off. Random leaves from a fixed seed.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "../check.h"
#include "common/cpu.h"
#include "shape/leaf_accumulate.h"
#include "shape/shape_model.h"
#include "shape/shape_predictor.h"

using namespace af;
using namespace af::shape;

namespace {

std::vector<int8_t> RandomLeaves(std::mt19937& g, size_t n) {
  std::vector<int8_t> leaves(n * kLeafStride, 0);
  for (size_t i = 0; i < n; ++i) {
    int8_t* l = leaves.data() + i * kLeafStride;
    for (int d = 0; d < kDims; ++d) l[d] = static_cast<int8_t>(static_cast<int>(g() % 255) - 127);
    SetLeafScale(l, static_cast<float>(g() % 1000) * 1e-6f);
  }
  return leaves;
}

double MaxDiff(const float* a, const float* b) {
  double m = 0;
  for (int d = 0; d < kDims; ++d) m = std::max(m, std::fabs(static_cast<double>(a[d]) - b[d]));
  return m;
}

// A random but valid model: 3 levels × 40 trees of depth 3, pool 50.
ShapeModel RandomModel(std::mt19937& g) {
  ShapeModel m;
  m.cascade = 3; m.trees = 40; m.depth = 3; m.pool = 50; m.nu = 0.1f;
  for (int i = 0; i < kNumPoints; ++i) {
    m.mean[2 * i] = 0.2f + 0.6f * static_cast<float>(g() % 1000) / 1000.f;
    m.mean[2 * i + 1] = 0.2f + 0.6f * static_cast<float>(g() % 1000) / 1000.f;
  }
  for (uint32_t l = 0; l < m.cascade; ++l) {
    Level level;
    for (uint32_t p = 0; p < m.pool; ++p) {
      level.pool.push_back({static_cast<uint16_t>(g() % kNumPoints),
                            (static_cast<float>(g() % 200) - 100.f) / 1000.f,
                            (static_cast<float>(g() % 200) - 100.f) / 1000.f});
    }
    for (uint32_t t = 0; t < m.trees; ++t) {
      Tree tree;
      for (int s = 0; s < 7; ++s) {
        tree.splits.push_back({static_cast<uint16_t>(g() % m.pool), static_cast<uint16_t>(g() % m.pool),
                               static_cast<float>(static_cast<int>(g() % 101) - 50) + 0.5f});
      }
      tree.leaves = RandomLeaves(g, 8);
      for (size_t j = 0; j < 8; ++j) SetLeafScale(tree.leaves.data() + j * kLeafStride, 2e-5f);
      level.trees.push_back(tree);
    }
    m.levels.push_back(level);
  }
  return m;
}

}  // namespace

int main() {
  std::mt19937 g(7);
  for (size_t n : {0u, 1u, 3u, 64u, 500u}) {
    const std::vector<int8_t> leaves = RandomLeaves(g, n);
    std::vector<const int8_t*> ptrs;
    for (size_t i = 0; i < n; ++i) ptrs.push_back(leaves.data() + i * kLeafStride);
    alignas(64) float a[kLeafStride], b[kLeafStride], c[kLeafStride], ref[kLeafStride];
    for (int d = 0; d < kLeafStride; ++d) a[d] = b[d] = c[d] = ref[d] = 0.01f * static_cast<float>(d % 13);
    // Reference in double.
    std::vector<double> exact(kDims);
    for (int d = 0; d < kDims; ++d) exact[d] = ref[d];
    for (size_t i = 0; i < n; ++i) {
      for (int d = 0; d < kDims; ++d) exact[d] += static_cast<double>(LeafScale(ptrs[i])) * ptrs[i][d];
    }
    AccumulateLeavesScalar(a, ptrs.data(), n);
    AccumulateLeavesSse2(b, ptrs.data(), n);
    double err = 0;
    for (int d = 0; d < kDims; ++d) err = std::max(err, std::fabs(a[d] - exact[d]));
    CHECK(err < 1e-4);
    CHECK(MaxDiff(a, b) < 1e-4);
    if (CpuHasAvx2()) {
      AccumulateLeavesAvx2(c, ptrs.data(), n);
      CHECK(MaxDiff(a, c) < 1e-4);
    } else {
      std::printf("note: no AVX2 on this CPU, AVX2 kernel not exercised\n");
    }
    if (n > 0) CHECK(MaxDiff(a, ref) > 1e-3);  // the kernels really added something
  }

  // Whole predictor: SIMD vs forced scalar on a random model and a random-texture image.
  {
    const std::vector<uint8_t> file = SerializeShapeModel(RandomModel(g));
    std::shared_ptr<const ShapePredictor> p;
    CHECK(ShapePredictor::LoadFromMemory(file.data(), file.size(), &p).ok());
    GrayImage img;
    img.width = 160;
    img.height = 120;
    img.pixels.resize(160 * 120);
    for (auto& px : img.pixels) px = static_cast<uint8_t>(g() % 256);
    double worst = 0, moved = 0;
    for (int k = 0; k < 20; ++k) {
      const BoxF box{static_cast<float>(g() % 60), static_cast<float>(g() % 40), 60.f + g() % 40, 0.f};
      BoxF sq = box;
      sq.h = sq.w;
      ForceScalar(false);
      const Shape90 s1 = p->Predict(img, sq);
      ForceScalar(true);
      const Shape90 s2 = p->Predict(img, sq);
      ForceScalar(false);
      for (int i = 0; i < kNumPoints; ++i) {
        worst = std::max(worst, static_cast<double>(std::hypot(s1[i].x - s2[i].x, s1[i].y - s2[i].y)));
      }
      // compare against the box-mapped mean: the random trees must have moved the points
      ShapeModel m;
      ParseShapeModel(file.data(), file.size(), &m);
      moved = std::max(moved, static_cast<double>(std::fabs(s1[0].x - (sq.x + m.mean[0] * sq.w))));
    }
    CHECK(worst < 1e-3);
    CHECK(moved > 1e-3);
  }
  return af_test::finish();
}
