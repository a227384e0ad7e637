#include "eval/eval_data.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/face_box.h"
#include "image/image.h"
#include "train/json_lite.h"

namespace af {
namespace eval {

namespace {

Status Fail(const std::string& message) { return Status(ErrorCode::kInvalidParameter, message); }

std::string Join(const std::string& root, const std::string& rel) {
  if (root.empty()) return rel;
  return root.back() == '/' ? root + rel : root + "/" + rel;
}

// Value of attribute `name='...'` or name="..." inside an XML tag; "" when absent.
std::string XmlAttr(const std::string& tag, const std::string& name) {
  size_t pos = 0;
  while ((pos = tag.find(name, pos)) != std::string::npos) {
    const bool word_start = pos == 0 || tag[pos - 1] == ' ' || tag[pos - 1] == '\t';
    size_t p = pos + name.size();
    while (p < tag.size() && tag[p] == ' ') ++p;
    if (word_start && p < tag.size() && tag[p] == '=') {
      ++p;
      while (p < tag.size() && tag[p] == ' ') ++p;
      if (p < tag.size() && (tag[p] == '\'' || tag[p] == '"')) {
        const char q = tag[p];
        const size_t end = tag.find(q, p + 1);
        if (end != std::string::npos) return tag.substr(p + 1, end - p - 1);
      }
    }
    pos += name.size();
  }
  return std::string();
}

bool ParsePoint(const JsonValue& v, PointF* p) {
  if (v.type != JsonValue::kArray || v.items.size() != 2 ||
      v.items[0].type != JsonValue::kNumber || v.items[1].type != JsonValue::kNumber) {
    return false;
  }
  p->x = static_cast<float>(v.items[0].number);
  p->y = static_cast<float>(v.items[1].number);
  return true;
}

Status ParsePeerLine(const std::string& line, const std::string& where, PeerImage* img) {
  JsonValue v;
  std::string err;
  if (!ParseJson(line, &v, &err)) return Fail(where + ": " + err);
  img->file = v.text("file");
  if (img->file.empty()) return Fail(where + ": no \"file\"");
  if (v.get("error")) { img->error = true; return Status::Ok(); }
  img->width = static_cast<int>(v.num("width"));
  img->height = static_cast<int>(v.num("height"));
  img->decode_ms = v.num("decode_ms");
  img->detect_ms = v.num("detect_ms");
  const JsonValue* list = v.get("faces");
  if (!list) list = v.get("dets");
  if (!list || list->type != JsonValue::kArray) return Fail(where + ": no \"faces\"/\"dets\" array");
  for (const JsonValue& f : list->items) {
    const JsonValue* box = f.get("box");
    if (!box || box->type != JsonValue::kArray || box->items.size() != 4) {
      return Fail(where + ": bad box");
    }
    PeerFace face;
    const double l = box->items[0].number, t = box->items[1].number;
    const double r = box->items[2].number, b = box->items[3].number;
    if (!(r >= l && b >= t)) return Fail(where + ": box with right < left or bottom < top");
    face.box = BoxF{static_cast<float>(l), static_cast<float>(t), static_cast<float>(r - l + 1),
                    static_cast<float>(b - t + 1)};
    face.score = static_cast<float>(f.num("score"));
    face.component = static_cast<int>(f.num("component"));
    face.shape_ms = static_cast<float>(f.num("shape_ms"));
    if (const JsonValue* pts = f.get("points")) {
      for (const JsonValue& p : pts->items) {
        PointF q;
        if (!ParsePoint(p, &q)) return Fail(where + ": bad point");
        face.points.push_back(q);
      }
      if (face.points.size() != 68) return Fail(where + ": expected 68 points");
    }
    img->faces.push_back(std::move(face));
  }
  return Status::Ok();
}

}  // namespace

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// --------------------------------------------------------------------------------------------- IMM

Status ReadImm(const std::string& data_root, std::vector<ImmImage>* out) {
  out->clear();
  for (int person = 1; person <= 40; ++person) {
    for (int pose = 1; pose <= 6; ++pose) {
      // Most files are NN-Km (male) or NN-Kf (female).
      for (const char sex : {'m', 'f'}) {
        char stem[32];
        std::snprintf(stem, sizeof stem, "eval/imm/%02d-%d%c", person, pose, sex);
        const std::string asf = Join(data_root, std::string(stem) + ".asf");
        std::ifstream in(asf);
        if (!in) continue;
        ImmImage img;
        img.file = std::string(stem) + ".jpg";
        img.pose = pose;
        std::vector<uint8_t> bytes;
        Status st = ReadFileBytes(Join(data_root, img.file), &bytes);
        if (!st.ok()) return st;
        ImageHeader header;
        st = ReadImageHeader(bytes.data(), bytes.size(), &header);
        if (!st.ok()) return Fail(img.file + ": " + st.message());
        img.width = static_cast<int>(header.width);
        img.height = static_cast<int>(header.height);
        std::string line;
        int declared = -1;
        while (std::getline(in, line)) {
          if (line.empty() || line[0] == '#') continue;
          std::istringstream ss(line);
          std::vector<std::string> tok;
          std::string t;
          while (ss >> t) tok.push_back(t);
          if (tok.size() == 1 && declared < 0) { declared = std::atoi(tok[0].c_str()); continue; }
          if (tok.size() >= 7) {
            const double fx = std::atof(tok[2].c_str()), fy = std::atof(tok[3].c_str());
            const int index = std::atoi(tok[4].c_str());
            if (index != static_cast<int>(img.points.size()) || fx < -0.5 || fx > 1.5 || fy < -0.5 || fy > 1.5) {
              return Fail(asf + ": bad point line '" + line + "'");
            }
            img.points.push_back(PointF{static_cast<float>(fx * img.width),
                                        static_cast<float>(fy * img.height)});
          }
        }
        if (declared != kImmPoints || static_cast<int>(img.points.size()) != kImmPoints) {
          return Fail(asf + ": expected " + std::to_string(kImmPoints) + " points");
        }
        out->push_back(std::move(img));
      }
    }
  }
  if (out->empty()) return Fail("no IMM .asf files under " + Join(data_root, "eval/imm"));
  return Status::Ok();
}

// ----------------------------------------------------------------------------------------- Caltech

float CaltechFace::eye_distance() const {
  return std::hypot(right_eye.x - left_eye.x, right_eye.y - left_eye.y);
}

Status ReadCaltech(const std::string& data_root, std::vector<CaltechImage>* out) {
  out->clear();
  const std::string path = Join(data_root, "eval/caltech/ground_truth.txt");
  std::ifstream in(path);
  if (!in) return Fail("cannot open " + path);
  std::map<std::string, size_t> index;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    std::istringstream ss(line);
    std::string name;
    float v[8];
    ss >> name;
    for (float& x : v) {
      if (!(ss >> x)) return Fail(path + ":" + std::to_string(line_no) + ": expected 8 numbers");
    }
    CaltechFace f;
    f.left_eye = {v[0], v[1]};
    f.right_eye = {v[2], v[3]};
    f.nose = {v[4], v[5]};
    f.mouth = {v[6], v[7]};
    const std::string file = "eval/caltech/images/" + name;
    auto it = index.find(file);
    if (it == index.end()) {
      it = index.emplace(file, out->size()).first;
      out->push_back(CaltechImage{file, {}});
    }
    (*out)[it->second].faces.push_back(f);
  }
  return Status::Ok();
}

bool CaltechMatches(const BoxF& b, const CaltechFace& f) {
  auto inside = [&](const PointF& p) { return p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h; };
  const float d = f.eye_distance();
  return inside(f.left_eye) && inside(f.right_eye) && inside(f.mouth) && b.w >= 1.5f * d && b.w <= 4.f * d;
}

float CaltechCentreDistance(const BoxF& b, const CaltechFace& f) {
  const float cx = (f.left_eye.x + f.right_eye.x + f.mouth.x) / 3, cy = (f.left_eye.y + f.right_eye.y + f.mouth.y) / 3;
  return std::hypot(b.cx() - cx, b.cy() - cy);
}

// -------------------------------------------------------------------------------------- dlib XML

Status ReadDlibXml(const std::string& data_root, const std::string& xml_rel_path,
                   std::vector<XmlImage>* out) {
  out->clear();
  const std::string path = Join(data_root, xml_rel_path);
  std::ifstream in(path);
  if (!in) return Fail("cannot open " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string xml = ss.str();
  const std::string dir = xml_rel_path.substr(0, xml_rel_path.find_last_of('/') + 1);
  size_t pos = 0;
  while ((pos = xml.find('<', pos)) != std::string::npos) {
    const size_t end = xml.find('>', pos);
    if (end == std::string::npos) return Fail(path + ": unterminated tag");
    const std::string tag = xml.substr(pos + 1, end - pos - 1);
    pos = end + 1;
    if (tag.compare(0, 6, "image ") == 0) {
      out->push_back(XmlImage{dir + XmlAttr(tag, "file"), {}});
    } else if (tag.compare(0, 4, "box ") == 0) {
      if (out->empty()) return Fail(path + ": <box> outside <image>");
      XmlBox b;
      // strtof, not std::stof: a value out of float range must not throw
      auto number = [&](const char* name) { return std::strtof(("0" + XmlAttr(tag, name)).c_str(), nullptr); };
      b.box.y = number("top");
      b.box.x = number("left");
      b.box.w = number("width");
      b.box.h = number("height");
      b.ignore = XmlAttr(tag, "ignore") == "1";
      if (XmlAttr(tag, "top").empty() || XmlAttr(tag, "left").empty() || !(b.box.w > 0) || !(b.box.h > 0)) {
        return Fail(path + ": bad <box " + tag + ">");
      }
      out->back().boxes.push_back(b);
    }
  }
  return Status::Ok();
}

// -------------------------------------------------------------------------------- peer JSON-lines

Status ReadPeerJsonlList(const std::string& path, std::vector<PeerImage>* out) {
  out->clear();
  return ForEachLine(path, [out](const std::string& line, const std::string& where) {
    PeerImage img;
    Status st = ParsePeerLine(line, where, &img);
    if (st.ok()) out->push_back(std::move(img));
    return st;
  }, " (run native/eval/dlib_cache.sh)");
}

Status ReadPeerJsonl(const std::string& path, std::map<std::string, PeerImage>* out) {
  std::vector<PeerImage> list;
  Status st = ReadPeerJsonlList(path, &list);
  if (!st.ok()) return st;
  out->clear();
  for (PeerImage& img : list) {
    std::string key = img.file;
    (*out)[key] = std::move(img);
  }
  return Status::Ok();
}

std::string DlibBoxLine(const std::string& file, const BoxF& d, const std::string& key) {
  std::string line = "{\"file\":\"" + file + "\",\"box\":[" + std::to_string(std::lround(d.x)) + "," +
                     std::to_string(std::lround(d.y)) + "," + std::to_string(std::lround(d.x + d.w - 1)) + "," +
                     std::to_string(std::lround(d.y + d.h - 1)) + "]";
  if (!key.empty()) line += ",\"key\":\"" + key + "\"";
  return line + "}\n";
}

// ---------------------------------------------------------------------------------------- BoxMap

BoxF BoxMap::ToOurs(const BoxF& d) const {
  const double side = s * d.w;
  const double cx = d.cx() + ox * d.w, cy = d.cy() + oy * d.w;
  return BoxF{static_cast<float>(cx - 0.5 * side), static_cast<float>(cy - 0.5 * side),
              static_cast<float>(side), static_cast<float>(side)};
}

BoxF BoxMap::ToDlib(const BoxF& o) const {
  const double w = o.w / s;
  const double cx = o.cx() - ox * w, cy = o.cy() - oy * w;
  return BoxF{static_cast<float>(cx - 0.5 * w), static_cast<float>(cy - 0.5 * w),
              static_cast<float>(w), static_cast<float>(w)};
}

Status FitBoxMap(const std::vector<LabeledImage>& train_labels,
                 const std::map<std::string, PeerImage>& train_dets, BoxMap* out) {
  // Pass 0 pairs with a rough prior (dlib boxes are ~tighter and higher), pass 1 re-pairs with
  // the first fit, so the pairing does not depend on the prior.
  BoxMap map;
  map.s = 1.3;
  map.oy = 0.0;
  for (int pass = 0; pass < 2; ++pass) {
    double sww = 0, swx = 0, swy = 0, sws = 0, iou_sum = 0;
    int n = 0;
    for (const LabeledImage& img : train_labels) {
      const auto it = train_dets.find(img.file);
      if (it == train_dets.end() || it->second.error) continue;
      for (const LabeledFace& face : img.faces) {
        const BoxF truth = FaceBoxFromPoints(face.points);
        const PeerFace* best = nullptr;
        float best_iou = 0.3f;
        for (const PeerFace& d : it->second.faces) {
          if (d.score < 0) continue;  // only detections at dlib's default threshold
          const float iou = BoxIoU(map.ToOurs(d.box), truth);
          if (iou >= best_iou) { best_iou = iou; best = &d; }
        }
        if (!best) continue;
        const double w = best->box.w;
        sww += w * w;
        swx += w * (truth.cx() - best->box.cx());
        swy += w * (truth.cy() - best->box.cy());
        sws += w * truth.w;
        ++n;
      }
    }
    if (n < 20) return Fail("box mapping: only " + std::to_string(n) + " dlib/label pairs on train");
    BoxMap fit;
    fit.ox = swx / sww;
    fit.oy = swy / sww;
    fit.s = sws / sww;
    fit.fitted_on = n;
    // mean IoU of the fit on its own pairs
    for (const LabeledImage& img : train_labels) {
      const auto it = train_dets.find(img.file);
      if (it == train_dets.end() || it->second.error) continue;
      for (const LabeledFace& face : img.faces) {
        const BoxF truth = FaceBoxFromPoints(face.points);
        float best_iou = 0;
        for (const PeerFace& d : it->second.faces) {
          if (d.score < 0) continue;
          best_iou = std::max(best_iou, BoxIoU(fit.ToOurs(d.box), truth));
        }
        if (best_iou >= 0.3f) iou_sum += best_iou;
      }
    }
    fit.mean_iou = iou_sum / n;
    map = fit;
  }
  *out = map;
  return Status::Ok();
}

Status FitBoxMapFromCache(const std::string& data_root, const std::string& dlib_cache, BoxMap* out) {
  std::vector<LabeledImage> train;
  Status st = ReadLabels(data_root + "/labels/train.jsonl", &train);
  if (!st.ok()) return st;
  std::map<std::string, PeerImage> dets;
  st = ReadPeerJsonl(dlib_cache + "/train_scores_up1.jsonl", &dets);
  if (!st.ok()) return st;
  return FitBoxMap(train, dets, out);
}

// ------------------------------------------------------------------------------------- negatives

bool IsHeldOutNegative(const std::string& file_name) {
  // The detector trainer's rule (native/detect/train_detector_main.cc, models/detector.train.json
  // "notes"): FNV-1a 32-bit of the base file name, held out when the hash % 5 == 0.
  uint32_t h = 2166136261u;
  for (const char c : file_name) {
    h ^= static_cast<uint8_t>(c);
    h *= 16777619u;
  }
  return h % 5 == 0;
}

}  // namespace eval
}  // namespace af
