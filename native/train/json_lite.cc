#include "train/json_lite.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace af {

const JsonValue* JsonValue::get(const std::string& key) const {
  if (type != kObject) return nullptr;
  const auto it = fields.find(key);
  return it == fields.end() ? nullptr : &it->second;
}

double JsonValue::num(const std::string& key, double fallback) const {
  const JsonValue* v = get(key);
  return v && v->type == kNumber ? v->number : fallback;
}

std::string JsonValue::text(const std::string& key) const {
  const JsonValue* v = get(key);
  return v && v->type == kString ? v->str : std::string();
}

namespace {

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}

  bool Parse(JsonValue* out, std::string* error) {
    const bool ok = Value(out, 0) && (Skip(), i_ == s_.size());
    if (!ok && error) *error = "JSON syntax error near byte " + std::to_string(i_);
    return ok;
  }

 private:
  void Skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool Literal(const char* word) {
    size_t n = 0;
    while (word[n]) ++n;
    if (s_.compare(i_, n, word) != 0) return false;
    i_ += n;
    return true;
  }
  bool Value(JsonValue* v, int depth) {
    if (depth > 64) return false;
    Skip();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') return Object(v, depth);
    if (c == '[') return Array(v, depth);
    if (c == '"') { v->type = JsonValue::kString; return String(&v->str); }
    if (c == 't') { v->type = JsonValue::kBool; v->boolean = true; return Literal("true"); }
    if (c == 'f') { v->type = JsonValue::kBool; v->boolean = false; return Literal("false"); }
    if (c == 'n') { v->type = JsonValue::kNull; return Literal("null"); }
    return Number(v);
  }
  // The elements of an object or array: s_[i_] is the opening bracket; `element` parses one
  // element; elements are separated by commas, and `close` ends the sequence.
  template <class Element>
  bool Sequence(char close, Element element) {
    ++i_;
    Skip();
    if (i_ < s_.size() && s_[i_] == close) { ++i_; return true; }
    while (true) {
      if (!element()) return false;
      Skip();
      if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
      if (i_ < s_.size() && s_[i_] == close) { ++i_; return true; }
      return false;
    }
  }
  bool Object(JsonValue* v, int depth) {
    v->type = JsonValue::kObject;
    return Sequence('}', [&] {
      Skip();
      std::string key;
      if (i_ >= s_.size() || s_[i_] != '"' || !String(&key)) return false;
      Skip();
      if (i_ >= s_.size() || s_[i_] != ':') return false;
      ++i_;
      return Value(&v->fields[key], depth + 1);
    });
  }
  bool Array(JsonValue* v, int depth) {
    v->type = JsonValue::kArray;
    return Sequence(']', [&] {
      v->items.emplace_back();
      return Value(&v->items.back(), depth + 1);
    });
  }
  bool String(std::string* out) {
    ++i_;  // opening quote
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (c != '\\') { out->push_back(c); continue; }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"': case '\\': case '/': out->push_back(e); break;
        case 'n': out->push_back('\n'); break;
        case 't': out->push_back('\t'); break;
        case 'r': out->push_back('\r'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'u': {
          if (s_.size() - i_ < 4) return false;
          unsigned long cp = 0;
          for (int k = 0; k < 4; ++k) {
            const char h = s_[i_++];
            const int d = h >= '0' && h <= '9' ? h - '0'
                          : h >= 'a' && h <= 'f' ? h - 'a' + 10
                          : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (d < 0) return false;
            cp = cp * 16 + static_cast<unsigned long>(d);
          }
          // Basic multilingual plane only, as UTF-8 (file names here are ASCII).
          if (cp < 0x80) {
            out->push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else {
            out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          }
          break;
        }
        default: return false;
      }
    }
    return false;
  }
  // JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?  (strtod alone would
  // also take "inf", "nan" and hex). The checked span is then converted by strtod.
  bool Number(JsonValue* v) {
    size_t j = i_;
    auto digit = [&](size_t at) { return at < s_.size() && s_[at] >= '0' && s_[at] <= '9'; };
    auto digits = [&] {
      if (!digit(j)) return false;
      while (digit(j)) ++j;
      return true;
    };
    if (j < s_.size() && s_[j] == '-') ++j;
    if (digit(j) && s_[j] == '0') {
      ++j;
    } else if (!digits()) {
      return false;
    }
    if (j < s_.size() && s_[j] == '.') {
      ++j;
      if (!digits()) return false;
    }
    if (j < s_.size() && (s_[j] == 'e' || s_[j] == 'E')) {
      ++j;
      if (j < s_.size() && (s_[j] == '+' || s_[j] == '-')) ++j;
      if (!digits()) return false;
    }
    const std::string span = s_.substr(i_, j - i_);
    char* end = nullptr;
    const double d = std::strtod(span.c_str(), &end);
    if (end != span.c_str() + span.size()) return false;
    i_ = j;
    v->type = JsonValue::kNumber;
    v->number = d;
    return true;
  }

  const std::string& s_;
  size_t i_ = 0;
};

}  // namespace

bool ParseJson(const std::string& text, JsonValue* out, std::string* error) {
  *out = JsonValue();
  return Parser(text).Parse(out, error);
}

Status ForEachLine(const std::string& path,
                   const std::function<Status(const std::string& line, const std::string& where)>& fn,
                   const std::string& open_hint) {
  std::ifstream in(path);
  if (!in) return Status(ErrorCode::kInvalidParameter, "cannot open " + path + open_hint);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    Status st = fn(line, path + ":" + std::to_string(line_no));
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

void JsonWriter::Separate() {
  if (after_key_) { after_key_ = false; return; }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::BeginObject() { Separate(); out_ += '{'; first_.push_back(true); return *this; }
JsonWriter& JsonWriter::EndObject() { out_ += '}'; if (!first_.empty()) first_.pop_back(); return *this; }
JsonWriter& JsonWriter::BeginArray() { Separate(); out_ += '['; first_.push_back(true); return *this; }
JsonWriter& JsonWriter::EndArray() { out_ += ']'; if (!first_.empty()) first_.pop_back(); return *this; }

JsonWriter& JsonWriter::Key(const std::string& key) {
  String(key);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(const std::string& value) {
  Separate();
  out_ += '"';
  for (const char c : value) {
    if (c == '"' || c == '\\') { out_ += '\\'; out_ += c; }
    else if (c == '\n') out_ += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out_ += buf;
    } else {
      out_ += c;
    }
  }
  out_ += '"';
  return *this;
}

JsonWriter& JsonWriter::Number(double value) {
  if (!std::isfinite(value)) return Null();
  Separate();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  out_ += buf;
  return *this;
}

JsonWriter& JsonWriter::Int(long long value) { Separate(); out_ += std::to_string(value); return *this; }
JsonWriter& JsonWriter::Bool(bool value) { Separate(); out_ += value ? "true" : "false"; return *this; }
JsonWriter& JsonWriter::Null() { Separate(); out_ += "null"; return *this; }

}  // namespace af
