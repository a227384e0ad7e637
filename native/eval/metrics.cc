#include "eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace af {
namespace eval {

NmeSummary Summarize(std::vector<double> values, double fail_threshold) {
  NmeSummary s;
  s.n = static_cast<int>(values.size());
  if (values.empty()) return s;
  double sum = 0;
  int fails = 0;
  for (const double v : values) {
    sum += v;
    if (v > fail_threshold) ++fails;
  }
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  s.mean = sum / n;
  s.median = n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
  s.failure_rate = static_cast<double>(fails) / n;
  return s;
}

double Nme(const std::vector<PointF>& pred, const std::vector<PointF>& truth, double norm) {
  if (pred.empty() || pred.size() != truth.size() || !(norm > 0)) return NAN;
  double sum = 0;
  for (size_t i = 0; i < pred.size(); ++i) {
    sum += std::hypot(pred[i].x - truth[i].x, pred[i].y - truth[i].y);
  }
  return sum / pred.size() / norm;
}

const std::vector<PartRange>& Parts90() {
  static const std::vector<PartRange> parts = {
      {"FaceProfile", 0, 21}, {"LeftEyeBrow", 21, 8}, {"RightEyeBrow", 29, 8},
      {"LeftEye", 37, 8},     {"RightEye", 45, 8},    {"Nose", 53, 13},
      {"Mouth", 66, 22},      {"LeftPupil", 88, 1},   {"RightPupil", 89, 1}};
  return parts;
}

DetCurve ComputeCurve(std::vector<ScoredDet> dets, int faces, int images, float default_threshold) {
  DetCurve c;
  c.images = images;
  c.faces = faces;
  dets.erase(std::remove_if(dets.begin(), dets.end(), [](const ScoredDet& d) { return d.label < 0; }),
             dets.end());
  std::stable_sort(dets.begin(), dets.end(),
                   [](const ScoredDet& a, const ScoredDet& b) { return a.score > b.score; });
  const double fp_budget[3] = {0.0, 0.1 * images, 0.5 * images};
  int tp = 0, fp = 0, tp_default = 0, fp_default = 0;
  std::vector<double> precision, recall;
  for (size_t i = 0; i < dets.size(); ++i) {
    if (dets[i].label == 1) ++tp; else ++fp;
    // A threshold can only sit between distinct scores: evaluate at the end of each tie group.
    if (i + 1 < dets.size() && dets[i + 1].score == dets[i].score) continue;
    const double r = faces > 0 ? static_cast<double>(tp) / faces : 0;
    for (int k = 0; k < 3; ++k) {
      if (fp <= fp_budget[k]) c.recall_at_fp[k] = std::max(c.recall_at_fp[k], r);
    }
    if (dets[i].score >= default_threshold) { tp_default = tp; fp_default = fp; }
    precision.push_back(static_cast<double>(tp) / (tp + fp));
    recall.push_back(r);
  }
  c.max_recall = recall.empty() ? 0 : recall.back();
  c.recall_default = faces > 0 ? static_cast<double>(tp_default) / faces : 0;
  c.fp_per_image_default = images > 0 ? static_cast<double>(fp_default) / images : 0;
  // All-point interpolated AP: precision envelope from the right, integrated over recall steps.
  for (size_t i = precision.size(); i-- > 1;) precision[i - 1] = std::max(precision[i - 1], precision[i]);
  double prev_r = 0;
  for (size_t i = 0; i < precision.size(); ++i) {
    c.ap += (recall[i] - prev_r) * precision[i];
    prev_r = recall[i];
  }
  return c;
}

void WriteCurve(JsonWriter* w, const DetCurve& c) {
  w->BeginObject();
  w->Key("images").Int(c.images);
  w->Key("faces").Int(c.faces);
  w->Key("recall_at_0fp_per10").Number(c.recall_at_fp[0]);
  w->Key("recall_at_1fp_per10").Number(c.recall_at_fp[1]);
  w->Key("recall_at_5fp_per10").Number(c.recall_at_fp[2]);
  w->Key("ap").Number(c.ap);
  w->Key("recall_default").Number(c.recall_default);
  w->Key("fp_per_image_default").Number(c.fp_per_image_default);
  w->Key("max_recall").Number(c.max_recall);
  w->EndObject();
}

std::string FormatTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (size_t i = 0; i < rows[r].size(); ++i) {
      std::string cell = rows[r][i];
      cell.resize(width[i], ' ');
      line += (i ? " | " : "| ") + cell;
    }
    out += line + " |\n";
    if (r == 0) {
      std::string sep;
      for (size_t i = 0; i < width.size(); ++i) sep += "|" + std::string(width[i] + 2, '-');
      out += sep + "|\n";
    }
  }
  return out;
}

std::string Fmt(double v, int decimals) {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace eval
}  // namespace af
