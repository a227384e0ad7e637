// Internals of the face detector shared by the detector, its trainer and tests: the model
// (payload of a kind-2 model file), the image pyramid, window geometry and filter scoring.
//
// MODEL PAYLOAD (format version 1; little-endian; floats binary32; the container is
// common/model_file.h, kind 2, layout id 0)
//   u32  cell_size            must be 8 (kFhogCell)
//   u32  channels             must be 31 (kFhogChannels)
//   u32  filter_w, filter_h   window size in cells, each in [2, 32]
//   u32  pad_cells            cells of replicated border added around every pyramid level [0, 8]
//   f32  face_left, face_top, face_size   the face box inside the window, window pixels;
//                                         face_size in [8, window px], box inside the window
//   f32  pyramid_step         scale ratio between levels, in [0.5, 0.95]
//   f32  nms_iou              in (0, 1]: drop a box overlapping a better one by more
//   f32  nms_contain          in (0, 1]: drop a box whose area lies this much inside a better one
//   u32  num_components       [1, 16]
//   per component:
//     i32  mirror_of          -1, or the index of an earlier component this one mirrors (info
//                             for tools; the weights below are complete either way)
//     f32  yaw_center         radians, informational (pose the component was trained on)
//     f32  bias               added to the filter response
//     f32  threshold          detection when response + bias > threshold
//     f32  box_dx, box_dy     box correction: centre shift in units of the box side
//     f32  box_dlog_side      box correction: log of the side scale, in [-1, 1]
//     f32  weights[filter_h * filter_w * 31]  row-major (cell row, cell column, channel)
//   Nothing may follow. Every float must be finite.
#ifndef ANALYZE_FACE_DETECT_SCAN_H_
#define ANALYZE_FACE_DETECT_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "detect/fhog.h"
#include "image/image.h"

namespace af {

constexpr uint32_t kDetectorFormatVersion = 1;

struct DetectorComponent {
  int mirror_of = -1;
  float yaw_center = 0.f;
  float bias = 0.f;
  float threshold = 0.f;
  float box_dx = 0.f, box_dy = 0.f, box_dlog_side = 0.f;
  // filter_h * filter_w * kFhogStride floats (channel 31 is 0): the in-memory layout the
  // scoring kernels use. The file stores 31 channels per cell.
  std::vector<float> weights;
};

struct DetectorModel {
  int cell_size = kFhogCell;
  int filter_w = 10, filter_h = 10;
  int pad_cells = 2;
  float face_left = 8.f, face_top = 8.f, face_size = 64.f;
  float pyramid_step = 0.8408964f;  // 2^(-1/4)
  float nms_iou = 0.35f;
  float nms_contain = 0.5f;  // val: 0.75 left 35 part-of-face duplicates in 920 images, 0.5 left 4, same recall
  std::vector<DetectorComponent> components;

  int window_w_px() const { return filter_w * cell_size; }
  int window_h_px() const { return filter_h * cell_size; }
  size_t filter_floats() const { return static_cast<size_t>(filter_w) * filter_h * kFhogStride; }
};

// Parses and validates a payload (see above). kModelInvalid on any problem.
Status ParseDetectorPayload(const uint8_t* data, size_t size, DetectorModel* model);
std::vector<uint8_t> SerializeDetectorPayload(const DetectorModel& model);
// The whole model file (container + payload).
std::vector<uint8_t> SerializeDetectorFile(const DetectorModel& model);
Status ParseDetectorFile(const uint8_t* data, size_t size, DetectorModel* model);

// Mirrors a filter (left-right), permuting channels as FhogMirrorChannel does.
std::vector<float> MirrorFilter(const std::vector<float>& w, int filter_w, int filter_h);

// ---------------------------------------------------------------------------------------------
// Pyramid

// Halves an image with 2x2 box averaging (floor of odd sizes).
GrayImage HalveImage(const GrayImage& src);
// Bilinear resize to out_w x out_h; pixel centres map as (u + 0.5) / s - 0.5 with s = out/in.
GrayImage ResizeBilinear(const GrayImage& src, int out_w, int out_h);
// Shrinks to out_w x out_h (each at most the source's): 2x2 box halvings while the image is at
// least twice the target, then bilinear. Close to area averaging, so small faces made from large
// ones look like camera / web-resized small faces rather than aliased ones.
GrayImage ShrinkImage(const GrayImage& src, int out_w, int out_h);
// Copies `src` into a larger image with `pad` pixels of replicated border on every side.
GrayImage PadReplicate(const GrayImage& src, int pad);

struct PyramidLevel {
  GrayImage image;      // padded level image
  double scale_x = 1.;  // level pixels per image pixel (unpadded part)
  double scale_y = 1.;
  int pad_px = 0;
};

// Builds padded levels for faces of side >= min_face_size (image pixels): the first level maps
// min_face_size onto the model's face_size (upsampling when needed, at most 4x and 24 Mpixels);
// levels shrink by pyramid_step until a window no longer fits.
std::vector<PyramidLevel> BuildPyramid(const GrayImage& image, float min_face_size,
                                       const DetectorModel& model);

// Box (image pixels, before box correction) of the face inside the window whose top-left cell
// is (cx, cy) (fractional cells allowed) on a level.
BoxF WindowToImageBox(const DetectorModel& model, const PyramidLevel& level, float cx, float cy);
// Inverse for a given level: the window's top-left cell (fractional) for an image face box.
void ImageBoxToWindow(const DetectorModel& model, const PyramidLevel& level, const BoxF& box,
                      float* cx, float* cy);
// Applies a component's box correction.
BoxF CorrectBox(const DetectorComponent& comp, const BoxF& box);

// ---------------------------------------------------------------------------------------------
// Scoring

// Score map of one filter over an FHOG grid: out has (cells_x - fw + 1) * (cells_y - fh + 1)
// entries (row-major), each the raw response (dot product, no bias). Empty if it does not fit.
void ScoreFilter(const FhogImage& fhog, const float* weights, int filter_w, int filter_h,
                 std::vector<float>* out, SimdLevel simd = SimdLevel::kAuto);

// Score maps of three filters at once (faster with AVX2); same results as three ScoreFilter calls
// up to float rounding.
void ScoreFilters3(const FhogImage& fhog, const float* const* weights, int filter_w, int filter_h,
                   std::vector<float>* out3, SimdLevel simd = SimdLevel::kAuto);

// Two filters at once (the remainder after groups of three); same results as two ScoreFilter
// calls up to float rounding.
void ScoreFilters2(const FhogImage& fhog, const float* const* weights, int filter_w, int filter_h,
                   std::vector<float>* out2, SimdLevel simd = SimdLevel::kAuto);

// Copies the window at (cx, cy) out of an FHOG grid: filter_h * filter_w * kFhogStride floats.
void ExtractWindow(const FhogImage& fhog, int cx, int cy, int filter_w, int filter_h, float* out);

struct RawDetection {
  int level = 0;
  int component = 0;
  int cx = 0, cy = 0;  // window's top-left cell
  float response = 0.f;  // dot + bias
  float sub_x = 0.f, sub_y = 0.f;  // peak refinement in cells, [-0.5, 0.5]
};

// Scans all components over one level's FHOG; keeps windows with response + bias >
// threshold_offset + component threshold (pass a very negative offset for training).
// Only local maxima of each component's map are kept when local_max_only.
struct ScanScratch {
  std::vector<std::vector<float>> maps;
};
void ScanLevel(const FhogImage& fhog, const DetectorModel& model, int level_index,
               float threshold_offset, bool local_max_only, std::vector<RawDetection>* out,
               ScanScratch* scratch = nullptr);

// Non-maximum suppression over (box, score) pairs: returns indices kept, best first.
std::vector<int> NonMaxSuppression(const std::vector<BoxF>& boxes, const std::vector<float>& scores,
                                   float iou, float contain);

namespace scan_impl {
// out[x] += dot(filt[0..len), hrow + x * kFhogStride) for x in [0, nx).  len % 16 == 0.
void AccumulateRowScalar(const float* filt, int len, const float* hrow, int nx, float* out);
void AccumulateRowSse2(const float* filt, int len, const float* hrow, int nx, float* out);
void AccumulateRowAvx2(const float* filt, int len, const float* hrow, int nx, float* out);
// Three filters at once: out[k][x] += dot(filt[k], hrow + x * kFhogStride).  len % 8 == 0.
void AccumulateRow3Avx2(const float* const* filt, int len, const float* hrow, int nx, float* const* out);
// Two filters at once.  len % 8 == 0.
void AccumulateRow2Avx2(const float* const* filt, int len, const float* hrow, int nx, float* const* out);
}  // namespace scan_impl

}  // namespace af

#endif  // ANALYZE_FACE_DETECT_SCAN_H_
