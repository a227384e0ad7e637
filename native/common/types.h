// Plain value types shared by every stage of the engine. No N-API here.
#ifndef ANALYZE_FACE_COMMON_TYPES_H_
#define ANALYZE_FACE_COMMON_TYPES_H_

#include <array>
#include <cstdint>

namespace af {

// Number of points in the 90-point layout (../shared/docs/layout.md); model index order:
// FaceProfile 0-20, LeftEyeBrow 21-28, RightEyeBrow 29-36, LeftEye 37-44, RightEye 45-52,
// Nose 53-65, Mouth 66-87, LeftPupil 88, RightPupil 89.
constexpr int kNumPoints = 90;
// Identifies the point layout inside model files, so a model for another layout is refused.
constexpr uint32_t kLayoutId90 = 90;

struct PointF {
  float x = 0.f;
  float y = 0.f;
};

// Axis-aligned box in pixels: left, top, width, height.
struct BoxF {
  float x = 0.f;
  float y = 0.f;
  float w = 0.f;
  float h = 0.f;
  float area() const { return w * h; }
  float cx() const { return x + 0.5f * w; }
  float cy() const { return y + 0.5f * h; }
};

using Shape90 = std::array<PointF, kNumPoints>;

}  // namespace af

#endif  // ANALYZE_FACE_COMMON_TYPES_H_
