// Shape model format: round trip, hand-computed prediction, and every validation error
// (truncation at every offset, flipped bytes, wrong kind/layout/version, bad indices, non-finite
// values, trailing bytes). Needs no data and no trained model.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "../check.h"
#include "common/model_file.h"
#include "shape/shape_model.h"
#include "shape/shape_predictor.h"

using namespace af;
using namespace af::shape;

namespace {

// 1 level, 2 trees of depth 2, pool of 3 points anchored at points 0, 45 and 89.
ShapeModel TinyModel() {
  ShapeModel m;
  m.cascade = 1;
  m.trees = 2;
  m.depth = 2;
  m.pool = 3;
  m.nu = 0.1f;
  for (int i = 0; i < kNumPoints; ++i) {
    m.mean[2 * i] = 0.1f + 0.8f * static_cast<float>(i % 10) / 9.f;
    m.mean[2 * i + 1] = 0.1f + 0.8f * static_cast<float>(i / 10) / 8.f;
  }
  Level level;
  level.pool = {{0, 0.f, 0.f}, {45, 0.f, 0.f}, {89, 0.f, 0.f}};
  for (int t = 0; t < 2; ++t) {
    Tree tree;
    tree.splits = {{0, 1, 10.f}, {1, 2, 0.5f}, {2, 0, -0.5f}};
    tree.leaves.assign(4 * kLeafStride, 0);
    for (int j = 0; j < 4; ++j) {
      int8_t* leaf = tree.leaves.data() + j * kLeafStride;
      SetLeafScale(leaf, 0.001f * (t + 1));
      for (int d = 0; d < kDims; ++d) leaf[d] = static_cast<int8_t>((d % 7) - 3 + j * 10);
    }
    level.trees.push_back(tree);
  }
  m.levels.push_back(level);
  return m;
}

bool Loads(const std::vector<uint8_t>& f, std::string* msg = nullptr) {
  std::shared_ptr<const ShapePredictor> p;
  Status st = ShapePredictor::LoadFromMemory(f.data(), f.size(), &p);
  if (msg) *msg = st.message();
  if (!st.ok()) return false;
  return p != nullptr;
}

bool FailsWith(const std::vector<uint8_t>& f, const std::string& needle) {
  std::shared_ptr<const ShapePredictor> p;
  Status st = ShapePredictor::LoadFromMemory(f.data(), f.size(), &p);
  const bool ok = !st.ok() && st.code() == ErrorCode::kModelInvalid && p == nullptr &&
                  st.message().find(needle) != std::string::npos;
  if (!ok) std::printf("  expected failure containing '%s', got '%s'\n", needle.c_str(), st.message().c_str());
  return ok;
}

// Rewraps a payload (possibly edited) with a fresh, correct container header.
std::vector<uint8_t> Rewrap(const std::vector<uint8_t>& file, uint32_t kind, uint32_t version,
                            uint32_t layout, const std::vector<uint8_t>& extra = {}) {
  std::vector<uint8_t> payload(file.begin() + 40, file.end());
  payload.insert(payload.end(), extra.begin(), extra.end());
  ModelHeader h;
  h.kind = static_cast<ModelKind>(kind);
  h.format_version = version;
  h.layout_id = layout;
  return WriteModelFile(h, payload);
}

}  // namespace

int main() {
  const ShapeModel tiny = TinyModel();
  const std::vector<uint8_t> file = SerializeShapeModel(tiny);

  // Round trip: parse gives back the same structure, and serialising again the same bytes.
  {
    ShapeModel back;
    CHECK(ParseShapeModel(file.data(), file.size(), &back).ok());
    CHECK(back.cascade == 1 && back.trees == 2 && back.depth == 2 && back.pool == 3);
    CHECK(std::memcmp(back.mean.data(), tiny.mean.data(), sizeof(float) * kDims) == 0);
    CHECK(back.levels.size() == 1 && back.levels[0].trees.size() == 2);
    CHECK(back.levels[0].pool[1].anchor == 45);
    CHECK(back.levels[0].trees[1].splits[2].a == 2);
    CHECK(LeafScale(back.levels[0].trees[1].leaves.data() + 3 * kLeafStride) == 0.002f);
    CHECK(SerializeShapeModel(back) == file);
    CHECK(Loads(file));
  }

  // Prediction by hand: a uniform image makes every feature difference 0, so each tree goes
  // node 0 (0 > 10? no → right, node 2), node 2 (0 > -0.5 → left, node 5) = leaf 2. The similarity
  // of the mean to itself is the identity, so the output is box-mapped mean + Σ scale·q.
  {
    std::shared_ptr<const ShapePredictor> p;
    CHECK(ShapePredictor::LoadFromMemory(file.data(), file.size(), &p).ok());
    GrayImage img;
    img.width = 64;
    img.height = 48;
    img.pixels.assign(64 * 48, 100);
    const BoxF box{4.f, 2.f, 40.f, 40.f};
    const Shape90 s = p->Predict(img, box, PredictMode::kSingle);
    double max_err = 0;
    for (int i = 0; i < kNumPoints; ++i) {
      for (int c = 0; c < 2; ++c) {
        const int d = 2 * i + c;
        const float q = static_cast<float>((d % 7) - 3 + 2 * 10);
        const float expect_norm = tiny.mean[d] + 0.001f * q + 0.002f * q;
        const float expect = c == 0 ? box.x + expect_norm * box.w : box.y + expect_norm * box.h;
        max_err = std::max(max_err, std::fabs(static_cast<double>((c == 0 ? s[i].x : s[i].y) - expect)));
      }
    }
    CHECK(max_err < 1e-3);
    // A bright pixel under pool point 0 (anchor 0) flips the root split: 255-100 > 10 → left.
    const int x0 = static_cast<int>(box.x + tiny.mean[0] * box.w + 0.5f);
    const int y0 = static_cast<int>(box.y + tiny.mean[1] * box.h + 0.5f);
    img.pixels[y0 * 64 + x0] = 255;
    const Shape90 s2 = p->Predict(img, box, PredictMode::kSingle);
    CHECK(std::fabs(s2[0].x - s[0].x) > 1e-3f);
    // Degenerate inputs do not crash: empty image / zero box give the box-mapped mean.
    const Shape90 e = p->Predict(GrayImage{}, box);
    CHECK(std::fabs(e[5].x - (box.x + tiny.mean[10] * box.w)) < 1e-4f);
    const Shape90 z = p->Predict(img, BoxF{1e30f, -1e30f, 1e30f, 1e30f});
    CHECK(std::isfinite(z[0].x) || std::isinf(z[0].x));  // no UB; value irrelevant
  }

  // Truncation at every offset and a flipped byte anywhere: always a clean kModelInvalid.
  {
    int truncated_ok = 0;
    for (size_t n = 0; n < file.size(); ++n) {
      std::vector<uint8_t> cut(file.begin(), file.begin() + n);
      std::shared_ptr<const ShapePredictor> p;
      const Status st = ShapePredictor::LoadFromMemory(cut.data(), cut.size(), &p);
      truncated_ok += (!st.ok() && st.code() == ErrorCode::kModelInvalid && !p) ? 1 : 0;
    }
    CHECK(truncated_ok == static_cast<int>(file.size()));
    int flipped_ok = 0, flips = 0;
    for (size_t pos = 40; pos < file.size(); pos += 7) {
      std::vector<uint8_t> bad = file;
      bad[pos] ^= 0x5A;
      ++flips;
      flipped_ok += FailsWith(bad, "checksum mismatch") ? 1 : 0;
    }
    CHECK(flipped_ok == flips);
    std::vector<uint8_t> bad_magic = file;
    bad_magic[0] = 'X';
    CHECK(FailsWith(bad_magic, "bad magic"));
    CHECK(FailsWith({}, "too short"));
  }

  // Container-level mismatches with a correct checksum.
  CHECK(FailsWith(Rewrap(file, 2, 1, 90), "wrong model kind"));
  CHECK(FailsWith(Rewrap(file, 1, 1, 68), "not the 90-point layout"));
  CHECK(FailsWith(Rewrap(file, 1, 2, 90), "unsupported format version 2"));
  CHECK(FailsWith(Rewrap(file, 1, 0, 90), "unsupported format version 0"));
  CHECK(FailsWith(Rewrap(file, 1, 1, 90, {0}), "bytes after the header"));
  CHECK(Loads(Rewrap(file, 1, 1, 90)));

  // Structural requirements, each broken in a model with a valid container.
  auto broken = [&](auto edit, const std::string& needle) {
    ShapeModel m = TinyModel();
    edit(m);
    return FailsWith(SerializeShapeModel(m), needle);
  };
  CHECK(broken([](ShapeModel& m) { m.levels[0].pool[2].anchor = 90; }, "pool anchor 90 >= 90"));
  CHECK(broken([](ShapeModel& m) { m.levels[0].trees[1].splits[1].b = 3; }, "split feature index 3 >= pool size 3"));
  CHECK(broken([](ShapeModel& m) { m.levels[0].trees[0].splits[0].a = 65535; }, ">= pool size"));
  CHECK(broken([](ShapeModel& m) { m.levels[0].trees[0].splits[0].threshold = NAN; }, "non-finite split threshold"));
  CHECK(broken([](ShapeModel& m) { m.levels[0].pool[0].dx = INFINITY; }, "non-finite pool offset"));
  CHECK(broken([](ShapeModel& m) { m.mean[7] = NAN; }, "mean shape"));
  CHECK(broken([](ShapeModel& m) { SetLeafScale(m.levels[0].trees[0].leaves.data(), -1.f); }, "leaf scale"));
  CHECK(broken([](ShapeModel& m) { SetLeafScale(m.levels[0].trees[1].leaves.data() + 3 * kLeafStride, NAN); }, "leaf scale"));
  CHECK(broken([](ShapeModel& m) { m.nu = INFINITY; }, "nu is not finite"));
  // Declared sizes that disagree with the bytes present (leaves ≠ 2^depth, counts off by one).
  CHECK(broken([](ShapeModel& m) { m.depth = 3; }, "the parameters need"));
  CHECK(broken([](ShapeModel& m) { m.trees = 3; }, "the parameters need"));
  CHECK(broken([](ShapeModel& m) { m.pool = 4; }, "the parameters need"));
  CHECK(broken([](ShapeModel& m) { m.cascade = 2; }, "the parameters need"));
  CHECK(broken([](ShapeModel& m) { m.depth = 0; }, "depth 0 outside"));
  CHECK(broken([](ShapeModel& m) { m.depth = 9; }, "depth 9 outside"));
  CHECK(broken([](ShapeModel& m) { m.cascade = 0; }, "cascade 0 outside"));
  CHECK(broken([](ShapeModel& m) { m.trees = 5000; }, "trees 5000 outside"));
  CHECK(broken([](ShapeModel& m) { m.pool = 1; }, "pool 1 outside"));
  // A huge declared cascade must not allocate before the size check.
  CHECK(broken([](ShapeModel& m) { m.cascade = 64; m.trees = 4096; m.depth = 8; }, "the parameters need"));

  // LoadFromFile on a missing file.
  {
    std::shared_ptr<const ShapePredictor> p;
    const Status st = ShapePredictor::LoadFromFile("/nonexistent/shape90.afm", &p);
    CHECK(!st.ok() && st.code() == ErrorCode::kModelInvalid && !p);
  }
  return af_test::finish();
}
