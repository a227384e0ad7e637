// Felzenszwalb's 31-dimensional HOG ("FHOG", Felzenszwalb et al., "Object Detection with
// Discriminatively Trained Part-Based Models", PAMI 2010) on 8-bit gray images.
//
// WHAT THIS COMPUTES
//   For an image of W x H pixels, a grid of (W / cell) x (H / cell) cells (floor), each holding
//   kFhogStride floats: channels 0-17 contrast-sensitive orientations (bin b centred on b*20
//   degrees, gradient angle measured from +x towards +y), 18-26 contrast-insensitive
//   orientations (bin b centred on b*20 degrees mod 180), 27-30 texture (gradient energy under
//   each of the 4 normalisation blocks), channel 31 always 0 (padding for 8-wide SIMD).
//   - gradients: central differences, neighbours clamped at the image border;
//   - binning: linear between the two nearest orientation bins, bilinear between the 4 nearest
//     cell centres (cell centre of cell c at pixel coordinate c*cell + cell/2);
//   - normalisation: the 4 2x2-cell blocks around a cell (cells outside the grid clamped to the
//     edge), each value truncated at 0.2, orientation features = 0.5 * sum over blocks, texture
//     k = 0.2357 * sum over the 18 sensitive orientations under block k.
//   Block k's top-left cell offset from the cell: 0 (0,0), 1 (0,-1), 2 (-1,0), 3 (-1,-1).
// MIRRORING
//   Flipping the image left-right (width a multiple of the cell size) flips the grid and permutes
//   channels by FhogMirrorChannel(); filters are mirrored the same way.
// SIMD
//   The per-pixel gradient/orientation kernel has scalar, SSE2 and AVX2 versions (fhog_avx2.cc)
//   chosen at run time via af::UseAvx2()/UseSse2(); results agree within float rounding.
#ifndef ANALYZE_FACE_DETECT_FHOG_H_
#define ANALYZE_FACE_DETECT_FHOG_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "image/image.h"

namespace af {

constexpr int kFhogChannels = 31;
constexpr int kFhogStride = 32;  // floats per cell in memory
constexpr int kFhogCell = 8;

struct FhogImage {
  int cells_x = 0;
  int cells_y = 0;
  std::vector<float> data;  // cells_y * cells_x * kFhogStride
  const float* cell(int cx, int cy) const {
    return data.data() + (static_cast<size_t>(cy) * cells_x + cx) * kFhogStride;
  }
  float* cell(int cx, int cy) {
    return data.data() + (static_cast<size_t>(cy) * cells_x + cx) * kFhogStride;
  }
};

enum class SimdLevel { kAuto, kScalar, kSse2, kAvx2 };

// Buffers ComputeFhog needs; reusing one across calls (e.g. the levels of a pyramid, largest
// first) avoids repeated allocation. One per thread.
struct FhogScratch {
  std::vector<float> hist, rowacc, rowacc2, mag, frac, v0, v1, wx1, energy, inv_norm;
  std::vector<int32_t> bin, cx0;
};

// Computes the FHOG of `image` (cell size kFhogCell). Images smaller than one cell give an empty
// grid. `simd` forces a kernel (tests); kAuto picks the best the CPU allows.
void ComputeFhog(const GrayImage& image, FhogImage* out, SimdLevel simd = SimdLevel::kAuto);
void ComputeFhog(const GrayImage& image, FhogImage* out, FhogScratch* scratch,
                 SimdLevel simd = SimdLevel::kAuto);

// The channel a channel maps to under a left-right flip of the image.
int FhogMirrorChannel(int channel);

namespace fhog_impl {
// Per-pixel kernel for one row: given the row and its clamped neighbours, writes for each pixel
// x in [0, width): magnitude, lower orientation bin (0..17) and the weight of the upper bin.
// Scalar kernel for pixels [x0, x1) of a row of `width` pixels.
void GradientRangeScalar(const uint8_t* up, const uint8_t* mid, const uint8_t* down, int width,
                         int x0, int x1, float* mag, int32_t* bin, float* frac);
void GradientRowScalar(const uint8_t* up, const uint8_t* mid, const uint8_t* down, int width,
                       float* mag, int32_t* bin, float* frac);
void GradientRowSse2(const uint8_t* up, const uint8_t* mid, const uint8_t* down, int width,
                     float* mag, int32_t* bin, float* frac);
void GradientRowAvx2(const uint8_t* up, const uint8_t* mid, const uint8_t* down, int width,
                     float* mag, int32_t* bin, float* frac);
}  // namespace fhog_impl

}  // namespace af

#endif  // ANALYZE_FACE_DETECT_FHOG_H_
