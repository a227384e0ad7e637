#include "common.h"

#include <cmath>
#include <string>

namespace af_addon {

namespace {
/* The object stored with env.SetInstanceData: owns this environment's share of AddonData. */
struct InstanceData {
  std::shared_ptr<AddonData> data = std::make_shared<AddonData>();
};
}  // namespace

std::shared_ptr<AddonData> GetAddonData(Napi::Env env) {
  auto* inst = env.GetInstanceData<InstanceData>();
  if (inst == nullptr) {
    // First use in this environment (main thread or a worker thread): create the state, and
    // cancel whatever is still in flight when the environment shuts down.
    auto owned = std::make_unique<InstanceData>();
    inst = owned.get();
    env.SetInstanceData<InstanceData>(owned.release());  // freed by node at env teardown
    std::shared_ptr<AddonData> data = inst->data;
    env.AddCleanupHook([data]() { data->CancelAll(); });
  }
  return inst->data;
}

namespace {
[[noreturn]] void BadOption(const Napi::Env& env, const char* key, const std::string& expected) {
  throw Napi::TypeError::New(env, std::string("Expected ") + expected + " for " + key);
}
}  // namespace

int64_t IntOption(const Napi::Object& obj, const char* key, int64_t fallback, int64_t lo, int64_t hi) {
  Napi::Value v = obj.Get(key);
  if (v.IsUndefined()) return fallback;
  const std::string expected = "an integer between " + std::to_string(lo) + " and " + std::to_string(hi);
  if (!v.IsNumber()) BadOption(obj.Env(), key, expected);
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::floor(d) != d || d < static_cast<double>(lo) ||
      d > static_cast<double>(hi)) {
    BadOption(obj.Env(), key, expected);
  }
  return static_cast<int64_t>(d);
}

double NumberOption(const Napi::Object& obj, const char* key, double fallback, double lo, double hi) {
  Napi::Value v = obj.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsNumber()) BadOption(obj.Env(), key, "a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d < lo || d > hi) {
    BadOption(obj.Env(), key, "a number between " + std::to_string(lo) + " and " + std::to_string(hi));
  }
  return d;
}

std::string StringOption(const Napi::Object& obj, const char* key) {
  Napi::Value v = obj.Get(key);
  if (v.IsUndefined()) return std::string();
  if (!v.IsString()) BadOption(obj.Env(), key, "a string");
  return v.As<Napi::String>().Utf8Value();
}

}  // namespace af_addon
