// Accuracy statistics for the evaluation tools: NME summaries (../shared/docs/layout.md) and
// detection curves (recall at a fixed number of false positives per 10 images, average precision).
#ifndef ANALYZE_FACE_EVAL_METRICS_H_
#define ANALYZE_FACE_EVAL_METRICS_H_

#include <string>
#include <vector>

#include "common/types.h"
#include "train/json_lite.h"

namespace af {
namespace eval {

// ------------------------------------------------------------------------------------------- NME

struct NmeSummary {
  int n = 0;
  double mean = 0, median = 0, failure_rate = 0;  // failure: NME > threshold
};

/*!  ensures - mean, median and share of values > fail_threshold; all zero when values is empty  !*/
NmeSummary Summarize(std::vector<double> values, double fail_threshold = 0.10);

// Mean Euclidean distance between pred[i] and truth[i] over i, divided by norm.
double Nme(const std::vector<PointF>& pred, const std::vector<PointF>& truth, double norm);

// The 90-point parts: name, first model index, count (layout.md order).
struct PartRange {
  const char* name;
  int first, count;
};
const std::vector<PartRange>& Parts90();

// ---------------------------------------------------------------------------------- detection

// One detection after matching: label 1 = true positive, 0 = false positive, -1 = ignored (it
// matched an optional face, e.g. a Caltech face smaller than the required size).
struct ScoredDet {
  float score = 0;
  int label = 0;
};

struct DetCurve {
  int images = 0;
  int faces = 0;                 // required faces
  double recall_at_fp[3] = {0, 0, 0};  // at 0, 1 and 5 false positives per 10 images
  double ap = 0;                 // area under the precision/recall curve (all-point, VOC 2010+)
  double recall_default = 0;     // at the detector's own threshold (score >= 0)
  double fp_per_image_default = 0;
  double max_recall = 0;         // over every candidate written (lowest threshold tried)
};

/*!  requires - dets holds every candidate of every image, labelled by a greedy per-image matching
                in descending score order
     ensures  - the curve over thresholds; `default_threshold` is the operating point  !*/
DetCurve ComputeCurve(std::vector<ScoredDet> dets, int faces, int images,
                      float default_threshold = 0.f);

void WriteCurve(JsonWriter* w, const DetCurve& c);

// ----------------------------------------------------------------------------------- printing

// Fixed-width text table: first row is the header.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows);
std::string Fmt(double v, int decimals = 4);

}  // namespace eval
}  // namespace af

#endif  // ANALYZE_FACE_EVAL_METRICS_H_
