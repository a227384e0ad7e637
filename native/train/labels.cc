#include "train/labels.h"

#include <utility>

#include "train/json_lite.h"

namespace af {
namespace {

// The numbers of a JSON array of exactly n numbers into out[0..n); false for anything else.
bool Numbers(const JsonValue* v, size_t n, float* out) {
  if (!v || v->type != JsonValue::kArray || v->items.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    if (v->items[i].type != JsonValue::kNumber) return false;
    out[i] = static_cast<float>(v->items[i].number);
  }
  return true;
}

}  // namespace

Status ReadLabels(const std::string& path, std::vector<LabeledImage>* out) {
  return ForEachLine(path, [out](const std::string& line, const std::string& where) {
    auto bad = [&](const char* why) { return Status(ErrorCode::kInvalidParameter, where + ": " + why); };
    JsonValue j;
    if (!ParseJson(line, &j) || j.type != JsonValue::kObject) return bad("not a JSON object");
    LabeledImage img;
    const JsonValue* file = j.get("file");
    if (!file || file->type != JsonValue::kString) return bad("missing \"file\"");
    img.file = file->str;
    img.width = static_cast<int>(j.num("width"));
    img.height = static_cast<int>(j.num("height"));
    const JsonValue* faces = j.get("faces");
    if (!faces || faces->type != JsonValue::kArray) return bad("missing \"faces\"");
    for (const JsonValue& f : faces->items) {
      LabeledFace face;
      const JsonValue* pts = f.get("points");
      if (!pts || pts->type != JsonValue::kArray || pts->items.size() != kNumPoints) {
        return bad("a face without 90 points");
      }
      for (int k = 0; k < kNumPoints; ++k) {
        float xy[2];
        if (!Numbers(&pts->items[k], 2, xy)) return bad("a point is not [x, y]");
        face.points[k] = PointF{xy[0], xy[1]};
      }
      float box[4];
      if (Numbers(f.get("box"), 4, box)) face.hint_box = BoxF{box[0], box[1], box[2], box[3]};
      face.yaw = static_cast<float>(f.num("yaw"));
      face.pitch = static_cast<float>(f.num("pitch"));
      face.roll = static_cast<float>(f.num("roll"));
      face.agree = static_cast<float>(f.num("agree"));
      img.faces.push_back(face);
    }
    out->push_back(std::move(img));
    return Status::Ok();
  });
}

}  // namespace af
