// Command line and output plumbing shared by af_eval_shape, af_eval_detector and af_bench: the
// file locations they all take, "--name VALUE" option parsing, usage/failure exits and summary
// files. Tools only.
#ifndef ANALYZE_FACE_EVAL_CLI_H_
#define ANALYZE_FACE_EVAL_CLI_H_

#include <cstddef>
#include <initializer_list>
#include <string>
#include <variant>

#include "common/status.h"

namespace af {
namespace eval {

// Where a tool finds data, models and the cached dlib peer output; defaults are relative to the
// repository root (the scripts run the tools from there). Tools' Options derive from this.
struct ToolPaths {
  std::string data = "../shared/data";
  std::string detector = "models/detector.afm";
  std::string shape = "models/shape90.afm";
  std::string dlib_cache = "build-eval/dlib";
};

// One "--name VALUE" option and the field its value goes to.
struct Flag {
  using Target = std::variant<std::string*, float*, int*, size_t*>;
  Flag(const char* flag_name, Target flag_target) : name(flag_name), target(flag_target) {}
  const char* name;
  Target target;
};

/*!  requires - every target outlives the call
     ensures  - true when argv[1..argc) is a sequence of "NAME VALUE" pairs whose NAMEs are all in
                `flags`; each VALUE is stored in its target (string as is; float by strtof, int by
                atoi, size_t by strtoul base 10: malformed numbers read as 0, and the caller's
                range checks reject what they must)
              - false for an unknown name (including --help) or a name without a value; targets
                of the pairs before it may have been written  !*/
bool ParseFlags(int argc, char** argv, std::initializer_list<Flag> flags);

/*!  ensures - prints `text` (the tool's usage lines) to stderr; returns 2, the exit code for a
               bad command line  !*/
int Usage(const char* text);

/*!  requires - Tool is constructible from const Options& (kept for its lifetime) and has
                int Main()
     ensures  - the whole main() of a tool: parses argv into a default Options with `parse`;
                when that fails prints `usage` and returns 2, otherwise returns Tool(options).Main()  !*/
template <class Options, class Tool>
int RunTool(int argc, char** argv, bool (*parse)(int, char**, Options*), const char* usage) {
  Options options;
  if (!parse(argc, argv, &options)) return Usage(usage);
  return Tool(options).Main();
}

/*!  ensures - prints "TOOL: MESSAGE" to stderr; returns 1, the exit code for a failed run  !*/
int ToolFailure(const char* tool, const Status& status);

/*!  ensures - writes `text` to the file at `path` (replacing it); kInternal "cannot write PATH"
               when that fails  !*/
Status WriteTextFile(const std::string& path, const std::string& text);

/*!  ensures - writes json followed by a newline to `path`, then prints "\nsummary written to
               PATH\n" on stdout; an error (nothing printed) when the file cannot be written  !*/
Status WriteSummary(const std::string& path, const std::string& json);

}  // namespace eval
}  // namespace af

#endif  // ANALYZE_FACE_EVAL_CLI_H_
