// A small JSON reader and writer for the evaluation tools: reads the dlib peers' JSON-lines output
// and writes the summaries. Tools only; the engine never parses JSON.
//
// THREAD SAFETY
//   Values are plain data; the parser keeps no global state.
#ifndef ANALYZE_FACE_EVAL_JSON_LITE_H_
#define ANALYZE_FACE_EVAL_JSON_LITE_H_

#include <map>
#include <string>
#include <vector>

namespace af {
namespace eval {

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
               or trailing garbage, with a message in *error when error != nullptr  !*/
bool ParseJson(const std::string& text, JsonValue* out, std::string* error = nullptr);

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

}  // namespace eval
}  // namespace af

#endif  // ANALYZE_FACE_EVAL_JSON_LITE_H_
