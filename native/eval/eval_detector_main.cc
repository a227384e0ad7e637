// af_eval_detector: face detection accuracy of our detector beside dlib's HOG detector (cached
// dlib_peer_scores output), same images, same matching rule, same smallest face size.
//
//   af_eval_detector [--data DIR] [--detector FILE] [--dlib-cache DIR] [--adjust T] [--json OUT]
//                    [--limit N]
//
// Sets (docs/evaluation.md):
//   caltech        eval/caltech: a detection matches a face when its box contains both eyes and
//                  the mouth and its width is 1.5-4x the eye distance; eye distance >= 20 px
//                  required, smaller faces optional (matches to them are ignored).
//   dlib_examples  eval/dlib_examples/{training,testing}.xml: IoU >= 0.5; the hand boxes are in
//                  dlib's convention, so for ours they are mapped to the face-box convention with
//                  the mapping fitted on labels/train.jsonl (never on eval data).
//   negatives      the held-out part of negatives/ (the detector trainer's FNV-1a % 5 == 0 rule):
//                  false positives per image.
// Settings: ours min_face_size 40 vs dlib --upsample 1, ours 80 vs dlib --upsample 0, and for
// reference ours 38.8 (dlib's smallest upsample-1 window in our convention) vs upsample 1.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "common/face_box.h"
#include "eval/cli.h"
#include "eval/eval_data.h"
#include "eval/metrics.h"
#include "eval/ours.h"
#include "image/image.h"
#include "train/json_lite.h"

namespace af {
namespace eval {
namespace {

constexpr char kUsage[] =
    "usage: af_eval_detector [--data DIR] [--detector FILE] [--dlib-cache DIR] [--adjust T<=0]\n"
    "                        [--json OUT] [--limit N]\n";

struct Options : ToolPaths {
  std::string json_out;
  float adjust = -1.0f;  // our threshold_adjust when listing candidates (curve below default)
  size_t limit = 0;
};

bool ParseArgs(int argc, char** argv, Options* o) {
  return ParseFlags(argc, argv, {{"--data", &o->data}, {"--detector", &o->detector},
                                 {"--dlib-cache", &o->dlib_cache}, {"--json", &o->json_out},
                                 {"--adjust", &o->adjust}, {"--limit", &o->limit}}) &&
         o->adjust <= 0.f;
}

// A candidate detection from either system, in that system's own box convention.
struct Cand {
  BoxF box;
  float score;
};

// Ground truth of one image, in a form each matching rule understands.
struct Truth {
  std::vector<CaltechFace> caltech;  // caltech rule
  std::vector<BoxF> boxes;           // IoU rule (in the convention of the system being scored)
  std::vector<bool> required;        // per face (either list)
};

// Match quality of candidate box vs face k (higher is better), or < 0 when not a match.
float Quality(const Truth& t, size_t k, const BoxF& b) {
  if (!t.caltech.empty()) {
    const CaltechFace& f = t.caltech[k];
    if (!CaltechMatches(b, f)) return -1;
    return 1.f / (1.f + CaltechCentreDistance(b, f));
  }
  const float iou = BoxIoU(b, t.boxes[k]);
  return iou >= 0.5f ? iou : -1;
}

size_t FaceCount(const Truth& t) { return t.caltech.empty() ? t.boxes.size() : t.caltech.size(); }

// Greedy matching in descending score order (PASCAL VOC style): each face takes at most one
// detection; a second detection on a matched required face is a false positive; detections on
// optional faces are ignored.
void MatchImage(const Truth& t, std::vector<Cand> cands, std::vector<ScoredDet>* out,
                std::vector<float>* match_score) {
  std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.score > b.score; });
  const size_t n = FaceCount(t);
  std::vector<bool> taken(n, false);
  match_score->assign(n, -INFINITY);  // score of the detection each face took
  for (const Cand& c : cands) {
    int best = -1;
    float best_q = -1;
    bool optional_hit = false;
    for (size_t k = 0; k < n; ++k) {
      const float q = Quality(t, k, c.box);
      if (q < 0) continue;
      if (!t.required[k]) { optional_hit = true; continue; }
      if (!taken[k] && q > best_q) { best_q = q; best = static_cast<int>(k); }
    }
    if (best >= 0) {
      taken[best] = true;
      (*match_score)[best] = c.score;
      out->push_back(ScoredDet{c.score, 1});
    } else {
      out->push_back(ScoredDet{c.score, optional_hit ? -1 : 0});
    }
  }
}

struct Setting {
  const char* name;
  float our_min_face;
  int dlib_upsample;
};
// The third row is for reference, not the product default: dlib's smallest upsample-1 window
// (40 px in its box convention) is 40 x 0.9707 = 38.8 px in ours (docs/box-convention.md), so
// "the same smallest face size" taken literally is our min face 38.8.
const Setting kSettings[] = {{"min face 40 / dlib upsample 1", 40.f, 1},
                             {"min face 80 / dlib upsample 0", 80.f, 0},
                             {"min face 38.8 (= dlib's 40 px window) / dlib upsample 1", 38.83f, 1}};

// Caltech recall at the default threshold by face size (annotated eye distance, px).
const float kSizeBins[] = {20, 30, 50, 80, 1e9f};
constexpr int kNumBins = 4;

struct ResultRow {
  std::string set, system, setting;
  DetCurve curve;
  int bin_faces[kNumBins] = {0, 0, 0, 0}, bin_found[kNumBins] = {0, 0, 0, 0};
  int images_with_fp = 0;  // negatives only
  double ms_per_image = 0;
};

class Runner {
 public:
  explicit Runner(const Options& o) : o_(o) {}

  int Main() {
    Status st = FitBoxMapFromCache(o_.data, o_.dlib_cache, &map_);
    if (!st.ok()) return Fail(st);
    if (Ours::Available()) {
      st = ours_.Load(o_.detector, "");
      if (!st.ok()) return Fail(st);
    } else {
      std::cerr << "note: built without af_detect: dlib rows only\n";
    }
    st = LoadSets();
    if (!st.ok()) return Fail(st);
    for (const Setting& s : kSettings) {
      for (const std::string& set : {std::string("caltech"), std::string("dlib_examples"), std::string("negatives")}) {
        st = RunDlib(set, s);
        if (!st.ok()) return Fail(st);
        if (ours_.has_detector()) RunOurs(set, s);
      }
    }
    Print();
    if (!o_.json_out.empty()) {
      st = WriteSummary(o_.json_out, Json());
      if (!st.ok()) return Fail(st);
    }
    return 0;
  }

 private:
  static int Fail(const Status& st) { return ToolFailure("af_eval_detector", st); }

  Status LoadSets() {
    std::vector<CaltechImage> cal;
    Status st = ReadCaltech(o_.data, &cal);
    if (!st.ok()) return st;
    for (const CaltechImage& ci : cal) {
      Truth t;
      t.caltech = ci.faces;
      for (const CaltechFace& f : ci.faces) t.required.push_back(f.eye_distance() >= 20.f);
      sets_["caltech"].push_back({ci.file, t});
    }
    for (const char* xml : {"eval/dlib_examples/training.xml", "eval/dlib_examples/testing.xml"}) {
      std::vector<XmlImage> imgs;
      st = ReadDlibXml(o_.data, xml, &imgs);
      if (!st.ok()) return st;
      for (const XmlImage& xi : imgs) {
        Truth t;
        for (const XmlBox& b : xi.boxes) {
          t.boxes.push_back(b.box);
          t.required.push_back(!b.ignore);
        }
        sets_["dlib_examples"].push_back({xi.file, t});
      }
    }
    std::ifstream list(o_.dlib_cache + "/lists/negatives.txt");
    std::string file;
    while (std::getline(list, file)) {
      if (IsHeldOutNegative(BaseName(file))) sets_["negatives"].push_back({file, Truth()});
    }
    if (sets_["negatives"].empty()) {
      return Status(ErrorCode::kInvalidParameter, "no held-out negatives (is " + o_.dlib_cache + "/lists/negatives.txt there?)");
    }
    return Status::Ok();
  }

  size_t Count(const std::string& set) const {
    const size_t n = sets_.at(set).size();
    return o_.limit ? std::min(n, o_.limit) : n;
  }

  void Score(const std::string& set, const std::string& system, const Setting& s,
             const std::vector<std::vector<Cand>>& cands, bool ours, double ms) {
    const auto& images = sets_.at(set);
    std::vector<ScoredDet> dets;
    int faces = 0, with_fp = 0;
    ResultRow row{set, system, s.name, DetCurve(), 0, 0};
    std::vector<float> match_score;
    for (size_t i = 0; i < cands.size(); ++i) {
      Truth t = images[i].second;
      if (ours && !t.boxes.empty()) {
        for (BoxF& b : t.boxes) b = map_.ToOurs(b);  // hand boxes are in dlib's convention
      }
      for (const bool r : t.required) faces += r;
      const size_t before = dets.size();
      MatchImage(t, cands[i], &dets, &match_score);
      for (size_t k = 0; k < t.caltech.size(); ++k) {
        const float d = t.caltech[k].eye_distance();
        for (int b = 0; b < kNumBins; ++b) {
          if (d >= kSizeBins[b] && d < kSizeBins[b + 1]) {
            ++row.bin_faces[b];
            row.bin_found[b] += match_score[k] >= 0;
          }
        }
      }
      bool fp = false;
      for (size_t k = before; k < dets.size(); ++k) fp |= dets[k].label == 0 && dets[k].score >= 0;
      with_fp += fp;
    }
    row.curve = ComputeCurve(dets, faces, static_cast<int>(cands.size()));
    row.images_with_fp = with_fp;
    row.ms_per_image = cands.empty() ? 0 : ms / cands.size();
    rows_.push_back(row);
  }

  Status RunDlib(const std::string& set, const Setting& s) {
    std::map<std::string, PeerImage> cache;
    const std::string path = o_.dlib_cache + "/" + set + "_scores_up" + std::to_string(s.dlib_upsample) + ".jsonl";
    Status st = ReadPeerJsonl(path, &cache);
    if (!st.ok()) return st;
    std::vector<std::vector<Cand>> cands(Count(set));
    double ms = 0;
    for (size_t i = 0; i < cands.size(); ++i) {
      const auto it = cache.find(sets_.at(set)[i].first);
      if (it == cache.end()) return Status(ErrorCode::kInvalidParameter, path + " lacks " + sets_.at(set)[i].first);
      for (const PeerFace& f : it->second.faces) cands[i].push_back(Cand{f.box, f.score});
      ms += it->second.detect_ms;
    }
    Score(set, "dlib HOG", s, cands, false, ms);
    return Status::Ok();
  }

  void RunOurs(const std::string& set, const Setting& s) {
    std::vector<std::vector<Cand>> cands(Count(set));
    double ms = 0;
    for (size_t i = 0; i < cands.size(); ++i) {
      GrayImage img;
      const std::string& file = sets_.at(set)[i].first;
      Status st = LoadGrayFile(o_.data + "/" + file, &img);
      if (!st.ok()) {
        std::cerr << "skip " << file << ": " << st.message() << "\n";
        continue;
      }
      const auto t0 = std::chrono::steady_clock::now();
      const std::vector<OurDetection> dets = ours_.Detect(img, s.our_min_face, o_.adjust);
      ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      for (const OurDetection& d : dets) cands[i].push_back(Cand{d.box, d.score});
    }
    Score(set, "ours", s, cands, true, ms);
  }

  void Print() const {
    std::cout << "# af_eval_detector\n\n"
              << "detector: " << (ours_.has_detector() ? o_.detector : "-")
              << "; candidates down to our score " << o_.adjust << " and dlib adjust_threshold -1\n"
              << "dlib box -> face box mapping (train split, " << map_.fitted_on << " faces): cx += "
              << Fmt(map_.ox) << " w, cy += " << Fmt(map_.oy) << " w, side = " << Fmt(map_.s) << " w\n\n";
    std::vector<std::vector<std::string>> t = {{"set", "system", "setting", "images", "faces",
                                                "R@0FP/10img", "R@1FP/10img", "R@5FP/10img", "AP",
                                                "R@default", "FP/img@default", "ms/img"}};
    for (const ResultRow& r : rows_) {
      if (r.set == "negatives") continue;
      t.push_back({r.set, r.system, r.setting, std::to_string(r.curve.images), std::to_string(r.curve.faces),
                   Fmt(r.curve.recall_at_fp[0], 3), Fmt(r.curve.recall_at_fp[1], 3),
                   Fmt(r.curve.recall_at_fp[2], 3), Fmt(r.curve.ap, 3), Fmt(r.curve.recall_default, 3),
                   Fmt(r.curve.fp_per_image_default, 3), Fmt(r.ms_per_image, 1)});
    }
    std::cout << FormatTable(t);
    std::cout << "\nheld-out negatives (no faces): false positives at the default threshold\n\n";
    std::vector<std::vector<std::string>> n = {{"system", "setting", "images", "FP/img", "images with a FP", "ms/img"}};
    for (const ResultRow& r : rows_) {
      if (r.set != "negatives") continue;
      n.push_back({r.system, r.setting, std::to_string(r.curve.images), Fmt(r.curve.fp_per_image_default, 3),
                   std::to_string(r.images_with_fp), Fmt(r.ms_per_image, 1)});
    }
    std::cout << FormatTable(n);
    std::cout << "\nCaltech recall at the default threshold by face size (annotated eye distance):\n\n";
    std::vector<std::vector<std::string>> z = {{"system", "setting", "20-30 px", "30-50 px", "50-80 px", ">= 80 px"}};
    for (const ResultRow& r : rows_) {
      if (r.set != "caltech") continue;
      std::vector<std::string> line = {r.system, r.setting};
      for (int b = 0; b < kNumBins; ++b) {
        line.push_back(r.bin_faces[b] ? Fmt(static_cast<double>(r.bin_found[b]) / r.bin_faces[b], 3) + " (" +
                                            std::to_string(r.bin_faces[b]) + ")"
                                      : "-");
      }
      z.push_back(line);
    }
    std::cout << FormatTable(z);
  }

  std::string Json() const {
    JsonWriter w;
    w.BeginObject();
    w.Key("tool").String("af_eval_detector");
    w.Key("our_threshold_adjust").Number(o_.adjust);
    w.Key("box_map").BeginObject().Key("ox").Number(map_.ox).Key("oy").Number(map_.oy);
    w.Key("s").Number(map_.s).Key("fitted_on_train_faces").Int(map_.fitted_on).EndObject();
    w.Key("rows").BeginArray();
    for (const ResultRow& r : rows_) {
      w.BeginObject();
      w.Key("set").String(r.set).Key("system").String(r.system).Key("setting").String(r.setting);
      w.Key("curve");
      WriteCurve(&w, r.curve);
      if (r.set == "negatives") w.Key("images_with_fp").Int(r.images_with_fp);
      if (r.set == "caltech") {
        w.Key("recall_default_by_eye_distance").BeginArray();
        for (int b = 0; b < kNumBins; ++b) {
          w.BeginObject().Key("from_px").Number(kSizeBins[b]).Key("to_px").Number(b + 1 < kNumBins ? kSizeBins[b + 1] : NAN);
          w.Key("faces").Int(r.bin_faces[b]);
          w.Key("recall").Number(r.bin_faces[b] ? static_cast<double>(r.bin_found[b]) / r.bin_faces[b] : NAN).EndObject();
        }
        w.EndArray();
      }
      w.Key("ms_per_image").Number(r.ms_per_image);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return w.str();
  }

  const Options& o_;
  BoxMap map_;
  Ours ours_;
  std::map<std::string, std::vector<std::pair<std::string, Truth>>> sets_;
  std::vector<ResultRow> rows_;
};

}  // namespace
}  // namespace eval
}  // namespace af

int main(int argc, char** argv) {
  return af::eval::RunTool<af::eval::Options, af::eval::Runner>(argc, argv, af::eval::ParseArgs, af::eval::kUsage);
}
