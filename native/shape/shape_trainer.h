// Trainer for the 90-point shape predictor (Kazemi & Sullivan 2014, with the changes below).
//
// WHAT THIS REPRESENTS
//   TrainShapeModel() turns labelled faces into a shape::ShapeModel (shape_model.h). Compared with
//   dlib's shape_predictor_trainer:
//   - leaves live in the mean-shape frame (each residual is rotated/scaled back by the inverse of
//     the per-sample similarity S, and applied through S at inference), so the model is equivariant
//     to in-plane rotation;
//   - split search uses the residuals projected on their top `pca` principal directions (basis
//     recomputed at each level start and every `pca_refresh` trees), leaf values use all 180
//     dimensions; leaves are quantised to int8 during training, so later trees correct the
//     quantisation error;
//   - thresholds are the intensity difference of a random sample of the node (data-driven);
//   - augmentation: mirroring (MirrorMap), in-plane rotation, jitter of the init box, contrast and
//     brightness; turned faces get more initialisations: weight min(yaw_weight_max,
//     1 + (|yaw| / 10°)²) times `oversampling`.
// DETERMINISM
//   Every random draw is made on one thread from std::mt19937_64(seed) with our own uniform
//   conversion; parallel sums run over fixed 4096-sample chunks reduced in index order. The model
//   bytes do not depend on the number of threads.
#ifndef ANALYZE_FACE_SHAPE_SHAPE_TRAINER_H_
#define ANALYZE_FACE_SHAPE_SHAPE_TRAINER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "image/image.h"
#include "shape/shape_model.h"

namespace af {
namespace shape {

struct ShapeTrainOptions {
  uint32_t cascade = 10;        // levels
  uint32_t trees = 500;         // trees per level
  uint32_t depth = 4;           // tree depth (2^depth leaves)
  uint32_t pool = 400;          // feature pool size per level
  uint32_t splits = 20;         // candidate splits per node
  float nu = 0.1f;              // shrinkage
  float lambda = 0.1f;          // pair prior exp(-distance / lambda), distance in box units
  float padding = 0.1f;         // pool region = mean shape bounds ± padding (box units)
  float oversampling = 10.f;    // initialisations per face and mirror (before yaw weighting)
  uint32_t pca = 24;            // projected dimensions for the split search (0 = all 180)
  uint32_t pca_refresh = 100;   // recompute the basis every this many trees (0 = per level only)
  uint32_t pca_samples = 30000; // residuals used to estimate the basis
  float max_rotation_deg = 20.f;  // in-plane rotation, triangular distribution on ±this
  float box_shift = 0.05f;      // init-box centre jitter, uniform ±this × side
  float box_scale = 0.07f;      // init-box side jitter, factor exp(uniform ±this)
  float contrast = 0.25f;       // pixel contrast factor exp(uniform ±this)
  float brightness = 20.f;      // pixel offset uniform ±this
  float yaw_weight_max = 6.f;   // cap of the |yaw| oversampling weight
  bool mirror = true;
  uint64_t seed = 1;
  int threads = 0;              // 0 = OpenMP default
};

struct TrainFace {
  uint32_t image = 0;  // index into the image vector
  Shape90 points;      // image pixel coordinates
  float yaw = 0.f;     // radians
  // The face detector's box for this face (image pixels), when it found the face. Training from
  // the boxes the detector really outputs makes the initialisation match run time: the mean shape
  // is taken relative to these boxes and the first initialisation uses the box unjittered.
  BoxF init_box;
  bool has_init_box = false;
};

struct ShapeTrainStats {
  uint64_t samples = 0;        // training samples (faces × mirrors × initialisations)
  double mean_weight = 0.0;    // mean |yaw| oversampling weight
  std::vector<double> level_rms;  // RMS residual (box units) after each level
  double seconds = 0.0;
};

/*!  requires - every face's image index < images.size(); options within their documented ranges
     ensures  - on success *model holds a model that ParseShapeModel(SerializeShapeModel()) accepts
              - progress (if set) receives human-readable lines  !*/
Status TrainShapeModel(const std::vector<GrayImage>& images, const std::vector<TrainFace>& faces,
                       const ShapeTrainOptions& options, ShapeModel* model,
                       ShapeTrainStats* stats = nullptr,
                       const std::function<void(const std::string&)>& progress = nullptr);

// The label files' pupils are the subject's left/right (point 88 sits on the image-right eye in
// every face of train and val), while the output contract (layout.md) wants the viewer's: 88 =
// pupil of the image-left eye (LeftEye 37-44). Assigns the two pupils to the eyes whose centres
// are nearer (a no-op on correctly ordered labels); returns true when it swapped them.
bool FixPupilOrder(Shape90* points);

// Deterministic uniform [0, 1) from a 64-bit generator (same on every standard library).
double Uniform01(uint64_t bits);

}  // namespace shape
}  // namespace af

#endif  // ANALYZE_FACE_SHAPE_SHAPE_TRAINER_H_
