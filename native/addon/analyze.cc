#include "analyze.h"

#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "common/status.h"
#include "image/image.h"
#if AF_HAVE_ENGINE
#include "engine/analyzer.h"
#include "engine/model_cache.h"
#endif

namespace af_addon {

namespace {

/* Everything a job needs, converted from JS on the main thread. No Napi type inside. */
struct AnalyzeBaton {
  std::vector<uint8_t> input;  // a copy: see JsAnalyze
  int mode = 0;
  int max_faces = 10;
  af::ImageLimits limits;
  float min_face_size = 40.f;
  std::string detector_path;
  std::string shape_path;
  CancelFlag cancelled;
  // outputs
  af::Status status;
  int width = 0;
  int height = 0;
  std::vector<float> points;  // faces × 90 × (x, y), model index order
  std::vector<float> boxes;   // faces × (x, y, w, h)
  std::vector<float> scores;  // faces
};

af::Status Aborted() {
  return af::Status(af::ErrorCode::kInternal, "aborted");
}

#if AF_HAVE_ENGINE
af::Status LoadPair(const std::string& detector_path, const std::string& shape_path,
                    std::shared_ptr<const af::Analyzer>* out) {
  if (detector_path.empty() || shape_path.empty()) {
    return af::Status(af::ErrorCode::kInvalidParameter, "model paths must not be empty");
  }
  return af::GetSharedAnalyzer(detector_path, shape_path, out);
}
#endif

/* Runs on a libuv worker thread: decode (limits first), find the models, analyze. */
void RunAnalyze(AnalyzeBaton* b) {
  if (b->cancelled->load()) { b->status = Aborted(); return; }
  af::GrayImage image;
  // Image errors come before model errors: a bad upload is reported as such even when the
  // models are missing.
  b->status = af::DecodeGray(b->input.data(), b->input.size(), b->limits, &image);
  std::vector<uint8_t>().swap(b->input);  // the compressed bytes are no longer needed
  if (!b->status.ok()) return;
  b->width = image.width;
  b->height = image.height;
  if (b->cancelled->load()) { b->status = Aborted(); return; }
#if AF_HAVE_ENGINE
  std::shared_ptr<const af::Analyzer> analyzer;
  b->status = LoadPair(b->detector_path, b->shape_path, &analyzer);
  if (!b->status.ok()) return;
  if (b->cancelled->load()) { b->status = Aborted(); return; }
  af::AnalyzeOptions options;
  options.mode = b->mode;
  options.max_faces = b->max_faces;
  options.limits = b->limits;
  options.detect.min_face_size = b->min_face_size;
  af::AnalyzeResult r = analyzer->AnalyzeGray(image, options);
  b->status = r.status;
  if (!r.status.ok()) return;
  b->points.reserve(r.faces.size() * af::kNumPoints * 2);
  for (const af::FaceResult& f : r.faces) {
    for (const af::PointF& p : f.points) {
      b->points.push_back(p.x);
      b->points.push_back(p.y);
    }
    b->boxes.insert(b->boxes.end(), {f.box.x, f.box.y, f.box.w, f.box.h});
    b->scores.push_back(f.score);
  }
#else
  b->status = af::Status(af::ErrorCode::kModelInvalid,
                         "this build of analyze-face has no face engine (it was compiled before "
                         "the detector and shape predictor existed): rebuild the addon");
#endif
}

Napi::Float32Array ToFloat32Array(Napi::Env env, const std::vector<float>& v) {
  Napi::Float32Array a = Napi::Float32Array::New(env, v.size());
  if (!v.empty()) std::memcpy(a.Data(), v.data(), v.size() * sizeof(float));
  return a;
}

Napi::Object ErrorObject(Napi::Env env, const af::Status& s, bool aborted) {
  Napi::Object e = Napi::Object::New(env);
  e.Set("code", aborted ? std::string("ABORT_ERR") : std::string(s.tencent_code()));
  e.Set("message", s.message());
  return e;
}

/* Calls a completion callback. While a worker thread is being terminated, Node-API calls fail
   (JS can no longer run) and node-addon-api reports that by throwing Napi::Error; its own
   completion wrapper would then try to rethrow into JS, fail again and std::terminate. So the
   workers below override OnWorkComplete and deliver through this: a failure is handed to JS as a
   pending exception when JS can still take it, and dropped when it cannot. */
void SafeCall(Napi::FunctionReference& cb, std::initializer_list<napi_value> args, const AddonData& data) {
  if (data.closing()) return;
  cb.Call(args);
}

template <typename Deliver>
void CompleteSafely(Napi::Env env, napi_status status, const AddonData& data, Deliver deliver) {
  if (status == napi_cancelled || data.closing()) return;
  try {
    Napi::HandleScope scope(env);
    deliver();
  } catch (const Napi::Error& e) {
    try {
      e.ThrowAsJavaScriptException();
    } catch (...) {
      // the environment is going away: nobody is left to tell
    }
  } catch (...) {
  }
}

class AnalyzeWorker : public Napi::AsyncWorker {
 public:
  AnalyzeWorker(Napi::Function callback, std::unique_ptr<AnalyzeBaton> baton,
                std::shared_ptr<AddonData> data)
      : Napi::AsyncWorker(callback, "analyze-face:analyze"), baton_(std::move(baton)), data_(std::move(data)) {
    data_->Track(baton_->cancelled);
  }
  ~AnalyzeWorker() override { data_->Untrack(baton_->cancelled); }

  void Execute() override {
    // Nothing may escape a worker thread: every failure becomes the baton's status.
    try {
      RunAnalyze(baton_.get());
    } catch (const std::bad_alloc&) {
      baton_->status = af::Status(af::ErrorCode::kInternal, "out of memory");
    } catch (const std::exception& e) {
      baton_->status = af::Status(af::ErrorCode::kInternal, e.what());
    } catch (...) {
      baton_->status = af::Status(af::ErrorCode::kInternal, "unknown exception");
    }
  }

  void OnWorkComplete(Napi::Env env, napi_status status) override {
    CompleteSafely(env, status, *data_, [this] { Deliver(); });
    Destroy();
  }

 private:
  void Deliver() {
    Napi::Env env = Env();
    AnalyzeBaton* b = baton_.get();
    const bool aborted = b->cancelled->load();
    if (aborted || !b->status.ok()) {
      Napi::Object err = ErrorObject(env, b->status.ok() ? Aborted() : b->status, aborted);
      if (b->width > 0) {
        err.Set("imageWidth", b->width);
        err.Set("imageHeight", b->height);
      }
      SafeCall(Callback(), {err}, *data_);
      return;
    }
    Napi::Object r = Napi::Object::New(env);
    r.Set("width", b->width);
    r.Set("height", b->height);
    r.Set("points", ToFloat32Array(env, b->points));
    r.Set("boxes", ToFloat32Array(env, b->boxes));
    r.Set("scores", ToFloat32Array(env, b->scores));
    SafeCall(Callback(), {env.Null(), r}, *data_);
  }

  std::unique_ptr<AnalyzeBaton> baton_;
  std::shared_ptr<AddonData> data_;
};

struct LoadBaton {
  std::string detector_path;
  std::string shape_path;
  af::Status status;
};

class LoadWorker : public Napi::AsyncWorker {
 public:
  LoadWorker(Napi::Function callback, std::unique_ptr<LoadBaton> baton, std::shared_ptr<AddonData> data)
      : Napi::AsyncWorker(callback, "analyze-face:load"), baton_(std::move(baton)), data_(std::move(data)) {}

  void Execute() override {
    try {
#if AF_HAVE_ENGINE
      std::shared_ptr<const af::Analyzer> analyzer;
      baton_->status = LoadPair(baton_->detector_path, baton_->shape_path, &analyzer);
#else
      baton_->status = af::Status(af::ErrorCode::kModelInvalid,
                                  "this build of analyze-face has no face engine: rebuild the addon");
#endif
    } catch (...) {
      baton_->status = af::Status(af::ErrorCode::kInternal, "loading the models failed");
    }
  }

  void OnWorkComplete(Napi::Env env, napi_status status) override {
    CompleteSafely(env, status, *data_, [this, env] {
      if (!baton_->status.ok()) {
        SafeCall(Callback(), {ErrorObject(env, baton_->status, false)}, *data_);
      } else {
        SafeCall(Callback(), {env.Null()}, *data_);
      }
    });
    Destroy();
  }

 private:
  std::unique_ptr<LoadBaton> baton_;
  std::shared_ptr<AddonData> data_;
};

/* Reads a Buffer / Uint8Array / ArrayBuffer argument into a span; throws a TypeError otherwise. */
void InputBytes(const Napi::Value& v, const uint8_t** data, size_t* size) {
  if (v.IsTypedArray()) {
    Napi::TypedArray ta = v.As<Napi::TypedArray>();
    if (ta.TypedArrayType() != napi_uint8_array && ta.TypedArrayType() != napi_uint8_clamped_array) {
      throw Napi::TypeError::New(v.Env(), "input must be a Buffer or Uint8Array");
    }
    Napi::ArrayBuffer ab = ta.ArrayBuffer();
    *data = static_cast<const uint8_t*>(ab.Data()) + ta.ByteOffset();
    *size = ta.ByteLength();
    if (*data == nullptr) *size = 0;
    return;
  }
  if (v.IsArrayBuffer()) {
    Napi::ArrayBuffer ab = v.As<Napi::ArrayBuffer>();
    *data = static_cast<const uint8_t*>(ab.Data());
    *size = ab.ByteLength();
    if (*data == nullptr) *size = 0;
    return;
  }
  throw Napi::TypeError::New(v.Env(), "input must be a Buffer or Uint8Array");
}

void ReadLimits(const Napi::Object& o, af::ImageLimits* limits) {
  limits->max_long_side = static_cast<uint32_t>(
      IntOption(o, "maxLongSide", limits->max_long_side, 1, 1 << 20));
  limits->max_pixels = static_cast<uint64_t>(
      IntOption(o, "maxPixels", static_cast<int64_t>(limits->max_pixels), 1, int64_t{1} << 40));
  limits->min_short_side = static_cast<uint32_t>(
      IntOption(o, "minShortSide", limits->min_short_side, 1, 1 << 20));
}

}  // namespace

Napi::Value JsAnalyze(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[1].IsObject() || !info[2].IsFunction()) {
    throw Napi::TypeError::New(env, "analyze(input, options, callback): bad arguments");
  }
  const uint8_t* data = nullptr;
  size_t size = 0;
  InputBytes(info[0], &data, &size);
  Napi::Object o = info[1].As<Napi::Object>();

  auto baton = std::make_unique<AnalyzeBaton>();
  baton->mode = static_cast<int>(IntOption(o, "mode", 0, 0, 1));
  baton->max_faces = static_cast<int>(IntOption(o, "maxFaces", 10, 1, 10));
  baton->min_face_size = static_cast<float>(NumberOption(o, "minFaceSize", 40.0, 1.0, 1e5));
  ReadLimits(o, &baton->limits);
  baton->detector_path = StringOption(o, "detectorModel");
  baton->shape_path = StringOption(o, "shapeModel");
  // Copied, not pinned: the copy costs well under a millisecond for the 5 MB input limit and
  // makes the job immune to the caller mutating, reusing or transferring (detaching) its
  // ArrayBuffer while the job runs.
  baton->input.assign(data, data + size);
  baton->cancelled = std::make_shared<std::atomic<bool>>(false);
  CancelFlag flag = baton->cancelled;

  auto* worker = new AnalyzeWorker(info[2].As<Napi::Function>(), std::move(baton),  // NOLINT
                                   GetAddonData(env));
  // AsyncWorker deletes itself after its completion callback (node-addon-api's ownership).
  worker->Queue();
  return Napi::Function::New(env, [flag](const Napi::CallbackInfo& ci) -> Napi::Value {
    flag->store(true);
    return ci.Env().Undefined();
  }, "cancel");
}

Napi::Value JsLoadModels(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(env, "loadModels(options, callback): bad arguments");
  }
  Napi::Object o = info[0].As<Napi::Object>();
  auto baton = std::make_unique<LoadBaton>();
  baton->detector_path = StringOption(o, "detectorModel");
  baton->shape_path = StringOption(o, "shapeModel");
  auto* worker = new LoadWorker(info[1].As<Napi::Function>(), std::move(baton),  // NOLINT
                                GetAddonData(env));
  worker->Queue();
  return env.Undefined();
}

Napi::Value JsImageInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[1].IsObject()) {
    throw Napi::TypeError::New(env, "imageInfo(input, options): bad arguments");
  }
  const uint8_t* data = nullptr;
  size_t size = 0;
  InputBytes(info[0], &data, &size);
  af::ImageLimits limits;
  ReadLimits(info[1].As<Napi::Object>(), &limits);
  af::ImageHeader header;
  af::Status s = af::ReadImageHeader(data, size, &header);
  if (s.ok()) s = af::CheckLimits(header, limits);
  Napi::Object r = Napi::Object::New(env);
  if (!s.ok()) {
    r.Set("error", ErrorObject(env, s, false));
    return r;
  }
  r.Set("format", af::ImageFormatName(header.format));
  r.Set("width", static_cast<double>(header.width));
  r.Set("height", static_cast<double>(header.height));
  return r;
}

}  // namespace af_addon
