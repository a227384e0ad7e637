// The one small JSON reader and writer of the tools: the label reader (train/labels.h) and the
// evaluation tools (dlib peer JSON-lines output, summaries) use it. Tools only; the engine never
// parses JSON.
//
// THREAD SAFETY
//   Values are plain data; the parser keeps no global state.
#ifndef ANALYZE_FACE_TRAIN_JSON_LITE_H_
#define ANALYZE_FACE_TRAIN_JSON_LITE_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace af {

struct JsonValue {
  enum Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = kNull;
  bool boolean = false;
  double number = 0;
  std::string str;
  std::vector<JsonValue> items;                 // kArray
  std::map<std::string, JsonValue> fields;      // kObject

  /*!  ensures - the field named key, or nullptr when *this is not an object or lacks it  !*/
  const JsonValue* get(const std::string& key) const;
  // The number in field `key`, or `fallback` when missing or not a number.
  double num(const std::string& key, double fallback = 0) const;
  // The string in field `key`, or "" when missing or not a string.
  std::string text(const std::string& key) const;
};

/*!  ensures - parses one complete JSON text (nesting at most 64 deep); false on any syntax error
               (numbers are JSON numbers only: no NaN, Infinity or hex) or trailing garbage, with
               a message in *error when error != nullptr. Never throws.  !*/
bool ParseJson(const std::string& text, JsonValue* out, std::string* error = nullptr);

/*!  ensures - calls fn(line, where) for every non-empty line of the text file at `path`, in order,
               where = "PATH:LINE_NUMBER" (1-based); stops at the first non-ok Status fn returns
               and returns it
             - a file that cannot be opened: kInvalidParameter "cannot open PATH" followed by
               open_hint  !*/
Status ForEachLine(const std::string& path,
                   const std::function<Status(const std::string& line, const std::string& where)>& fn,
                   const std::string& open_hint = "");

// Minimal streaming writer: the caller places keys and values; commas are inserted for it.
class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(const std::string& key);
  JsonWriter& String(const std::string& value);
  JsonWriter& Number(double value);  // NaN and infinities are written as null
  JsonWriter& Int(long long value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  const std::string& str() const { return out_; }

 private:
  void Separate();
  std::string out_;
  std::vector<bool> first_;  // one entry per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace af

#endif  // ANALYZE_FACE_TRAIN_JSON_LITE_H_
