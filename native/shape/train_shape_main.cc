// af_train_shape: trains the 90-point shape predictor on labels/train.jsonl, writes the model,
// and measures it on labels/val.jsonl (boxes from the points with a fixed deterministic jitter:
// a proxy; the evaluation from detector boxes is af_eval_shape's job).
//
//   af_train_shape --data ../shared/data --out models/shape90.afm --seed 1 [--cascade 10
//     --trees 500 --depth 4 --nu 0.1 --oversampling N --pool 400 --splits 20 --lambda 0.1
//     --pca K --pca-refresh T --threads 2 --max-faces N --report run.json]
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/cpu.h"
#include "common/face_box.h"
#include "detect/face_detector.h"
#include "detect/scan.h"
#include "eval/metrics.h"
#include "image/image.h"
#include "shape/shape_model.h"
#include "shape/shape_predictor.h"
#include "shape/shape_trainer.h"
#include "train/labels.h"

namespace {

using af::shape::ShapeTrainOptions;

struct Args {
  std::string data = "../shared/data";
  std::string out = "models/shape90.afm";
  std::string report;
  std::string eval_only;  // measure an existing model on val, no training
  std::string detector;   // face detector model: train and measure from its boxes
  size_t max_faces = 0;
  size_t max_val = 0;
  double val_scale = 1;  // measure on val images shrunk by this (small faces, as in web photos)
  ShapeTrainOptions o;
};

int Usage(const char* msg) {
  std::fprintf(stderr, "af_train_shape: %s\n", msg);
  std::fprintf(stderr,
               "usage: af_train_shape --data DIR --out FILE --seed S [--cascade N --trees N "
               "--depth N --nu F --oversampling F --pool N --splits N --lambda F --pca K "
               "--pca-refresh T --padding F --rotation DEG --threads N --max-faces N "
               "--max-val N --no-mirror --report FILE.json]\n"
               "       af_train_shape --eval-only MODEL [--data DIR --max-val N --val-scale F]\n");
  return 2;
}

bool ParseArgs(int argc, char** argv, Args* a, std::string* err) {
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (k == "--no-mirror") { a->o.mirror = false; continue; }
    if (i + 1 >= argc) { *err = "missing value for " + k; return false; }
    const std::string v = argv[++i];
    char* end = nullptr;
    const double num = std::strtod(v.c_str(), &end);
    const bool is_num = end != v.c_str() && *end == '\0' && std::isfinite(num);
    auto need_num = [&](double lo, double hi) {
      if (!is_num || num < lo || num > hi) {
        *err = "expected a number in [" + std::to_string(lo) + ", " + std::to_string(hi) +
               "] for " + k + " but received " + v;
        return false;
      }
      return true;
    };
    if (k == "--data") a->data = v;
    else if (k == "--out") a->out = v;
    else if (k == "--report") a->report = v;
    else if (k == "--detector") a->detector = v;
    else if (k == "--eval-only") a->eval_only = v;
    else if (k == "--seed") { if (!need_num(0, 1e18)) return false; a->o.seed = static_cast<uint64_t>(num); }
    else if (k == "--cascade") { if (!need_num(1, 64)) return false; a->o.cascade = static_cast<uint32_t>(num); }
    else if (k == "--trees") { if (!need_num(1, 4096)) return false; a->o.trees = static_cast<uint32_t>(num); }
    else if (k == "--depth") { if (!need_num(1, 8)) return false; a->o.depth = static_cast<uint32_t>(num); }
    else if (k == "--pool") { if (!need_num(2, 4096)) return false; a->o.pool = static_cast<uint32_t>(num); }
    else if (k == "--splits") { if (!need_num(1, 1000)) return false; a->o.splits = static_cast<uint32_t>(num); }
    else if (k == "--nu") { if (!need_num(1e-6, 1)) return false; a->o.nu = static_cast<float>(num); }
    else if (k == "--lambda") { if (!need_num(1e-6, 100)) return false; a->o.lambda = static_cast<float>(num); }
    else if (k == "--padding") { if (!need_num(0, 1.9)) return false; a->o.padding = static_cast<float>(num); }
    else if (k == "--rotation") { if (!need_num(0, 90)) return false; a->o.max_rotation_deg = static_cast<float>(num); }
    else if (k == "--oversampling") { if (!need_num(1, 1000)) return false; a->o.oversampling = static_cast<float>(num); }
    else if (k == "--pca") { if (!need_num(0, 180)) return false; a->o.pca = static_cast<uint32_t>(num); }
    else if (k == "--pca-refresh") { if (!need_num(0, 4096)) return false; a->o.pca_refresh = static_cast<uint32_t>(num); }
    else if (k == "--threads") { if (!need_num(0, 256)) return false; a->o.threads = static_cast<int>(num); }
    else if (k == "--max-faces") { if (!need_num(0, 1e9)) return false; a->max_faces = static_cast<size_t>(num); }
    else if (k == "--max-val") { if (!need_num(0, 1e9)) return false; a->max_val = static_cast<size_t>(num); }
    else if (k == "--val-scale") { if (!need_num(0.05, 1)) return false; a->val_scale = num; }
    else { *err = "unknown option " + k; return false; }
  }
  return true;
}

// Loads images and faces of one label file; faces of images that fail to load are skipped.
bool LoadSet(const std::string& data, const std::string& name, size_t max_faces,
             std::vector<af::GrayImage>* images, std::vector<af::shape::TrainFace>* faces) {
  std::vector<af::LabeledImage> labels;
  af::Status st = af::ReadLabels(data + "/labels/" + name, &labels);
  if (!st.ok()) {
    std::fprintf(stderr, "af_train_shape: %s\n", st.message().c_str());
    return false;
  }
  size_t total = 0;
  for (const auto& l : labels) total += l.faces.size();
  // An evenly spaced subset (deterministic) when --max-faces is smaller than the set.
  std::vector<char> keep_image(labels.size(), 1);
  if (max_faces > 0 && max_faces < total) {
    std::fill(keep_image.begin(), keep_image.end(), 0);
    size_t seen = 0, taken = 0;
    for (size_t i = 0; i < labels.size() && taken < max_faces; ++i) {
      const size_t want = (seen + labels[i].faces.size()) * max_faces / total;
      if (want > taken) { keep_image[i] = 1; taken += labels[i].faces.size(); }
      seen += labels[i].faces.size();
    }
  }
  std::vector<size_t> idx;
  for (size_t i = 0; i < labels.size(); ++i) if (keep_image[i]) idx.push_back(i);
  images->assign(idx.size(), af::GrayImage{});
  std::vector<char> ok(idx.size(), 0);
#pragma omp parallel for schedule(dynamic, 16)
  for (long j = 0; j < static_cast<long>(idx.size()); ++j) {
    ok[j] = af::LoadGrayFile(data + "/" + labels[idx[j]].file, &(*images)[j]).ok();
  }
  size_t failed = 0, swapped = 0;
  for (size_t j = 0; j < idx.size(); ++j) {
    if (!ok[j]) { ++failed; continue; }
    for (const auto& f : labels[idx[j]].faces) {
      af::shape::TrainFace tf;
      tf.image = static_cast<uint32_t>(j);
      tf.points = f.points;
      swapped += af::shape::FixPupilOrder(&tf.points) ? 1 : 0;
      tf.yaw = f.yaw;
      faces->push_back(tf);
    }
  }
  if (failed) std::fprintf(stderr, "af_train_shape: %zu images of %s failed to load\n", failed, name.c_str());
  std::fprintf(stderr, "%s: pupils swapped to the viewer's left/right in %zu of %zu faces\n", name.c_str(),
               swapped, faces->size());
  return true;
}

// Runs the face detector (the options analyzeFace uses by default) on every image and gives each
// labelled face the detection that overlaps its point box best (IoU >= 0.3). Returns how many faces
// got one. Images are independent, so the result does not depend on the thread count.
size_t AttachDetectorBoxes(const af::FaceDetector& detector, const std::vector<af::GrayImage>& images,
                           std::vector<af::shape::TrainFace>* faces) {
  std::vector<std::vector<af::Detection>> dets(images.size());
#pragma omp parallel for schedule(dynamic, 16)
  for (long i = 0; i < static_cast<long>(images.size()); ++i) {
    dets[i] = detector.Detect(images[i], af::DetectOptions{});
  }
  size_t found = 0;
  for (auto& f : *faces) {
    const af::BoxF pb = af::FaceBoxFromPoints(f.points);
    float best = 0.3f;
    for (const af::Detection& d : dets[f.image]) {
      const float iou = af::BoxIoU(pb, d.box);
      if (iou >= best) { best = iou; f.init_box = d.box; f.has_init_box = true; }
    }
    found += f.has_init_box ? 1 : 0;
  }
  return found;
}

// Shrinks every image by `scale` (af::ShrinkImage, area-like) and maps the faces' points with it,
// pixel centres to pixel centres.
void ShrinkSet(double scale, std::vector<af::GrayImage>* images, std::vector<af::shape::TrainFace>* faces) {
  std::vector<double> kx(images->size()), ky(images->size());
#pragma omp parallel for schedule(dynamic, 16)
  for (long i = 0; i < static_cast<long>(images->size()); ++i) {
    af::GrayImage& img = (*images)[i];
    const int w0 = img.width, h0 = img.height;
    const int sw = std::max(1, static_cast<int>(std::lround(w0 * scale)));
    const int sh = std::max(1, static_cast<int>(std::lround(h0 * scale)));
    img = af::ShrinkImage(img, sw, sh);
    kx[i] = static_cast<double>(sw) / w0;
    ky[i] = static_cast<double>(sh) / h0;
  }
  for (auto& f : *faces) {
    for (af::PointF& p : f.points) {
      p.x = static_cast<float>((p.x + 0.5) * kx[f.image] - 0.5);
      p.y = static_cast<float>((p.y + 0.5) * ky[f.image] - 0.5);
    }
  }
}

std::string Json(const af::eval::NmeSummary& s) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "{\"faces\": %d, \"mean\": %.5f, \"median\": %.5f, \"failure\": %.5f}",
                s.n, s.mean, s.median, s.failure_rate);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  std::string err;
  if (!ParseArgs(argc, argv, &a, &err)) return Usage(err.c_str());
  const auto t_start = std::chrono::steady_clock::now();
  std::vector<af::GrayImage> images;
  std::vector<af::shape::TrainFace> faces;
  af::shape::ShapeModel model;
  af::shape::ShapeTrainStats stats;
  std::vector<uint8_t> bytes;
  af::Status st;
  std::shared_ptr<const af::FaceDetector> detector;  // loaded once: training and val use it
  if (!a.detector.empty()) {
    st = af::FaceDetector::LoadFromFile(a.detector, &detector);
    if (!st.ok()) { std::fprintf(stderr, "af_train_shape: %s\n", st.message().c_str()); return 1; }
  }
  if (!a.eval_only.empty()) {
    st = af::ReadFileBytes(a.eval_only, &bytes);
    if (!st.ok()) { std::fprintf(stderr, "af_train_shape: %s\n", st.message().c_str()); return 1; }
    a.out = a.eval_only;
    a.report.clear();
  } else {
  if (!LoadSet(a.data, "train.jsonl", a.max_faces, &images, &faces)) return 1;
  if (detector) {
    const size_t found = AttachDetectorBoxes(*detector, images, &faces);
    std::fprintf(stderr, "train: detector boxes for %zu of %zu faces (the rest use jittered point boxes)\n",
                 found, faces.size());
  }
  const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  std::fprintf(stderr, "loaded %zu faces from %zu images in %.1f s\n", faces.size(), images.size(), load_s);

  st = af::shape::TrainShapeModel(images, faces, a.o, &model, &stats,
                                             [](const std::string& s) {
                                               std::fprintf(stderr, "%s\n", s.c_str());
                                               std::fflush(stderr);
                                             });
  if (!st.ok()) {
    std::fprintf(stderr, "af_train_shape: %s\n", st.message().c_str());
    return 1;
  }
  images.clear();
  images.shrink_to_fit();
  bytes = af::shape::SerializeShapeModel(model);
  {
    std::ofstream f(a.out, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!f) { std::fprintf(stderr, "af_train_shape: cannot write %s\n", a.out.c_str()); return 1; }
  }
  }
  std::shared_ptr<const af::ShapePredictor> pred;
  st = af::ShapePredictor::LoadFromMemory(bytes.data(), bytes.size(), &pred);
  if (!st.ok()) { std::fprintf(stderr, "af_train_shape: reload failed: %s\n", st.message().c_str()); return 1; }

  // Validation proxy: point boxes with a fixed jitter (seed 12345, independent of --seed):
  // centre ±3 % of the side, side × exp(±5 %), uniform.
  std::vector<af::GrayImage> vimages;
  std::vector<af::shape::TrainFace> vfaces;
  if (!LoadSet(a.data, "val.jsonl", a.max_val, &vimages, &vfaces)) return 1;
  if (a.val_scale != 1) ShrinkSet(a.val_scale, &vimages, &vfaces);
  const size_t val_detected = detector ? AttachDetectorBoxes(*detector, vimages, &vfaces) : 0;
  std::mt19937_64 jr(12345);
  std::vector<af::BoxF> boxes;
  for (const auto& f : vfaces) {
    af::BoxF b = af::FaceBoxFromPoints(f.points);
    const double u1 = af::shape::Uniform01(jr()), u2 = af::shape::Uniform01(jr()),
                 u3 = af::shape::Uniform01(jr());
    const float side = b.w * static_cast<float>(std::exp(0.05 * (2 * u3 - 1)));
    const float cx = b.cx() + static_cast<float>(0.03 * (2 * u1 - 1)) * b.w;
    const float cy = b.cy() + static_cast<float>(0.03 * (2 * u2 - 1)) * b.w;
    boxes.push_back(af::BoxF{cx - 0.5f * side, cy - 0.5f * side, side, side});
    if (f.has_init_box) boxes.back() = f.init_box;  // the detector's box when it found the face
  }
  std::vector<double> all, frontal, turned, turned15;
  std::vector<af::Shape90> preds(vfaces.size());
  // Speed: CPU time of this thread (the machine is shared, wall time is not meaningful), best of
  // 3 passes cycling through all val faces, plus the wall time of the same pass.
  double best_ms = 1e30, best_wall_ms = 1e30;
  auto thread_ms = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
  };
  for (int rep = 0; rep < 3; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = thread_ms();
    for (size_t i = 0; i < vfaces.size(); ++i) preds[i] = pred->Predict(vimages[vfaces[i].image], boxes[i]);
    const double cpu = thread_ms() - c0;
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!vfaces.empty()) {
      best_ms = std::min(best_ms, cpu / vfaces.size());
      best_wall_ms = std::min(best_wall_ms, ms / vfaces.size());
    }
  }
  // Per part too (layout.md's rows), from the same per-point errors.
  const std::vector<af::eval::PartRange>& parts = af::eval::Parts90();
  std::vector<double> part_sum(parts.size(), 0.0);
  for (size_t i = 0; i < vfaces.size(); ++i) {
    const auto& g = vfaces[i].points;
    const double iod = std::max(1e-6, static_cast<double>(std::hypot(g[37].x - g[45].x, g[37].y - g[45].y)));
    std::array<double, af::kNumPoints> err{};
    double e = 0;
    for (int k = 0; k < af::kNumPoints; ++k) {
      err[k] = std::hypot(preds[i][k].x - g[k].x, preds[i][k].y - g[k].y);
      e += err[k];
    }
    for (size_t p = 0; p < parts.size(); ++p) {
      double pe = 0;
      for (int k = parts[p].first; k < parts[p].first + parts[p].count; ++k) pe += err[k];
      part_sum[p] += pe / parts[p].count / iod;
    }
    const double nme = e / af::kNumPoints / iod;
    all.push_back(nme);
    (std::fabs(vfaces[i].yaw) * 180 / 3.14159265358979 >= 20 ? turned : frontal).push_back(nme);
    if (std::fabs(vfaces[i].yaw) * 180 / 3.14159265358979 >= 15) turned15.push_back(nme);
  }
  const af::eval::NmeSummary s_all = af::eval::Summarize(all), s_fr = af::eval::Summarize(frontal),
                             s_tu = af::eval::Summarize(turned);
  const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  std::printf("model %s: %zu bytes\n", a.out.c_str(), bytes.size());
  std::printf("training: %llu samples, %.1f s (total run %.1f s)\n",
              static_cast<unsigned long long>(stats.samples), stats.seconds, total_s);
  if (detector) std::printf("val boxes: detector for %zu of %zu faces, proxy for the rest\n", val_detected, vfaces.size());
  std::printf("val NME (%s boxes): mean %.4f median %.4f failure %.4f (n=%d)\n", detector ? "detector" : "proxy",
              s_all.mean, s_all.median, s_all.failure_rate, s_all.n);
  std::printf("  |yaw|<20deg: mean %.4f (n=%d); |yaw|>=20deg: mean %.4f median %.4f failure %.4f (n=%d)\n",
              s_fr.mean, s_fr.n, s_tu.mean, s_tu.median, s_tu.failure_rate, s_tu.n);
  const af::eval::NmeSummary s_15 = af::eval::Summarize(turned15);
  std::printf("  |yaw|>=15deg: mean %.4f median %.4f failure %.4f (n=%d)\n", s_15.mean, s_15.median,
              s_15.failure_rate, s_15.n);
  std::printf("  per part:");
  for (size_t p = 0; p < parts.size(); ++p) {
    std::printf(" %s %.4f", parts[p].name, vfaces.empty() ? 0. : part_sum[p] / vfaces.size());
  }
  std::printf("\n");
  std::printf("speed: %.4f ms/face CPU time (wall %.4f; one thread, %s)\n", best_ms, best_wall_ms,
              af::UseAvx2() ? "avx2" : (af::UseSse2() ? "sse2" : "scalar"));
  if (!a.report.empty()) {
    std::ofstream r(a.report);
    const auto& o = a.o;
    r << "{\n  \"model\": \"" << a.out << "\",\n  \"model_bytes\": " << bytes.size()
      << ",\n  \"parameters\": {\"seed\": " << o.seed << ", \"cascade\": " << o.cascade
      << ", \"trees\": " << o.trees << ", \"depth\": " << o.depth << ", \"pool\": " << o.pool
      << ", \"splits\": " << o.splits << ", \"nu\": " << o.nu << ", \"lambda\": " << o.lambda
      << ", \"padding\": " << o.padding << ", \"oversampling\": " << o.oversampling
      << ", \"pca\": " << o.pca << ", \"pca_refresh\": " << o.pca_refresh
      << ", \"pca_samples\": " << o.pca_samples << ", \"rotation_deg\": " << o.max_rotation_deg
      << ", \"box_shift\": " << o.box_shift << ", \"box_scale\": " << o.box_scale
      << ", \"contrast\": " << o.contrast << ", \"brightness\": " << o.brightness
      << ", \"yaw_weight\": \"min(" << o.yaw_weight_max << ", 1 + (|yaw|/10deg)^2)\""
      << ", \"mirror\": " << (o.mirror ? "true" : "false") << ", \"threads\": " << o.threads
      << ", \"max_faces\": " << a.max_faces << "},\n"
      << "  \"train_faces\": " << faces.size() << ",\n  \"train_samples\": " << stats.samples
      << ",\n  \"mean_yaw_weight\": " << stats.mean_weight << ",\n  \"level_rms\": [";
    for (size_t i = 0; i < stats.level_rms.size(); ++i) r << (i ? ", " : "") << stats.level_rms[i];
    r << "],\n  \"training_seconds\": " << stats.seconds << ",\n  \"total_seconds\": " << total_s
      << ",\n  \"detector\": \"" << a.detector << "\", \"val_detected\": " << val_detected
      << ",\n  \"val_proxy\": {\"boxes\": \"" << (detector ? "detector box; point box, centre +-3%, side x exp(+-5%), seed 12345 where not detected" : "point box, centre +-3%, side x exp(+-5%), seed 12345") << "\", "
      << "\"all\": " << Json(s_all) << ", \"yaw_lt_20\": " << Json(s_fr)
      << ", \"yaw_ge_20\": " << Json(s_tu) << "},\n  \"ms_per_face_one_thread\": " << best_ms
      << ",\n  \"ms_per_face_wall\": " << best_wall_ms << "\n}\n";
  }
  return 0;
}
