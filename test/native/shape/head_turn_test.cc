// Synthetic head turns (shape/head_turn.h), on made-up faces with a known yaw law:
//  - the fit recovers the law, and is mirror-symmetric (mirror points share the sin(yaw) term);
//  - turning to the same yaw changes nothing; turning moves points by the law's difference;
//  - the warp is the identity when no point moves, and carries image content from each point's
//    old place to its new one when they do.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <random>
#include <vector>

#include "../check.h"
#include "shape/head_turn.h"
#include "shape/shape_geometry.h"

using namespace af;
using namespace af::shape;

namespace {

// A symmetric base shape: point k at a fixed spot of a 2-unit-wide face, mirror pairs mirrored.
Shape90 BaseShape() {
  Shape90 s{};
  const auto& m = MirrorMap();
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  for (int k = 0; k < kNumPoints; ++k) {
    if (m[k] < k) continue;
    const float x = m[k] == k ? 0.f : -0.2f - 0.8f * std::fabs(u(rng)), y = u(rng);
    s[k] = PointF{x, y};
    s[m[k]] = PointF{m[k] == k ? 0.f : -x, y};
  }
  s[37] = PointF{-1.f, -0.3f};  // outer eye corners: the frame's unit
  s[45] = PointF{1.f, -0.3f};
  return s;
}

// Depth of point k in the made-up law (the same for mirror partners).
float Depth(int k) {
  const int j = std::min(k, MirrorMap()[k]);
  return 0.05f * static_cast<float>((j * 37) % 11) - 0.25f;
}

// The face at yaw t: x moved by depth·sin(t) (about the centroid), placed at scale 50 around
// (100, 90) in image pixels.
Shape90 FaceAt(const Shape90& base, float t) {
  Shape90 s = base;
  double mean = 0;
  for (int k = 0; k < kNumPoints; ++k) mean += Depth(k) * std::sin(t);
  mean /= kNumPoints;
  // Eye corners are mirror partners, so they move alike and the eye frame keeps its size.
  for (int k = 0; k < kNumPoints; ++k) s[k].x += static_cast<float>(Depth(k) * std::sin(t) - mean);
  for (PointF& p : s) { p.x = 100 + 50 * p.x; p.y = 90 + 50 * p.y; }
  return s;
}

void TestFitAndTurn() {
  const Shape90 base = BaseShape();
  std::vector<TrainFace> faces;
  for (int i = -6; i <= 8; ++i) {
    TrainFace f;
    f.yaw = 0.05f * i;
    f.points = FaceAt(base, f.yaw);
    faces.push_back(f);
  }
  const HeadTurnModel model = FitHeadTurnModel(faces);
  CHECK(model.faces == 2 * faces.size());
  // Turning a face of the set to another yaw of the law gives that face (within 0.05 px).
  const Shape90 turned = TurnPoints(model, faces[2].points, faces[2].yaw, faces[12].yaw);
  double worst = 0;
  for (int k = 0; k < kNumPoints; ++k) {
    worst = std::max(worst, static_cast<double>(std::hypot(turned[k].x - faces[12].points[k].x,
                                                           turned[k].y - faces[12].points[k].y)));
  }
  CHECK(worst < 0.05);
  // Same yaw: no change.
  const Shape90 same = TurnPoints(model, faces[5].points, faces[5].yaw, faces[5].yaw);
  bool unchanged = true;
  for (int k = 0; k < kNumPoints; ++k) unchanged = unchanged && same[k].x == faces[5].points[k].x && same[k].y == faces[5].points[k].y;
  CHECK(unchanged);
  // Mirror symmetry of the fit: partners share the x sin(yaw) term and mirror the x constant.
  const auto& m = MirrorMap();
  double asym = 0;
  for (int k = 0; k < kNumPoints; ++k) {
    asym = std::max(asym, std::fabs(model.coef[2 * k][1] - model.coef[2 * m[k]][1]));
    asym = std::max(asym, std::fabs(model.coef[2 * k][0] + model.coef[2 * m[k]][0]));
  }
  CHECK(asym < 1e-9);
  // No faces: an empty model, and turning with it changes nothing.
  const HeadTurnModel empty = FitHeadTurnModel({});
  CHECK(empty.faces == 0);
  CHECK(TurnPoints(empty, faces[0].points, 0.f, 0.3f)[53].x == faces[0].points[53].x);
}

GrayImage Texture(int w, int h) {
  GrayImage g;
  g.width = w;
  g.height = h;
  g.pixels.resize(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      g.pixels[static_cast<size_t>(y) * w + x] =
          static_cast<uint8_t>(128 + 60 * std::sin(x * 0.21) * std::cos(y * 0.17) + 40 * std::sin((x + y) * 0.05));
  return g;
}

void TestWarp() {
  const GrayImage img = Texture(200, 180);
  const Shape90 base = FaceAt(BaseShape(), 0.f);
  // No movement: the same image (bilinear at integer positions, up to rounding).
  const GrayImage same = WarpFace(img, base, base);
  int max_diff = 0;
  for (size_t i = 0; i < img.pixels.size(); ++i) max_diff = std::max(max_diff, std::abs(same.pixels[i] - img.pixels[i]));
  CHECK(same.width == img.width && same.height == img.height);
  CHECK(max_diff <= 1);
  // Every point moved 3 px right: content at a point's new place is what was at its old place,
  // and the image corners (anchors) stay.
  Shape90 moved = base;
  for (PointF& p : moved) p.x += 3.f;
  const GrayImage warped = WarpFace(img, base, moved);
  int bad = 0;
  for (int k = 0; k < kNumPoints; ++k) {
    const int xn = static_cast<int>(std::lround(moved[k].x)), yn = static_cast<int>(std::lround(moved[k].y));
    const int xo = static_cast<int>(std::lround(base[k].x)), yo = static_cast<int>(std::lround(base[k].y));
    bad += std::abs(warped.at(xn, yn) - img.at(xo, yo)) > 12;
  }
  CHECK(bad <= 2);
  CHECK(warped.at(0, 0) == img.at(0, 0) && warped.at(199, 179) == img.at(199, 179));
  // Degenerate inputs do not crash: a 1x1 image comes back as it is.
  GrayImage tiny;
  tiny.width = tiny.height = 1;
  tiny.pixels = {7};
  CHECK(WarpFace(tiny, base, moved).pixels == tiny.pixels);
}

}  // namespace

int main() {
  TestFitAndTurn();
  TestWarp();
  return af_test::finish();
}
