// Small geometry shared by the shape predictor and its trainer: the 2×2 similarity between
// shapes, feature-point placement, clamped pixel indexing and the mirror map of the 90 points.
#ifndef ANALYZE_FACE_SHAPE_SHAPE_GEOMETRY_H_
#define ANALYZE_FACE_SHAPE_SHAPE_GEOMETRY_H_

#include <array>

#include "common/types.h"
#include "shape/shape_model.h"

namespace af {
namespace shape {

// x' = a x - b y, y' = b x + a y: rotation by atan2(b, a) and scale hypot(a, b).
struct Similarity {
  float a = 1.f, b = 0.f;
  void Apply(float x, float y, float* ox, float* oy) const {
    *ox = a * x - b * y;
    *oy = b * x + a * y;
  }
  Similarity Inverse() const {
    const float n = a * a + b * b;
    if (!(n > 1e-20f)) return Similarity{};
    return Similarity{a / n, -b / n};
  }
};

// Least-squares similarity (no translation: both shapes are centred first) taking `from` onto
// `to`; both are kDims floats, x/y interleaved.
inline Similarity FitSimilarity(const float* from, const float* to) {
  double fx = 0, fy = 0, tx = 0, ty = 0;
  for (int i = 0; i < kNumPoints; ++i) {
    fx += from[2 * i]; fy += from[2 * i + 1];
    tx += to[2 * i]; ty += to[2 * i + 1];
  }
  fx /= kNumPoints; fy /= kNumPoints; tx /= kNumPoints; ty /= kNumPoints;
  double dot = 0, cross = 0, norm = 0;
  for (int i = 0; i < kNumPoints; ++i) {
    const double mx = from[2 * i] - fx, my = from[2 * i + 1] - fy;
    const double cx = to[2 * i] - tx, cy = to[2 * i + 1] - ty;
    dot += mx * cx + my * cy;
    cross += mx * cy - my * cx;
    norm += mx * mx + my * my;
  }
  if (!(norm > 1e-20)) return Similarity{};
  return Similarity{static_cast<float>(dot / norm), static_cast<float>(cross / norm)};
}

// Where pool point p lies for the current shape `cur` (normalised box coordinates).
inline void PlaceFeature(const float* cur, const Similarity& s, const PoolPoint& p, float* u,
                         float* v) {
  float ox, oy;
  s.Apply(p.dx, p.dy, &ox, &oy);
  *u = cur[2 * p.anchor] + ox;
  *v = cur[2 * p.anchor + 1] + oy;
}

// Nearest pixel index in [0, size-1] for coordinate x (NaN and huge values clamp too).
inline int ClampIndex(float x, int size) {
  if (!(x > 0.f)) return 0;
  const float hi = static_cast<float>(size - 1);
  if (x >= hi) return size - 1;
  return static_cast<int>(x + 0.5f);
}

// Index of the point that point i becomes when the face is mirrored left-right
// (../shared/docs/layout.md: "left"/"right" are the viewer's, so mirroring swaps them).
inline const std::array<int, kNumPoints>& MirrorMap() {
  static const std::array<int, kNumPoints> map = [] {
    std::array<int, kNumPoints> m{};
    for (int k = 0; k <= 20; ++k) m[k] = 20 - k;                 // FaceProfile
    for (int i = 0; i < 8; ++i) { m[21 + i] = 29 + i; m[29 + i] = 21 + i; }  // brows
    for (int i = 0; i < 8; ++i) { m[37 + i] = 45 + i; m[45 + i] = 37 + i; }  // eyes
    const int nose[13] = {0, 1, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2};
    for (int i = 0; i < 13; ++i) m[53 + i] = 53 + nose[i];
    const int mouth[22] = {6, 5, 4, 3, 2, 1, 0, 11, 10, 9, 8, 7,
                           16, 15, 14, 13, 12, 21, 20, 19, 18, 17};
    for (int i = 0; i < 22; ++i) m[66 + i] = 66 + mouth[i];
    m[88] = 89;
    m[89] = 88;
    return m;
  }();
  return map;
}

}  // namespace shape
}  // namespace af

#endif  // ANALYZE_FACE_SHAPE_SHAPE_GEOMETRY_H_
