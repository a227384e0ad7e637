// af_eval_shape: landmark accuracy (NME, ../shared/docs/layout.md) of our 90-point predictor,
// initialised from our detector, beside dlib's 68-point model on its own HOG boxes, on
// labels/val.jsonl, eval/imm and eval/caltech. Protocol: docs/evaluation.md.
//
//   af_eval_shape [--data DIR] [--detector FILE] [--shape FILE] [--dlib-cache DIR]
//                 [--sets val,imm,caltech] [--min-face PX] [--json OUT] [--limit N]
//                 [--write-our-boxes OUT.jsonl] [--dlib-on-our-boxes BOXES.jsonl,DLIB.jsonl]
//   af_eval_shape --write-dlib-boxes OUT.jsonl [--data DIR] [--dlib-cache DIR]
//       writes the val point boxes mapped to dlib's box convention, for `dlib_peer --boxes`
//       (the secondary "point box" comparison), and exits.
// --write-our-boxes writes every matched box of our detector, mapped to dlib's convention, for
// `dlib_peer --boxes`; --dlib-on-our-boxes reads that file back with dlib_peer's output to add the
// "dlib on our detector's boxes" rows (scripts/eval-shape.sh runs the two passes).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/face_box.h"
#include "eval/cli.h"
#include "eval/eval_data.h"
#include "eval/metrics.h"
#include "eval/ours.h"
#include "image/image.h"
#include "train/json_lite.h"
#include "train/labels.h"

namespace af {
namespace eval {
namespace {

// ------------------------------------------------------------------------------------ options

constexpr char kUsage[] =
    "usage: af_eval_shape [--data DIR] [--detector FILE] [--shape FILE] [--dlib-cache DIR]\n"
    "                     [--sets val,imm,caltech] [--min-face PX] [--json OUT] [--limit N]\n"
    "                     [--write-our-boxes OUT.jsonl] [--dlib-on-our-boxes BOXES.jsonl,DLIB.jsonl]\n"
    "       af_eval_shape --write-dlib-boxes OUT.jsonl [--data DIR] [--dlib-cache DIR]\n";

struct Options : ToolPaths {
  std::string sets = "val,imm,caltech";
  std::string json_out;
  std::string write_dlib_boxes;
  std::string write_our_boxes;   // our matched detector boxes, mapped to dlib's convention
  std::string dlib_on_our_boxes; // "BOXES.jsonl,DLIB_OUT.jsonl": dlib_peer --boxes on those
  float min_face = 40.f;
  size_t limit = 0;  // 0 = all images
};

bool ParseArgs(int argc, char** argv, Options* o) {
  return ParseFlags(argc, argv, {{"--data", &o->data}, {"--detector", &o->detector}, {"--shape", &o->shape},
                                 {"--dlib-cache", &o->dlib_cache}, {"--sets", &o->sets}, {"--json", &o->json_out},
                                 {"--write-dlib-boxes", &o->write_dlib_boxes},
                                 {"--write-our-boxes", &o->write_our_boxes},
                                 {"--dlib-on-our-boxes", &o->dlib_on_our_boxes}, {"--min-face", &o->min_face},
                                 {"--limit", &o->limit}}) &&
         o->min_face >= 8.f;
}

// ------------------------------------------------------------------- shared point definitions

// One compared point: where it is in the ground truth, in our 90 points and in dlib's 68
// (a list is averaged; an empty dlib list = the point has no counterpart in dlib's layout).
struct SharedPoint {
  int truth;
  std::vector<int> ours;
  std::vector<int> dlib;
  std::string name;
  bool headline = true;  // false: only in the per-point table (an alternative reading)
};

PointF Average(const std::vector<PointF>& pts, const std::vector<int>& idx) {
  PointF p;
  for (const int i : idx) { p.x += pts[i].x; p.y += pts[i].y; }
  p.x /= idx.size();
  p.y /= idx.size();
  return p;
}

std::vector<PointF> ToVector(const Shape90& s) { return std::vector<PointF>(s.begin(), s.end()); }

// 68-point index → 90-point index for the points with the same meaning (layout.md).
const std::vector<std::pair<int, int>>& Shared68To90() {
  static const std::vector<std::pair<int, int>> m = {
      {0, 0},   {8, 10},  {16, 20}, {17, 21}, {21, 25}, {22, 33}, {26, 29},
      {27, 54}, {30, 53}, {31, 58}, {33, 60}, {35, 62}, {36, 37}, {39, 41},
      {42, 49}, {45, 45}, {48, 66}, {51, 75}, {54, 72}, {57, 69}};
  return m;
}

// ---------------------------------------------------------------------------- per-face record

// Everything measured on one annotated face. Point vectors are empty when the system did not
// produce that face (not detected, or no model).
struct FaceRecord {
  std::string file;
  int subset = 0;
  double norm = 0;
  std::vector<PointF> truth;        // per shared point, ground truth
  std::vector<PointF> ours_det;     // ours on our detector's box, per shared point
  std::vector<PointF> dlib_det;     // dlib on its own HOG box, per shared point (only dlib ones)
  std::vector<PointF> ours_on_dlib; // ours on dlib's HOG box mapped to our convention
  std::vector<PointF> dlib_on_ours; // dlib on our detector's box mapped to dlib's convention
  std::vector<PointF> ours_pointbox, dlib_pointbox;  // val only (secondary)
  Shape90 ours_full{};              // our 90 points on our detector's box (val per-part table)
  std::vector<PointF> truth_full;   // val: the 90 label points
};

struct SetSpec {
  std::string name;
  std::vector<std::string> subset_names;
  std::vector<SharedPoint> points;  // per subset the same list; FaceRecord::truth follows it
  std::vector<std::vector<int>> excluded;  // per subset: indices into `points` not used
  bool first_is_all = false;               // subset_names[0] = all records
};

// dlib_peer output per image file (eval_data.h).
using PeerCache = std::map<std::string, PeerImage>;

// What one set's collection pass produces.
struct SetRun {
  SetSpec spec;
  std::vector<FaceRecord> records;
  bool pointbox = false;                       // val: dlib on the label point boxes was read
  std::vector<std::vector<double>> part_nme;   // val: NME per 90-point part (Parts90 order)
};

// Points of system `which` (0 = ours from 90, 1 = dlib from 68) for the spec.
std::vector<PointF> Extract(const SetSpec& spec, const std::vector<PointF>& pts, bool dlib) {
  std::vector<PointF> out;
  for (const SharedPoint& sp : spec.points) {
    const std::vector<int>& idx = dlib ? sp.dlib : sp.ours;
    out.push_back(idx.empty() ? PointF{NAN, NAN} : Average(pts, idx));
  }
  return out;
}

// ----------------------------------------------------------------------------------- matching

const PeerFace* BestIoU(const std::vector<PeerFace>& faces, const BoxF& truth, const BoxMap& map,
                        float min_iou) {
  const PeerFace* best = nullptr;
  float best_iou = min_iou;
  for (const PeerFace& f : faces) {
    const float iou = BoxIoU(map.ToOurs(f.box), truth);
    if (iou >= best_iou) { best_iou = iou; best = &f; }
  }
  return best;
}

const OurDetection* BestIoU(const std::vector<OurDetection>& dets, const BoxF& truth, float min_iou) {
  const OurDetection* best = nullptr;
  float best_iou = min_iou;
  for (const OurDetection& d : dets) {
    const float iou = BoxIoU(d.box, truth);
    if (iou >= best_iou) { best_iou = iou; best = &d; }
  }
  return best;
}

// Caltech rule (eval_data.h): among the matching detections (ours or dlib's: anything with a
// `box`), the one whose centre is nearest the eyes/mouth centroid; nullptr when none matches.
template <class Detection>
const Detection* BestCaltech(const std::vector<Detection>& dets, const CaltechFace& f) {
  const Detection* best = nullptr;
  for (const Detection& d : dets) {
    if (CaltechMatches(d.box, f) &&
        (!best || CaltechCentreDistance(d.box, f) < CaltechCentreDistance(best->box, f))) {
      best = &d;
    }
  }
  return best;
}

// -------------------------------------------------------------------------------- statistics

struct Row {
  std::string system, init, points, faces;
  NmeSummary s;
};

// NME over the shared points of `which`, skipping points absent in either system or excluded.
double RecordNme(const std::vector<PointF>& pred, const FaceRecord& r, const std::vector<bool>& use) {
  std::vector<PointF> p, t;
  for (size_t i = 0; i < r.truth.size(); ++i) {
    if (!use[i] || i >= pred.size() || std::isnan(pred[i].x)) continue;
    p.push_back(pred[i]);
    t.push_back(r.truth[i]);
  }
  return Nme(p, t, r.norm);
}

struct PointRow {
  std::string name;
  NmeSummary ours, dlib;  // own detectors, faces both detect
};

struct SetReport {
  std::vector<Row> rows;
  std::vector<PointRow> per_point;  // only when the set names its points
  int total = 0, ours_detected = 0, dlib_detected = 0, both = 0;
};

SetReport Report(const SetSpec& spec, const std::vector<FaceRecord>& records, int subset,
                 bool has_pointbox) {
  SetReport rep;
  std::vector<bool> all(spec.points.size(), true), common(spec.points.size(), true);
  for (size_t i = 0; i < spec.points.size(); ++i) {
    all[i] = spec.points[i].headline;
    common[i] = spec.points[i].headline && !spec.points[i].dlib.empty();
  }
  if (subset >= 0 && subset < static_cast<int>(spec.excluded.size())) {
    for (const int e : spec.excluded[subset]) all[e] = common[e] = false;
  }
  int n_all = 0, n_common = 0;
  for (size_t i = 0; i < all.size(); ++i) { n_all += all[i]; n_common += common[i]; }
  std::vector<double> ours_common_ourbox, dlib_common_ourbox;
  std::vector<double> ours_all, ours_common_both, dlib_common_both, ours_dlibbox_all,
      ours_dlibbox_common, dlib_dlibbox_common, ours_pb_all, ours_pb_common, dlib_pb_common;
  for (const FaceRecord& r : records) {
    if (subset >= 0 && r.subset != subset) continue;
    ++rep.total;
    const bool ours = !r.ours_det.empty(), dlib = !r.dlib_det.empty();
    rep.ours_detected += ours;
    rep.dlib_detected += dlib;
    rep.both += ours && dlib;
    if (ours) ours_all.push_back(RecordNme(r.ours_det, r, all));
    if (ours && dlib) {
      ours_common_both.push_back(RecordNme(r.ours_det, r, common));
      dlib_common_both.push_back(RecordNme(r.dlib_det, r, common));
    }
    if (dlib) dlib_dlibbox_common.push_back(RecordNme(r.dlib_det, r, common));
    if (ours && !r.dlib_on_ours.empty()) {
      ours_common_ourbox.push_back(RecordNme(r.ours_det, r, common));
      dlib_common_ourbox.push_back(RecordNme(r.dlib_on_ours, r, common));
    }
    if (dlib && !r.ours_on_dlib.empty()) {
      ours_dlibbox_all.push_back(RecordNme(r.ours_on_dlib, r, all));
      ours_dlibbox_common.push_back(RecordNme(r.ours_on_dlib, r, common));
    }
    if (!r.ours_pointbox.empty()) {
      ours_pb_all.push_back(RecordNme(r.ours_pointbox, r, all));
      ours_pb_common.push_back(RecordNme(r.ours_pointbox, r, common));
    }
    if (!r.dlib_pointbox.empty()) dlib_pb_common.push_back(RecordNme(r.dlib_pointbox, r, common));
  }
  if (!spec.points.empty() && !spec.points[0].name.empty()) {
    for (size_t i = 0; i < spec.points.size(); ++i) {
      if (subset >= 0 && subset < static_cast<int>(spec.excluded.size()) &&
          std::count(spec.excluded[subset].begin(), spec.excluded[subset].end(), static_cast<int>(i))) {
        continue;
      }
      std::vector<double> o, d;
      for (const FaceRecord& r : records) {
        if ((subset >= 0 && r.subset != subset) || r.ours_det.empty() || r.dlib_det.empty()) continue;
        std::vector<bool> only(spec.points.size(), false);
        only[i] = true;
        o.push_back(RecordNme(r.ours_det, r, only));
        if (!spec.points[i].dlib.empty()) d.push_back(RecordNme(r.dlib_det, r, only));
      }
      rep.per_point.push_back(PointRow{spec.points[i].name, Summarize(o), Summarize(d)});
    }
  }
  const std::string all_pts = std::to_string(n_all), common_pts = std::to_string(n_common);
  auto add = [&](const char* system, const char* init, const std::string& pts, const char* faces,
                 const std::vector<double>& v) {
    if (!v.empty()) rep.rows.push_back(Row{system, init, pts, faces, Summarize(v)});
  };
  add("ours", "own detector", all_pts, "ours detects", ours_all);
  add("ours", "own detector", common_pts, "both detect", ours_common_both);
  add("dlib-68", "own HOG detector", common_pts, "both detect", dlib_common_both);
  add("ours", "dlib HOG box, mapped", all_pts, "dlib detects", ours_dlibbox_all);
  add("ours", "dlib HOG box, mapped", common_pts, "dlib detects", ours_dlibbox_common);
  add("dlib-68", "own HOG detector", common_pts, "dlib detects", dlib_dlibbox_common);
  add("ours", "own detector", common_pts, "ours detects", ours_common_ourbox);
  add("dlib-68", "our detector's box, mapped", common_pts, "ours detects", dlib_common_ourbox);
  if (has_pointbox) {
    add("ours", "label point box (leaks)", all_pts, "all", ours_pb_all);
    add("ours", "label point box (leaks)", common_pts, "all", ours_pb_common);
    add("dlib-68", "label point box, mapped (leaks)", common_pts, "all", dlib_pb_common);
  }
  return rep;
}

void PrintReport(const std::string& title, const SetReport& rep) {
  std::cout << "\n### " << title << "\n"
            << "faces: " << rep.total << ", detected by ours: " << rep.ours_detected
            << ", by dlib: " << rep.dlib_detected << ", by both: " << rep.both << "\n\n";
  std::vector<std::vector<std::string>> t = {
      {"system", "initialised from", "points", "faces", "n", "NME mean", "NME median", "fail >0.10"}};
  for (const Row& r : rep.rows) {
    t.push_back({r.system, r.init, r.points, r.faces, std::to_string(r.s.n), Fmt(r.s.mean),
                 Fmt(r.s.median), Fmt(100 * r.s.failure_rate, 1) + " %"});
  }
  std::cout << FormatTable(t);
  if (!rep.per_point.empty() && rep.per_point[0].ours.n > 0) {
    std::cout << "\nper point (own detectors, faces both detect; mean error / normaliser):\n\n";
    std::vector<std::vector<std::string>> p = {{"point", "ours", "dlib-68"}};
    for (const PointRow& r : rep.per_point) {
      p.push_back({r.name, Fmt(r.ours.mean), r.dlib.n ? Fmt(r.dlib.mean) : "-"});
    }
    std::cout << FormatTable(p);
  }
}

void WriteReport(JsonWriter* w, const SetReport& rep) {
  w->BeginObject();
  w->Key("faces").Int(rep.total);
  w->Key("detected_ours").Int(rep.ours_detected);
  w->Key("detected_dlib").Int(rep.dlib_detected);
  w->Key("detected_both").Int(rep.both);
  w->Key("rows").BeginArray();
  for (const Row& r : rep.rows) {
    w->BeginObject();
    w->Key("system").String(r.system);
    w->Key("init").String(r.init);
    w->Key("points").Int(std::atoi(r.points.c_str()));
    w->Key("faces").String(r.faces);
    w->Key("n").Int(r.s.n);
    w->Key("nme_mean").Number(r.s.mean);
    w->Key("nme_median").Number(r.s.median);
    w->Key("failure_rate").Number(r.s.failure_rate);
    w->EndObject();
  }
  w->EndArray();
  w->Key("per_point").BeginArray();
  for (const PointRow& r : rep.per_point) {
    w->BeginObject().Key("point").String(r.name).Key("n").Int(r.ours.n);
    w->Key("ours_mean").Number(r.ours.n ? r.ours.mean : NAN);
    w->Key("dlib_mean").Number(r.dlib.n ? r.dlib.mean : NAN).EndObject();
  }
  w->EndArray();
  w->EndObject();
}

// --------------------------------------------------------------------------------- the runner

class Runner {
 public:
  explicit Runner(const Options& o) : o_(o) {}

  int Main() {
    Status st = FitBoxMapFromCache(o_.data, o_.dlib_cache, &map_);
    if (!st.ok()) return Fail(st);
    if (!o_.write_dlib_boxes.empty()) return WriteDlibBoxes();
    if (!o_.write_our_boxes.empty()) {
      our_boxes_out_.open(o_.write_our_boxes);
      if (!our_boxes_out_) return Fail(Status(ErrorCode::kInternal, "cannot write " + o_.write_our_boxes));
    }
    if (!o_.dlib_on_our_boxes.empty()) {
      st = ReadDlibOnOurBoxes();
      if (!st.ok()) return Fail(st);
    }
    if (Ours::Available()) {
      st = ours_.Load(o_.detector, o_.shape);
      if (!st.ok()) return Fail(st);
    } else {
      std::cerr << "note: built without af_detect/af_shape: dlib rows only\n";
    }
    json_.BeginObject();
    json_.Key("tool").String("af_eval_shape");
    json_.Key("min_face_size").Number(o_.min_face);
    json_.Key("dlib_upsample").Int(1);
    json_.Key("box_map").BeginObject();
    json_.Key("ox").Number(map_.ox).Key("oy").Number(map_.oy).Key("s").Number(map_.s);
    json_.Key("fitted_on_train_faces").Int(map_.fitted_on).Key("mean_iou").Number(map_.mean_iou);
    json_.EndObject();
    std::cout << "# af_eval_shape\n\nmodels: " << (ours_.has_detector() ? o_.detector : "-") << ", "
              << (ours_.has_shape() ? o_.shape : "-") << "; our min_face_size " << o_.min_face
              << " px; dlib HOG with upsample 1\n"
              << "dlib box -> face box mapping (fitted on " << map_.fitted_on
              << " train faces): cx += " << Fmt(map_.ox) << " w, cy += " << Fmt(map_.oy)
              << " w, side = " << Fmt(map_.s) << " w (mean IoU " << Fmt(map_.mean_iou, 3) << ")\n";
    json_.Key("sets").BeginObject();
    std::stringstream sets(o_.sets);
    std::string set;
    while (std::getline(sets, set, ',')) {
      st = RunSet(set);
      if (!st.ok()) return Fail(st);
    }
    json_.EndObject();
    json_.EndObject();
    if (!o_.json_out.empty()) {
      st = WriteSummary(o_.json_out, json_.str());
      if (!st.ok()) return Fail(st);
    }
    return 0;
  }

 private:
  static int Fail(const Status& st) { return ToolFailure("af_eval_shape", st); }
  std::string Path(const std::string& rel) const { return o_.data + "/" + rel; }
  std::string Cache(const std::string& name) const { return o_.dlib_cache + "/" + name; }

  int WriteDlibBoxes() {
    std::vector<LabeledImage> val;
    Status st = ReadLabels(Path("labels/val.jsonl"), &val);
    if (!st.ok()) return Fail(st);
    std::string lines;
    for (const LabeledImage& img : val) {
      for (const LabeledFace& f : img.faces) lines += DlibBoxLine(img.file, map_.ToDlib(FaceBoxFromPoints(f.points)));
    }
    st = WriteTextFile(o_.write_dlib_boxes, lines);
    return st.ok() ? 0 : Fail(st);
  }

  // `dlib_peer --boxes BOXES` output, line i for line i of BOXES; keyed by BOXES' "key" fields.
  Status ReadDlibOnOurBoxes() {
    const size_t comma = o_.dlib_on_our_boxes.find(',');
    if (comma == std::string::npos) return Status(ErrorCode::kInvalidParameter, "--dlib-on-our-boxes BOXES,OUT");
    const std::string boxes_path = o_.dlib_on_our_boxes.substr(0, comma);
    std::vector<PeerImage> out;
    Status st = ReadPeerJsonlList(o_.dlib_on_our_boxes.substr(comma + 1), &out);
    if (!st.ok()) return st;
    std::ifstream in(boxes_path);
    std::string line;
    size_t i = 0;
    while (std::getline(in, line)) {
      JsonValue v;
      if (!ParseJson(line, &v)) return Status(ErrorCode::kInvalidParameter, boxes_path + ": bad line");
      if (i >= out.size() || out[i].file != v.text("file") || out[i].faces.size() != 1) {
        return Status(ErrorCode::kInvalidParameter, "dlib output does not follow " + boxes_path);
      }
      dlib_on_ours_[v.text("key")] = out[i].faces[0].points;
      ++i;
    }
    if (i != out.size()) return Status(ErrorCode::kInvalidParameter, "dlib output longer than " + boxes_path);
    return Status::Ok();
  }

  // Our matched detector box for record `index` of `set`: written for dlib_peer --boxes (mapped
  // to dlib's convention) and/or dlib's landmarks on it read back.
  void OurBox(const SetSpec& spec, size_t index, const std::string& file, const BoxF& box, FaceRecord* r) {
    const std::string key = spec.name + "#" + std::to_string(index);
    if (our_boxes_out_.is_open()) our_boxes_out_ << DlibBoxLine(file, map_.ToDlib(box), key);
    const auto it = dlib_on_ours_.find(key);
    if (it != dlib_on_ours_.end()) r->dlib_on_ours = Extract(spec, it->second, true);
  }

  // Loads the image and runs our detector once per file.
  bool Prepare(const std::string& file, GrayImage* img, std::vector<OurDetection>* dets) {
    dets->clear();
    Status st = LoadGrayFile(Path(file), img);
    if (!st.ok()) {
      std::cerr << "skip " << file << ": " << st.message() << "\n";
      return false;
    }
    if (ours_.has_detector()) *dets = ours_.Detect(*img, o_.min_face);
    return true;
  }

  // One evaluation set, timed: a FaceRecord per annotated face (Collect*), then the tables and
  // the JSON section.
  Status RunSet(const std::string& set) {
    const auto t0 = std::chrono::steady_clock::now();
    Status (Runner::*collect)(const PeerCache&, SetRun*) = set == "val"       ? &Runner::CollectVal
                                                           : set == "imm"     ? &Runner::CollectImm
                                                           : set == "caltech" ? &Runner::CollectCaltech
                                                                              : nullptr;
    if (!collect) return Status(ErrorCode::kInvalidParameter, "unknown set " + set);
    // dlib_peer's own HOG boxes (upsample 1) and its 68 landmarks on them, per image of the set
    PeerCache dlib;
    Status st = ReadPeerJsonl(Cache(set + "_up1.jsonl"), &dlib);
    SetRun run;
    run.spec.name = set;
    if (st.ok()) st = (this->*collect)(dlib, &run);
    if (!st.ok()) return st;
    Finish(run, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return Status::Ok();
  }

  void Finish(const SetRun& run, double seconds) {
    const SetSpec& spec = run.spec;
    json_.Key(spec.name).BeginObject();
    json_.Key("seconds").Number(seconds);
    for (size_t s = 0; s < spec.subset_names.size(); ++s) {
      // With first_is_all, subset name 0 covers every face and name k the records of subset k-1.
      const int subset = spec.first_is_all ? static_cast<int>(s) - 1
                         : (spec.subset_names.size() > 1 ? static_cast<int>(s) : -1);
      const SetReport rep = Report(spec, run.records, subset, run.pointbox);
      PrintReport(spec.name + " — " + spec.subset_names[s], rep);
      json_.Key(spec.subset_names[s]);
      WriteReport(&json_, rep);
    }
    json_.EndObject();
    if (!run.part_nme.empty() && !run.part_nme[0].empty()) {
      std::cout << "\nval, ours on our detector's boxes, NME per part:\n\n";
      std::vector<std::vector<std::string>> t = {{"part", "points", "n", "NME mean", "NME median", "fail >0.10"}};
      json_.Key("val_parts").BeginObject();
      for (size_t p = 0; p < Parts90().size(); ++p) {
        const NmeSummary s = Summarize(run.part_nme[p]);
        t.push_back({Parts90()[p].name, std::to_string(Parts90()[p].count), std::to_string(s.n),
                     Fmt(s.mean), Fmt(s.median), Fmt(100 * s.failure_rate, 1) + " %"});
        json_.Key(Parts90()[p].name).BeginObject();
        json_.Key("nme_mean").Number(s.mean).Key("nme_median").Number(s.median);
        json_.Key("failure_rate").Number(s.failure_rate).EndObject();
      }
      json_.EndObject();
      std::cout << FormatTable(t);
    }
  }

  // ----- val: 90 labelled points, faces matched by IoU >= 0.3 against the point box
  Status CollectVal(const PeerCache& dlib, SetRun* run) {
    std::vector<LabeledImage> val;
    const Status st = ReadLabels(Path("labels/val.jsonl"), &val);
    if (!st.ok()) return st;
    std::vector<PeerImage> pointbox;  // one line per val face, in label order (optional)
    run->pointbox = ReadPeerJsonlList(Cache("val_pointbox.jsonl"), &pointbox).ok();
    const bool has_pointbox = run->pointbox;
    SetSpec& spec = run->spec;
    spec.subset_names = {"all faces", "|yaw| < 15 deg (teacher's estimate)", "|yaw| >= 15 deg"};
    spec.first_is_all = true;
    for (int i = 0; i < kNumPoints; ++i) spec.points.push_back(SharedPoint{i, {i}, {}, "", true});
    for (const auto& m : Shared68To90()) spec.points[m.second].dlib = {m.first};
    // The teacher labels carry LeftPupil/RightPupil swapped (LeftPupil on the image-RIGHT eye,
    // against layout.md). Evaluation follows the contract: such label pupils are swapped back.
    int labels_swapped = 0, ours_swapped = 0, ours_checked = 0;
    auto pupil_swapped = [](const std::vector<PointF>& p) {
      float lx = 0, rx = 0;
      for (int i = 0; i < 8; ++i) { lx += p[37 + i].x / 8; rx += p[45 + i].x / 8; }
      return std::fabs(p[88].x - rx) < std::fabs(p[88].x - lx);
    };
    std::vector<FaceRecord>& records = run->records;
    size_t face_index = 0;
    std::vector<std::vector<double>>& part_nme = run->part_nme;
    part_nme.resize(Parts90().size());
    for (size_t k = 0; k < val.size() && (o_.limit == 0 || k < o_.limit); ++k) {
      const LabeledImage& li = val[k];
      GrayImage img;
      std::vector<OurDetection> dets;
      const bool loaded = Prepare(li.file, &img, &dets);
      const auto dit = dlib.find(li.file);
      for (const LabeledFace& f : li.faces) {
        const size_t this_face = face_index++;
        if (!loaded) continue;
        FaceRecord r;
        r.file = li.file;
        r.subset = std::fabs(f.yaw) >= 15.f * 3.14159265f / 180.f ? 1 : 0;
        r.truth = ToVector(f.points);
        if (pupil_swapped(r.truth)) {
          std::swap(r.truth[88], r.truth[89]);
          ++labels_swapped;
        }
        r.truth_full = r.truth;
        r.norm = std::hypot(f.points[45].x - f.points[37].x, f.points[45].y - f.points[37].y);
        const BoxF truth_box = FaceBoxFromPoints(f.points);
        if (ours_.has_shape()) {
          if (const OurDetection* d = BestIoU(dets, truth_box, 0.3f)) {
            r.ours_full = ours_.Predict(img, d->box);
            OurBox(spec, records.size(), li.file, d->box, &r);
            ++ours_checked;
            ours_swapped += pupil_swapped(ToVector(r.ours_full));
            r.ours_det = Extract(spec, ToVector(r.ours_full), false);
            for (size_t p = 0; p < Parts90().size(); ++p) {
              const PartRange& part = Parts90()[p];
              std::vector<PointF> a(r.ours_full.begin() + part.first, r.ours_full.begin() + part.first + part.count);
              std::vector<PointF> b(r.truth.begin() + part.first, r.truth.begin() + part.first + part.count);
              part_nme[p].push_back(Nme(a, b, r.norm));
            }
          }
          r.ours_pointbox = Extract(spec, ToVector(ours_.Predict(img, truth_box)), false);
        }
        if (dit != dlib.end()) {
          if (const PeerFace* d = BestIoU(dit->second.faces, truth_box, map_, 0.3f)) {
            r.dlib_det = Extract(spec, d->points, true);
            if (ours_.has_shape()) r.ours_on_dlib = Extract(spec, ToVector(ours_.Predict(img, map_.ToOurs(d->box))), false);
          }
        }
        if (has_pointbox && this_face < pointbox.size() && pointbox[this_face].file == li.file &&
            pointbox[this_face].faces.size() == 1) {
          r.dlib_pointbox = Extract(spec, pointbox[this_face].faces[0].points, true);
        }
        records.push_back(std::move(r));
      }
    }
    std::cout << "\npupil order (layout.md: LeftPupil = iris of the image-left eye): label faces with the\n"
              << "pupils swapped (corrected before scoring): " << labels_swapped << " of " << records.size()
              << "; our predictions with LeftPupil on the image-right eye: " << ours_swapped << " of "
              << ours_checked << "\n";
    json_.Key("val_pupil_order").BeginObject().Key("labels_swapped").Int(labels_swapped);
    json_.Key("label_faces").Int(static_cast<long long>(records.size()));
    json_.Key("ours_swapped").Int(ours_swapped).Key("ours_checked").Int(ours_checked).EndObject();
    return Status::Ok();
  }

  // ----- IMM: 58 human points; frontal (1,2,5,6) and turned (3,4) apart
  Status CollectImm(const PeerCache& dlib, SetRun* run) {
    std::vector<ImmImage> imm;
    const Status st = ReadImm(o_.data, &imm);
    if (!st.ok()) return st;
    SetSpec& spec = run->spec;
    spec.subset_names = {"frontal (1,2,5,6)", "turned ~30 deg (3,4)"};
    // IMM index → 90-point index (data README) and 68-point index when shared (layout.md).
    const int L = 37, R = 45, M = 66, N = 53;
    spec.points = {
        {21, {L + 0}, {36}, "LeftEye[0] outer"},  {25, {L + 4}, {39}, "LeftEye[4] inner"},
        {17, {R + 4}, {42}, "RightEye[4] inner"}, {13, {R + 0}, {45}, "RightEye[0] outer"},
        {22, {L + 7}, {}, "LeftEye[7]"},  {23, {L + 6}, {}, "LeftEye[6]"},  {24, {L + 5}, {}, "LeftEye[5]"},
        {28, {L + 1}, {}, "LeftEye[1]"},  {27, {L + 2}, {}, "LeftEye[2]"},  {26, {L + 3}, {}, "LeftEye[3]"},
        {14, {R + 7}, {}, "RightEye[7]"}, {15, {R + 6}, {}, "RightEye[6]"}, {16, {R + 5}, {}, "RightEye[5]"},
        {20, {R + 1}, {}, "RightEye[1]"}, {19, {R + 2}, {}, "RightEye[2]"}, {18, {R + 3}, {}, "RightEye[3]"},
        {39, {M + 0}, {48}, "Mouth[0] corner"}, {43, {M + 6}, {54}, "Mouth[6] corner"},
        {6, {10}, {8}, "FaceProfile[10] chin"},
        {50, {N + 5}, {31}, "Nose[5] alar"}, {52, {N + 7}, {33}, "Nose[7] base"},
        {54, {N + 9}, {35}, "Nose[9] alar"}};
    spec.excluded = {{}, {18}};  // the chin point only on frontal photos
    std::vector<FaceRecord>& records = run->records;
    for (size_t k = 0; k < imm.size() && (o_.limit == 0 || k < o_.limit); ++k) {
      const ImmImage& ii = imm[k];
      GrayImage img;
      std::vector<OurDetection> dets;
      if (!Prepare(ii.file, &img, &dets)) continue;
      FaceRecord r;
      r.file = ii.file;
      r.subset = ii.turned() ? 1 : 0;
      for (const SharedPoint& sp : spec.points) r.truth.push_back(ii.points[sp.truth]);
      r.norm = std::hypot(ii.points[13].x - ii.points[21].x, ii.points[13].y - ii.points[21].y);
      // IoU reference: the squared bounding box of the 58 IMM points (brows to chin).
      const BoxF truth_box = FaceBoxFromPoints(ii.points, kImmPoints);
      if (ours_.has_shape()) {
        if (const OurDetection* d = BestIoU(dets, truth_box, 0.3f)) {
          r.ours_det = Extract(spec, ToVector(ours_.Predict(img, d->box)), false);
          OurBox(spec, records.size(), ii.file, d->box, &r);
        }
      }
      const auto dit = dlib.find(ii.file);
      if (dit != dlib.end()) {
        if (const PeerFace* d = BestIoU(dit->second.faces, truth_box, map_, 0.3f)) {
          r.dlib_det = Extract(spec, d->points, true);
          if (ours_.has_shape()) r.ours_on_dlib = Extract(spec, ToVector(ours_.Predict(img, map_.ToOurs(d->box))), false);
        }
      }
      records.push_back(std::move(r));
    }
    return Status::Ok();
  }

  // ----- Caltech: 4 human points, faces with eye distance >= 30 px
  Status CollectCaltech(const PeerCache& dlib, SetRun* run) {
    std::vector<CaltechImage> cal;
    const Status st = ReadCaltech(o_.data, &cal);
    if (!st.ok()) return st;
    SetSpec& spec = run->spec;
    spec.subset_names = {"eye distance >= 30 px"};
    // truth index: 0 left eye, 1 right eye, 2 nose tip, 3 mouth centre. dlib has no pupils: its
    // eye centre is the mean of the 6 eye-contour points.
    // The per-point table also shows the annotated nose against the nose BASE (Nose[7] / dlib 33):
    // the Caltech clicks sit much nearer the base than the tip (docs/evaluation.md).
    spec.points = {{0, {88}, {36, 37, 38, 39, 40, 41}, "left eye centre (LeftPupil)"},
                   {1, {89}, {42, 43, 44, 45, 46, 47}, "right eye centre (RightPupil)"},
                   {2, {53}, {30}, "nose tip (Nose[0])"},
                   {3, {69, 75}, {51, 57}, "mouth centre (Mouth[3],[9])"},
                   {2, {60}, {33}, "alt: nose vs base (Nose[7])", false},
                   {0, {37, 38, 39, 40, 41, 42, 43, 44}, {}, "alt: left eye vs LeftEye contour mean", false},
                   {1, {45, 46, 47, 48, 49, 50, 51, 52}, {}, "alt: right eye vs RightEye contour mean", false}};
    std::vector<FaceRecord>& records = run->records;
    for (size_t k = 0; k < cal.size() && (o_.limit == 0 || k < o_.limit); ++k) {
      const CaltechImage& ci = cal[k];
      bool any = false;
      for (const CaltechFace& f : ci.faces) any |= f.eye_distance() >= 30.f;
      if (!any) continue;
      GrayImage img;
      std::vector<OurDetection> dets;
      if (!Prepare(ci.file, &img, &dets)) continue;
      const auto dit = dlib.find(ci.file);
      for (const CaltechFace& f : ci.faces) {
        if (f.eye_distance() < 30.f) continue;
        FaceRecord r;
        r.file = ci.file;
        const PointF gt[4] = {f.left_eye, f.right_eye, f.nose, f.mouth};
        for (const SharedPoint& sp : spec.points) r.truth.push_back(gt[sp.truth]);
        r.norm = f.eye_distance();
        if (ours_.has_shape()) {
          if (const OurDetection* best = BestCaltech(dets, f)) {
            r.ours_det = Extract(spec, ToVector(ours_.Predict(img, best->box)), false);
            OurBox(spec, records.size(), ci.file, best->box, &r);
          }
        }
        if (dit != dlib.end()) {
          if (const PeerFace* best = BestCaltech(dit->second.faces, f)) {
            r.dlib_det = Extract(spec, best->points, true);
            if (ours_.has_shape()) r.ours_on_dlib = Extract(spec, ToVector(ours_.Predict(img, map_.ToOurs(best->box))), false);
          }
        }
        records.push_back(std::move(r));
      }
    }
    return Status::Ok();
  }

  const Options& o_;
  BoxMap map_;
  Ours ours_;
  JsonWriter json_;
  std::ofstream our_boxes_out_;
  std::map<std::string, std::vector<PointF>> dlib_on_ours_;
};

}  // namespace
}  // namespace eval
}  // namespace af

int main(int argc, char** argv) {
  return af::eval::RunTool<af::eval::Options, af::eval::Runner>(argc, argv, af::eval::ParseArgs, af::eval::kUsage);
}
