// Registers the binding's exports; nothing else lives here (sharp's habit).
// Context-aware: safe to load in several environments (main thread and worker threads).
#include <napi.h>

#include "analyze.h"
#include "common.h"
#include "common/cpu.h"
#if AF_HAVE_ENGINE
#include "engine/model_cache.h"
#endif

namespace af_addon {
namespace {

/* info() → build facts the JS side and tests check. */
Napi::Value JsInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object r = Napi::Object::New(env);
  r.Set("engine", Napi::Boolean::New(env, AF_HAVE_ENGINE != 0));
  r.Set("avx2", Napi::Boolean::New(env, af::UseAvx2()));
  r.Set("napiVersion", Napi::Number::New(env, NAPI_VERSION));
#if AF_HAVE_ENGINE
  r.Set("cachedModels", Napi::Number::New(env, static_cast<double>(af::AnalyzerCacheSize())));
#else
  r.Set("cachedModels", Napi::Number::New(env, 0));
#endif
  r.Set("inFlight", Napi::Number::New(env, static_cast<double>(GetAddonData(env)->InFlight())));
  return r;
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  GetAddonData(env);
  exports.Set("analyze", Napi::Function::New(env, JsAnalyze, "analyze"));
  exports.Set("loadModels", Napi::Function::New(env, JsLoadModels, "loadModels"));
  exports.Set("imageInfo", Napi::Function::New(env, JsImageInfo, "imageInfo"));
  exports.Set("info", Napi::Function::New(env, JsInfo, "info"));
  return exports;
}

}  // namespace af_addon

static Napi::Object InitAnalyzeFace(Napi::Env env, Napi::Object exports) {
  return af_addon::Init(env, exports);
}
NODE_API_MODULE(analyze_face, InitAnalyzeFace)
