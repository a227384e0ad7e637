// JS entry `analyze(input, options, callback) → cancel()`: one AsyncWorker per call.
#ifndef ANALYZE_FACE_ADDON_ANALYZE_H_
#define ANALYZE_FACE_ADDON_ANALYZE_H_

#include <napi.h>

namespace af_addon {

// analyze(input: Uint8Array, options: object, callback: (err, result) => void): () => void
//   Copies the input bytes (the caller may reuse or transfer its buffer at once), queues the job
//   on libuv's pool and returns a function that cancels it: a queued job then skips its work, a
//   running one stops at the next stage boundary; the callback is still called exactly once.
Napi::Value JsAnalyze(const Napi::CallbackInfo& info);

// loadModels(options: {detectorModel, shapeModel}, callback: (err) => void): undefined
//   Loads (or finds in the process-wide cache) the pair of models off the main thread.
Napi::Value JsLoadModels(const Napi::CallbackInfo& info);

// imageInfo(input: Uint8Array, options): {format, width, height} — header only, synchronous,
// checks limits; throws {code, message}-shaped errors as return value {error:{code,message}}.
Napi::Value JsImageInfo(const Napi::CallbackInfo& info);

}  // namespace af_addon

#endif  // ANALYZE_FACE_ADDON_ANALYZE_H_
