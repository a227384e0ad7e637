// The face-box convention shared by the detector (what it outputs) and the shape predictor (what
// it is initialised from). Defined from the 90 points so both trainers derive it the same way:
//
//   Take the bounding box of all 90 points. The face box is the square with the same centre and
//   side = max(width, height) of that bounding box.
//
// So the box spans the brows' top to the chin and the jaw's width, squared. Documented in
// docs/box-convention.md next to the layout.
#ifndef ANALYZE_FACE_COMMON_FACE_BOX_H_
#define ANALYZE_FACE_COMMON_FACE_BOX_H_

#include <algorithm>

#include "common/types.h"

namespace af {

template <typename Points>
BoxF FaceBoxFromPoints(const Points& pts, int n = kNumPoints) {
  float l = pts[0].x, r = pts[0].x, t = pts[0].y, b = pts[0].y;
  for (int i = 1; i < n; ++i) {
    l = std::min(l, pts[i].x);
    r = std::max(r, pts[i].x);
    t = std::min(t, pts[i].y);
    b = std::max(b, pts[i].y);
  }
  const float side = std::max(r - l, b - t);
  const float cx = 0.5f * (l + r), cy = 0.5f * (t + b);
  return BoxF{cx - 0.5f * side, cy - 0.5f * side, side, side};
}

// Intersection over union of two boxes.
inline float BoxIoU(const BoxF& a, const BoxF& b) {
  const float ix = std::max(0.f, std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x));
  const float iy = std::max(0.f, std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y));
  const float inter = ix * iy;
  const float uni = a.area() + b.area() - inter;
  return uni > 0.f ? inter / uni : 0.f;
}

}  // namespace af

#endif  // ANALYZE_FACE_COMMON_FACE_BOX_H_
