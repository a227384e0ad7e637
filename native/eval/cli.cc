#include "eval/cli.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

namespace af {
namespace eval {

namespace {

// Stores one option value with the conversion the tools have always used for that type.
struct Store {
  const char* value;
  void operator()(std::string* t) const { *t = value; }
  void operator()(float* t) const { *t = std::strtof(value, nullptr); }
  void operator()(int* t) const { *t = std::atoi(value); }
  void operator()(size_t* t) const { *t = std::strtoul(value, nullptr, 10); }
};

}  // namespace

bool ParseFlags(int argc, char** argv, std::initializer_list<Flag> flags) {
  for (int i = 1; i < argc; ++i) {
    if (i + 1 >= argc) return false;  // every option takes a value
    const char* name = argv[i];
    const char* value = argv[++i];
    const Flag* flag = nullptr;
    for (const Flag& f : flags) {
      if (std::strcmp(f.name, name) == 0) flag = &f;
    }
    if (!flag) return false;
    std::visit(Store{value}, flag->target);
  }
  return true;
}

int Usage(const char* text) {
  std::cerr << text;
  return 2;
}

int ToolFailure(const char* tool, const Status& status) {
  std::cerr << tool << ": " << status.message() << "\n";
  return 1;
}

Status WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return Status(ErrorCode::kInternal, "cannot write " + path);
  return Status::Ok();
}

Status WriteSummary(const std::string& path, const std::string& json) {
  Status st = WriteTextFile(path, json + "\n");
  if (st.ok()) std::cout << "\nsummary written to " << path << "\n";
  return st;
}

}  // namespace eval
}  // namespace af
