// Shared pieces of the Node binding: per-environment state and small argument readers.
// Only native/addon/ includes napi.h; everything below it is plain C++.
#ifndef ANALYZE_FACE_ADDON_COMMON_H_
#define ANALYZE_FACE_ADDON_COMMON_H_

#include <napi.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace af_addon {

// Cancellation flag shared by a job's JS-facing cancel function and its worker thread.
using CancelFlag = std::shared_ptr<std::atomic<bool>>;

// Per-environment (main thread or worker thread) state, stored with env.SetInstanceData.
// Tracks the jobs in flight so the environment's cleanup hook can cancel them: a terminating
// worker thread then does not wait for queued analyses it will never see.
class AddonData {
 public:
  void Track(const CancelFlag& flag) {
    std::lock_guard<std::mutex> lock(mu_);
    inflight_.insert(flag);
  }
  void Untrack(const CancelFlag& flag) {
    std::lock_guard<std::mutex> lock(mu_);
    inflight_.erase(flag);
  }
  // Called by the environment's cleanup hook: cancel every job and stop calling into JS.
  void CancelAll() {
    closing_.store(true);
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& f : inflight_) f->store(true);
  }
  // True once the environment is shutting down: completions must not call into JS any more.
  bool closing() const { return closing_.load(); }
  size_t InFlight() {
    std::lock_guard<std::mutex> lock(mu_);
    return inflight_.size();
  }

 private:
  std::mutex mu_;
  std::set<CancelFlag> inflight_;
  std::atomic<bool> closing_{false};
};

// Per-environment state, shared with the jobs (a job may finish after its environment is gone).
std::shared_ptr<AddonData> GetAddonData(Napi::Env env);

// Reads obj[key] as an integer within [lo, hi], or returns `fallback` when absent/undefined.
// Throws a JS TypeError naming the key otherwise (the TS facade validates first; this is the
// defensive copy for callers who reach the raw binding).
int64_t IntOption(const Napi::Object& obj, const char* key, int64_t fallback, int64_t lo, int64_t hi);
double NumberOption(const Napi::Object& obj, const char* key, double fallback, double lo, double hi);
std::string StringOption(const Napi::Object& obj, const char* key);

}  // namespace af_addon

#endif  // ANALYZE_FACE_ADDON_COMMON_H_
