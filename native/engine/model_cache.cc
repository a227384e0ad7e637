#include "engine/model_cache.h"

#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <utility>

namespace af {

namespace {

struct Entry {
  bool loading = true;
  std::shared_ptr<const Analyzer> analyzer;
};

struct Cache {
  std::mutex mu;
  std::condition_variable loaded;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<Entry>> entries;
};

// Leaked on purpose: worker threads may still use it while static destructors run at exit.
Cache& TheCache() {
  static Cache* cache = new Cache();  // NOLINT: intentionally immortal
  return *cache;
}

}  // namespace

Status GetSharedAnalyzer(const std::string& detector_path, const std::string& shape_path,
                         std::shared_ptr<const Analyzer>* out) {
  if (out == nullptr) return Status(ErrorCode::kInternal, "GetSharedAnalyzer: out is null");
  try {
    Cache& cache = TheCache();
    const auto key = std::make_pair(detector_path, shape_path);
    std::shared_ptr<Entry> entry;
    {
      std::unique_lock<std::mutex> lock(cache.mu);
      for (;;) {
        auto it = cache.entries.find(key);
        if (it == cache.entries.end()) break;
        if (!it->second->loading) {
          *out = it->second->analyzer;
          return Status::Ok();
        }
        cache.loaded.wait(lock);  // another thread is loading this pair
      }
      entry = std::make_shared<Entry>();
      cache.entries.emplace(key, entry);
    }
    std::shared_ptr<const Analyzer> analyzer;
    const Status s = Analyzer::LoadFromFiles(detector_path, shape_path, &analyzer);
    {
      std::lock_guard<std::mutex> lock(cache.mu);
      if (s.ok()) {
        entry->analyzer = analyzer;
        entry->loading = false;
      } else {
        cache.entries.erase(key);
      }
    }
    cache.loaded.notify_all();
    if (s.ok()) *out = std::move(analyzer);
    return s;
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, std::string("model cache: ") + e.what());
  } catch (...) {
    return Status(ErrorCode::kInternal, "model cache: unknown exception");
  }
}

size_t AnalyzerCacheSize() {
  Cache& cache = TheCache();
  std::lock_guard<std::mutex> lock(cache.mu);
  size_t n = 0;
  for (const auto& kv : cache.entries) n += kv.second->loading ? 0 : 1;
  return n;
}

void ClearAnalyzerCache() {
  Cache& cache = TheCache();
  std::lock_guard<std::mutex> lock(cache.mu);
  for (auto it = cache.entries.begin(); it != cache.entries.end();) {
    if (it->second->loading) ++it; else it = cache.entries.erase(it);
  }
}

}  // namespace af
