#include "train/labels.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>

namespace af {
namespace {

// A tiny JSON value and recursive-descent parser: enough for the label files.
struct Json {
  enum Type { kNull, kBool, kNumber, kString, kArray, kObject } type = kNull;
  double number = 0;
  std::string str;
  std::vector<Json> items;
  std::map<std::string, Json> fields;
  const Json* get(const std::string& k) const {
    auto it = fields.find(k);
    return it == fields.end() ? nullptr : &it->second;
  }
};

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}
  bool parse(Json* out) { return value(out, 0) && (ws(), i_ == s_.size()); }

 private:
  void ws() { while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_; }
  bool value(Json* v, int depth) {
    if (depth > 32) return false;
    ws();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') {
      v->type = Json::kObject; ++i_; ws();
      if (i_ < s_.size() && s_[i_] == '}') { ++i_; return true; }
      while (true) {
        ws();
        Json key;
        if (!string(&key)) return false;
        ws();
        if (i_ >= s_.size() || s_[i_] != ':') return false;
        ++i_;
        if (!value(&v->fields[key.str], depth + 1)) return false;
        ws();
        if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
        if (i_ < s_.size() && s_[i_] == '}') { ++i_; return true; }
        return false;
      }
    }
    if (c == '[') {
      v->type = Json::kArray; ++i_; ws();
      if (i_ < s_.size() && s_[i_] == ']') { ++i_; return true; }
      while (true) {
        v->items.emplace_back();
        if (!value(&v->items.back(), depth + 1)) return false;
        ws();
        if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
        if (i_ < s_.size() && s_[i_] == ']') { ++i_; return true; }
        return false;
      }
    }
    if (c == '"') return string(v);
    if (s_.compare(i_, 4, "true") == 0) { v->type = Json::kBool; v->number = 1; i_ += 4; return true; }
    if (s_.compare(i_, 5, "false") == 0) { v->type = Json::kBool; i_ += 5; return true; }
    if (s_.compare(i_, 4, "null") == 0) { v->type = Json::kNull; i_ += 4; return true; }
    const char* begin = s_.c_str() + i_;
    char* end = nullptr;
    v->number = std::strtod(begin, &end);
    if (end == begin) return false;
    v->type = Json::kNumber;
    i_ += static_cast<size_t>(end - begin);
    return true;
  }
  bool string(Json* v) {
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    ++i_;
    v->type = Json::kString;
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) {
        ++i_;
        const char e = s_[i_];
        v->str += e == 'n' ? '\n' : e == 't' ? '\t' : e;  // \uXXXX is not used by the label files
      } else {
        v->str += s_[i_];
      }
      ++i_;
    }
    if (i_ >= s_.size()) return false;
    ++i_;
    return true;
  }
  const std::string& s_;
  size_t i_ = 0;
};

double Num(const Json* v, double fallback = 0) {
  return v && v->type == Json::kNumber ? v->number : fallback;
}

}  // namespace

Status ReadLabels(const std::string& path, std::vector<LabeledImage>* out) {
  std::ifstream in(path);
  if (!in) return Status(ErrorCode::kInvalidParameter, "cannot open " + path);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    Json j;
    auto bad = [&](const char* why) {
      return Status(ErrorCode::kInvalidParameter,
                    path + ":" + std::to_string(line_no) + ": " + why);
    };
    if (!Parser(line).parse(&j) || j.type != Json::kObject) return bad("not a JSON object");
    LabeledImage img;
    const Json* file = j.get("file");
    if (!file || file->type != Json::kString) return bad("missing \"file\"");
    img.file = file->str;
    img.width = static_cast<int>(Num(j.get("width")));
    img.height = static_cast<int>(Num(j.get("height")));
    const Json* faces = j.get("faces");
    if (!faces || faces->type != Json::kArray) return bad("missing \"faces\"");
    for (const Json& f : faces->items) {
      LabeledFace face;
      const Json* pts = f.get("points");
      if (!pts || pts->type != Json::kArray || pts->items.size() != kNumPoints) {
        return bad("a face without 90 points");
      }
      for (int k = 0; k < kNumPoints; ++k) {
        const Json& p = pts->items[k];
        if (p.type != Json::kArray || p.items.size() != 2) return bad("a point is not [x, y]");
        face.points[k] = PointF{static_cast<float>(p.items[0].number),
                                static_cast<float>(p.items[1].number)};
      }
      const Json* box = f.get("box");
      if (box && box->type == Json::kArray && box->items.size() == 4) {
        face.hint_box = BoxF{static_cast<float>(box->items[0].number),
                             static_cast<float>(box->items[1].number),
                             static_cast<float>(box->items[2].number),
                             static_cast<float>(box->items[3].number)};
      }
      face.yaw = static_cast<float>(Num(f.get("yaw")));
      face.pitch = static_cast<float>(Num(f.get("pitch")));
      face.roll = static_cast<float>(Num(f.get("roll")));
      face.agree = static_cast<float>(Num(f.get("agree")));
      img.faces.push_back(face);
    }
    out->push_back(std::move(img));
  }
  return Status::Ok();
}

}  // namespace af
