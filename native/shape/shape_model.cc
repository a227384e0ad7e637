#include "shape/shape_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "common/model_file.h"

namespace af {
namespace shape {

namespace {

constexpr const char* kWhat = "shape model";

Status Invalid(const std::string& why) {
  return Status(ErrorCode::kModelInvalid, std::string(kWhat) + ": " + why);
}

// Bytes of one level in the version-1 payload.
uint64_t LevelBytes(uint64_t trees, uint64_t depth, uint64_t pool) {
  const uint64_t nodes = (uint64_t{1} << depth) - 1, leaves = uint64_t{1} << depth;
  return pool * 10 + trees * (nodes * 8 + leaves * (4 + kDims));
}

}  // namespace

std::vector<uint8_t> SerializeShapeModel(const ShapeModel& m) {
  ByteWriter w;
  w.u32(kNumPoints);
  w.u32(m.cascade);
  w.u32(m.trees);
  w.u32(m.depth);
  w.u32(m.pool);
  w.f32(m.nu);
  w.array(m.mean.data(), m.mean.size());
  for (const Level& level : m.levels) {
    for (const PoolPoint& p : level.pool) {
      w.u16(p.anchor);
      w.f32(p.dx);
      w.f32(p.dy);
    }
    for (const Tree& t : level.trees) {
      for (const SplitNode& s : t.splits) {
        w.u16(s.a);
        w.u16(s.b);
        w.f32(s.threshold);
      }
      // The leaves present, not 2^depth: the model tests serialise deliberately inconsistent
      // models for the parser to reject, and that must not read past `t.leaves`.
      for (size_t j = 0; j < t.leaves.size() / kLeafStride; ++j) {
        const int8_t* leaf = t.leaves.data() + j * kLeafStride;
        w.f32(LeafScale(leaf));
        w.array(leaf, kDims);
      }
    }
  }
  ModelHeader h;
  h.kind = ModelKind::kShapePredictor;
  h.format_version = kShapeFormatVersion;
  h.layout_id = kLayoutId90;
  return WriteModelFile(h, w.bytes());
}

Status ParseShapeModel(const uint8_t* data, size_t size, ShapeModel* out) {
  ModelHeader header;
  const uint8_t* payload = nullptr;
  size_t payload_size = 0;
  Status st = OpenModelFile(data, size, ModelKind::kShapePredictor, kWhat, &header, &payload,
                            &payload_size);
  if (!st.ok()) return st;
  // Every version ever written is listed here (only 1 so far).
  if (header.format_version != 1) {
    return Invalid("unsupported format version " + std::to_string(header.format_version) +
                   " (this build reads version 1)");
  }
  if (header.layout_id != kLayoutId90) {
    return Invalid("point layout " + std::to_string(header.layout_id) +
                   " is not the 90-point layout");
  }
  ByteReader r(payload, payload_size);
  ShapeModel m;
  const uint32_t num_points = r.u32();
  m.cascade = r.u32();
  m.trees = r.u32();
  m.depth = r.u32();
  m.pool = r.u32();
  m.nu = r.f32();
  if (!r.ok()) return Invalid("truncated parameter block");
  if (num_points != kNumPoints) {
    return Invalid("num_points " + std::to_string(num_points) + " != 90");
  }
  if (m.cascade < 1 || m.cascade > kMaxCascade) {
    return Invalid("cascade " + std::to_string(m.cascade) + " outside 1.." +
                   std::to_string(kMaxCascade));
  }
  if (m.trees < 1 || m.trees > kMaxTrees) {
    return Invalid("trees " + std::to_string(m.trees) + " outside 1.." + std::to_string(kMaxTrees));
  }
  if (m.depth < 1 || m.depth > kMaxDepth) {
    return Invalid("depth " + std::to_string(m.depth) + " outside 1.." + std::to_string(kMaxDepth));
  }
  if (m.pool < 2 || m.pool > kMaxPool) {
    return Invalid("pool " + std::to_string(m.pool) + " outside 2.." + std::to_string(kMaxPool));
  }
  if (!std::isfinite(m.nu)) return Invalid("nu is not finite");
  // The exact size is known from the parameters: check it before allocating anything.
  const uint64_t expected =
      uint64_t{m.cascade} * LevelBytes(m.trees, m.depth, m.pool) + kDims * 4;
  if (r.remaining() != expected) {
    return Invalid("payload holds " + std::to_string(r.remaining()) + " bytes after the header, " +
                   "the parameters need " + std::to_string(expected));
  }
  r.array(m.mean.data(), m.mean.size());
  for (float v : m.mean) {
    if (!std::isfinite(v)) return Invalid("mean shape has a non-finite value");
  }
  const uint32_t nodes = (1u << m.depth) - 1, leaves = 1u << m.depth;
  m.levels.resize(m.cascade);
  for (uint32_t l = 0; l < m.cascade; ++l) {
    Level& level = m.levels[l];
    level.pool.resize(m.pool);
    for (PoolPoint& p : level.pool) {
      p.anchor = r.u16();
      p.dx = r.f32();
      p.dy = r.f32();
      if (p.anchor >= kNumPoints) {
        return Invalid("level " + std::to_string(l) + ": pool anchor " +
                       std::to_string(p.anchor) + " >= 90");
      }
      if (!std::isfinite(p.dx) || !std::isfinite(p.dy)) {
        return Invalid("level " + std::to_string(l) + ": non-finite pool offset");
      }
    }
    level.trees.resize(m.trees);
    for (uint32_t t = 0; t < m.trees; ++t) {
      Tree& tree = level.trees[t];
      tree.splits.resize(nodes);
      for (SplitNode& s : tree.splits) {
        s.a = r.u16();
        s.b = r.u16();
        s.threshold = r.f32();
        if (s.a >= m.pool || s.b >= m.pool) {
          return Invalid("level " + std::to_string(l) + " tree " + std::to_string(t) +
                         ": split feature index " + std::to_string(std::max(s.a, s.b)) +
                         " >= pool size " + std::to_string(m.pool));
        }
        if (!std::isfinite(s.threshold)) {
          return Invalid("level " + std::to_string(l) + " tree " + std::to_string(t) +
                         ": non-finite split threshold");
        }
      }
      tree.leaves.assign(size_t{leaves} * kLeafStride, 0);
      for (uint32_t j = 0; j < leaves; ++j) {
        int8_t* leaf = tree.leaves.data() + size_t{j} * kLeafStride;
        const float scale = r.f32();
        r.array(leaf, kDims);
        if (!std::isfinite(scale) || scale < 0.f) {
          return Invalid("level " + std::to_string(l) + " tree " + std::to_string(t) +
                         ": leaf scale is negative or not finite");
        }
        SetLeafScale(leaf, scale);
      }
    }
  }
  if (!r.ok()) return Invalid("truncated payload");
  if (!r.at_end()) return Invalid("unexpected bytes after the last level");
  *out = std::move(m);
  return Status::Ok();
}

}  // namespace shape
}  // namespace af
