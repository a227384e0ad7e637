// Synthetic head turns for training the shape predictor on more yaw than the labels hold.
//
// WHAT THIS REPRESENTS
//   Most training faces are within ±20° of yaw (../shared/data/README.md), so the cascade never
//   sees the geometry of a 30° turn. HeadTurnModel learns, from the training labels alone, how
//   each of the 90 points moves with yaw: in a face frame (origin at the points' centroid, x along
//   the outer eye corners, unit = their distance) every coordinate is fitted as
//   a + b·sin(yaw) + c·sin²(yaw) over all faces and their mirror images. b is, in effect, each
//   point's depth (nose tip in front, jaw behind). TurnFace() moves a face's points from its
//   yaw to a larger one by the difference of the fitted curves, keeping what is particular to
//   the face (identity, expression), and warps the photo to match with a thin-plate spline
//   through the moved points and fixed anchors around the face.
// LIMITS
//   A 2-D warp: the far cheek is compressed, not occluded, so turns are kept moderate (the
//   training script's settings stop at the labels' own largest yaws).
#ifndef ANALYZE_FACE_SHAPE_HEAD_TURN_H_
#define ANALYZE_FACE_SHAPE_HEAD_TURN_H_

#include <array>

#include "common/types.h"
#include "image/image.h"
#include "shape/shape_trainer.h"

namespace af {
namespace shape {

struct HeadTurnModel {
  // Per point, per coordinate (x, y): constant, sin(yaw) and sin²(yaw) terms in the face frame.
  std::array<std::array<double, 3>, 2 * kNumPoints> coef{};
  size_t faces = 0;  // faces fitted (mirror images included)
};

/*!  ensures - least-squares fit over `faces` and their mirror images (MirrorMap, yaw → −yaw);
               faces with a degenerate eye distance are skipped  !*/
HeadTurnModel FitHeadTurnModel(const std::vector<TrainFace>& faces);

// The points of `points` (at yaw `from`) moved to yaw `to` (radians) by the model.
Shape90 TurnPoints(const HeadTurnModel& model, const Shape90& points, float from, float to);

/*!  ensures - returns `src` warped so that each point of `before` lands on the same point of
               `after` (thin-plate spline, backward mapping, bilinear with clamped borders);
               a ring of fixed anchors at 1.5× the face's extent and the image corners keep the
               rest of the photo in place; same size as src  !*/
GrayImage WarpFace(const GrayImage& src, const Shape90& before, const Shape90& after);

}  // namespace shape
}  // namespace af

#endif  // ANALYZE_FACE_SHAPE_HEAD_TURN_H_
