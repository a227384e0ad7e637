// Standalone driver for a libFuzzer target: runs LLVMFuzzerTestOneInput once on every file named
// on the command line (directories are walked recursively), so a corpus can be replayed as an
// ordinary test, under ASan/UBSan with -DAF_SANITIZE=ON, without libFuzzer or clang.
// Exits 1 if no input was found (a replay that ran nothing must not pass).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {
int RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  // Copy into an exactly-sized heap block so ASan sees reads past the end of the input.
  std::vector<uint8_t> exact(bytes.begin(), bytes.end());
  std::printf("  %s (%zu bytes)\n", path.string().c_str(), exact.size());
  std::fflush(stdout);
  LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(), exact.size());
  return 1;
}
}  // namespace

int main(int argc, char** argv) {
  int count = 0;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    const std::filesystem::path p(argv[i]);
    if (std::filesystem::is_directory(p, ec)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p, ec)) {
        if (e.is_regular_file()) count += RunFile(e.path());
      }
    } else if (std::filesystem::is_regular_file(p, ec)) {
      count += RunFile(p);
    } else {
      std::fprintf(stderr, "not found: %s\n", argv[i]);
      return 1;
    }
  }
  std::printf("replayed %d inputs\n", count);
  return count > 0 ? 0 : 1;
}
