// af_bench: speed of our engine against the dlib peer in ONE run on the same images, one thread.
// dlib_peer is launched as a child process (its own per-stage timers); ours is timed in-process
// with the same boundaries. Rounds alternate dlib and ours so a change in machine load hits both.
//
//   af_bench [--data DIR] [--detector FILE] [--shape FILE] [--dlib-peer EXE] [--dlib-cache DIR]
//            [--work DIR] [--out PREFIX] [--rounds N] [--reps N] [--faces N]
//
// Measures: JPEG decode ms (file read + decode to gray), detection ms at 640x480 (IMM photos),
// 1280x960 and 1920x1080 (eval/photos resized here with a bilinear filter and written as BMP, so
// both sides read identical pixels), shape ms/face cycling through different val faces (the same
// faces and the same dlib HOG boxes, mapped to our convention for ours), model load time and
// model size. Writes PREFIX.md and PREFIX.json (default bench/results/latest).
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/face_box.h"
#include "eval/cli.h"
#include "eval/eval_data.h"
#include "eval/metrics.h"
#include "eval/ours.h"
#include "image/image.h"
#include "train/json_lite.h"
#include "train/labels.h"

namespace af {
namespace eval {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

constexpr char kUsage[] =
    "usage: af_bench [--data DIR] [--detector FILE] [--shape FILE] [--dlib-peer EXE]\n"
    "                [--dlib-cache DIR] [--work DIR] [--out PREFIX] [--rounds N] [--reps N] [--faces N]\n";

struct Options : ToolPaths {
  std::string dlib_peer = "build-eval/peers/dlib/dlib_peer";
  std::string dlib_model = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";
  std::string work = "build-eval/bench";
  std::string out = "bench/results/latest";
  int rounds = 3;
  int reps = 3;
  size_t faces = 400;
};

bool ParseArgs(int argc, char** argv, Options* o) {
  return ParseFlags(argc, argv, {{"--data", &o->data}, {"--detector", &o->detector}, {"--shape", &o->shape},
                                 {"--dlib-peer", &o->dlib_peer}, {"--dlib-cache", &o->dlib_cache},
                                 {"--work", &o->work}, {"--out", &o->out}, {"--rounds", &o->rounds},
                                 {"--reps", &o->reps}, {"--faces", &o->faces}}) &&
         o->rounds >= 1 && o->reps >= 1 && o->faces >= 1;
}

double Median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double Mean(const std::vector<double>& v) {
  if (v.empty()) return NAN;
  double s = 0;
  for (const double x : v) s += x;
  return s / v.size();
}

long long FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<long long>(st.st_size) : -1;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') out += "'\\''"; else out += c;
  }
  return out + "'";
}

// ------------------------------------------------------------------------- resize and BMP out

// Bilinear resize of interleaved RGB (pixel centres aligned).
RgbImage ResizeRgb(const RgbImage& in, int w, int h) {
  RgbImage out;
  out.width = w;
  out.height = h;
  out.pixels.resize(static_cast<size_t>(w) * h * 3);
  const double sx = static_cast<double>(in.width) / w, sy = static_cast<double>(in.height) / h;
  for (int y = 0; y < h; ++y) {
    const double fy = std::min(std::max((y + 0.5) * sy - 0.5, 0.0), in.height - 1.0);
    const int y0 = static_cast<int>(fy), y1 = std::min(y0 + 1, in.height - 1);
    const double wy = fy - y0;
    for (int x = 0; x < w; ++x) {
      const double fx = std::min(std::max((x + 0.5) * sx - 0.5, 0.0), in.width - 1.0);
      const int x0 = static_cast<int>(fx), x1 = std::min(x0 + 1, in.width - 1);
      const double wx = fx - x0;
      for (int c = 0; c < 3; ++c) {
        auto px = [&](int xx, int yy) { return in.pixels[(static_cast<size_t>(yy) * in.width + xx) * 3 + c]; };
        const double v = (1 - wy) * ((1 - wx) * px(x0, y0) + wx * px(x1, y0)) +
                         wy * ((1 - wx) * px(x0, y1) + wx * px(x1, y1));
        out.pixels[(static_cast<size_t>(y) * w + x) * 3 + c] = static_cast<uint8_t>(std::lround(v));
      }
    }
  }
  return out;
}

// 24-bit bottom-up BMP (BITMAPINFOHEADER, BI_RGB).
bool WriteBmp(const std::string& path, const RgbImage& img) {
  const uint32_t row = (static_cast<uint32_t>(img.width) * 3 + 3) & ~3u;
  const uint32_t data = row * img.height;
  std::vector<uint8_t> f(54 + data, 0);
  auto le32 = [&](size_t at, uint32_t v) { for (int i = 0; i < 4; ++i) f[at + i] = static_cast<uint8_t>(v >> (8 * i)); };
  auto le16 = [&](size_t at, uint16_t v) { f[at] = static_cast<uint8_t>(v); f[at + 1] = static_cast<uint8_t>(v >> 8); };
  f[0] = 'B';
  f[1] = 'M';
  le32(2, 54 + data);
  le32(10, 54);
  le32(14, 40);
  le32(18, static_cast<uint32_t>(img.width));
  le32(22, static_cast<uint32_t>(img.height));
  le16(26, 1);
  le16(28, 24);
  le32(34, data);
  for (int y = 0; y < img.height; ++y) {
    uint8_t* dst = f.data() + 54 + static_cast<size_t>(img.height - 1 - y) * row;
    const uint8_t* src = img.pixels.data() + static_cast<size_t>(y) * img.width * 3;
    for (int x = 0; x < img.width; ++x) {
      dst[3 * x + 0] = src[3 * x + 2];
      dst[3 * x + 1] = src[3 * x + 1];
      dst[3 * x + 2] = src[3 * x + 0];
    }
  }
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.size()));
  return static_cast<bool>(out);
}

// ----------------------------------------------------------------------------------- the bench

struct SizeSet {
  std::string name;                // "640x480"
  std::vector<std::string> files;  // absolute or relative to cwd
};

struct Metric {
  std::string name, unit;
  double dlib = NAN, ours = NAN;
  std::string note;
};

class Bench {
 public:
  explicit Bench(const Options& o) : o_(o) {}

  int Main() {
    Status st = Prepare();
    if (!st.ok()) return Fail(st);
    if (!Ours::Available()) return Fail(Status(ErrorCode::kInternal, "af_bench needs af_detect and af_shape"));
    std::cerr << "af_bench: " << o_.rounds << " rounds (dlib, then ours, alternating)\n";
    for (int r = 0; r < o_.rounds; ++r) {
      std::cerr << "round " << r + 1 << ": dlib\n";
      st = RoundDlib();
      if (!st.ok()) return Fail(st);
      std::cerr << "round " << r + 1 << ": ours\n";
      st = RoundOurs();
      if (!st.ok()) return Fail(st);
      ++round_;
    }
    return Write();
  }

 private:
  static int Fail(const Status& st) { return ToolFailure("af_bench", st); }

  Status Prepare() {
    if (system(("mkdir -p " + ShellQuote(o_.work)).c_str()) != 0) {
      return Status(ErrorCode::kInternal, "cannot create " + o_.work);
    }
    // 640x480: the first photo of 12 IMM people (native size, JPEG).
    SizeSet vga{"640x480", {}};
    for (int p = 1; p <= 12; ++p) {
      for (const char* sex : {"m", "f"}) {
        char name[64];
        std::snprintf(name, sizeof name, "/eval/imm/%02d-1%s.jpg", p, sex);
        if (FileSize(o_.data + name) > 0) vga.files.push_back(o_.data + name);
      }
    }
    sizes_.push_back(vga);
    // Larger frames, resized from eval/photos (4:3 and 16:9 sources) so dlib and ours read the
    // same pixels.
    const struct { const char* name; int w, h; std::vector<const char*> src; } big[] = {
        {"1280x960", 1280, 960, {"vladmandic_human__group-1.jpg", "vladmandic_human__group-4.jpg"}},
        {"1920x1080", 1920, 1080, {"face_recognition_examples__examples_obama-1080p.jpg", "ultralight_group_photos__imgs_17.jpg"}}};
    for (const auto& b : big) {
      SizeSet s{b.name, {}};
      for (const char* src : b.src) {
        const std::string out = o_.work + "/" + b.name + "_" + std::string(src).substr(0, std::string(src).size() - 4) + ".bmp";
        if (FileSize(out) <= 0) {
          std::vector<uint8_t> bytes;
          Status st = ReadFileBytes(o_.data + "/eval/photos/" + src, &bytes);
          if (!st.ok()) return st;
          ImageLimits lim;
          RgbImage rgb;
          st = DecodeRgb(bytes.data(), bytes.size(), lim, &rgb);
          if (!st.ok()) return st;
          if (!WriteBmp(out, ResizeRgb(rgb, b.w, b.h))) return Status(ErrorCode::kInternal, "cannot write " + out);
        }
        s.files.push_back(out);
      }
      sizes_.push_back(s);
    }
    // JPEG decode: the 640x480 IMM photos and the large JPEG originals.
    decode_sets_.push_back(SizeSet{"640x480 JPEG", vga.files});
    decode_sets_.push_back(SizeSet{"1600x1200 JPEG", {o_.data + "/eval/photos/vladmandic_human__group-1.jpg",
                                                     o_.data + "/eval/photos/vladmandic_human__group-4.jpg"}});
    // Shape: val faces with dlib's own HOG box (cached dlib_peer output), one face per image first.
    std::vector<LabeledImage> val;
    Status st = ReadLabels(o_.data + "/labels/val.jsonl", &val);
    if (!st.ok()) return st;
    std::map<std::string, PeerImage> dlib_val;
    st = ReadPeerJsonl(o_.dlib_cache + "/val_up1.jsonl", &dlib_val);
    if (!st.ok()) return st;
    st = FitBoxMapFromCache(o_.data, o_.dlib_cache, &map_);
    if (!st.ok()) return st;
    std::string boxes;
    for (const LabeledImage& li : val) {
      if (shape_faces_.size() >= o_.faces) break;
      const auto it = dlib_val.find(li.file);
      if (it == dlib_val.end() || it->second.faces.empty()) continue;
      const PeerFace& f = it->second.faces[0];  // integer dlib rectangle, its own convention
      shape_faces_.push_back({o_.data + "/" + li.file, f.box});
      boxes += DlibBoxLine(o_.data + "/" + li.file, f.box);
    }
    boxes_file_ = o_.work + "/shape_boxes.jsonl";
    return WriteTextFile(boxes_file_, boxes);
  }

  // Runs dlib_peer on `files` (each repeated reps times), returns its parsed output lines.
  Status RunPeer(const std::string& args, std::vector<PeerImage>* out, double* load_ms) {
    const std::string err = o_.work + "/dlib_peer.stderr";
    const std::string cmd = ShellQuote(o_.dlib_peer) + " " + args + " 2>" + ShellQuote(err);
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    if (!pipe) return Status(ErrorCode::kInternal, "cannot run " + o_.dlib_peer);
    const std::string tmp = o_.work + "/dlib_peer.out.jsonl";
    {
      std::ofstream o(tmp);
      char buf[65536];
      size_t n;
      while ((n = fread(buf, 1, sizeof buf, pipe.get())) > 0) o.write(buf, static_cast<std::streamsize>(n));
    }
    if (pclose(pipe.release()) != 0) return Status(ErrorCode::kInternal, "dlib_peer failed: see " + err);
    Status st = ReadPeerJsonlList(tmp, out);
    if (!st.ok()) return st;
    std::ifstream e(err);
    std::string line;
    while (std::getline(e, line)) {
      if (line.rfind("models loaded in ", 0) == 0) *load_ms = std::atof(line.c_str() + 17);
    }
    return Status::Ok();
  }

  std::string Repeat(const std::vector<std::string>& files) const {
    std::string args;
    for (const std::string& f : files) {
      for (int r = 0; r < o_.reps; ++r) args += " " + ShellQuote(f);
    }
    return args;
  }

  Status RoundDlib() {
    double load = NAN;
    for (int up = 0; up <= 1; ++up) {
      for (const SizeSet& s : sizes_) {
        std::vector<PeerImage> out;
        Status st = RunPeer("--upsample " + std::to_string(up) + Repeat(s.files), &out, &load);
        if (!st.ok()) return st;
        for (size_t i = 0; i < out.size(); ++i) {
          dlib_[Key("detect", s.name, up)].push_back(out[i].detect_ms);
          if (round_ == 0 && i % o_.reps == 0) dlib_found_[Key("detect", s.name, up)] += out[i].faces.size();
        }
      }
    }
    for (const SizeSet& s : decode_sets_) {
      std::vector<PeerImage> out;
      Status st = RunPeer(Repeat(s.files), &out, &load);
      if (!st.ok()) return st;
      for (const PeerImage& p : out) dlib_["decode " + s.name].push_back(p.decode_ms);
    }
    std::vector<PeerImage> out;
    Status st = RunPeer("--boxes " + ShellQuote(boxes_file_), &out, &load);
    if (!st.ok()) return st;
    for (const PeerImage& p : out) {
      for (const PeerFace& f : p.faces) dlib_["shape"].push_back(f.shape_ms);
    }
    dlib_["load"].push_back(load);
    return Status::Ok();
  }

  static std::string Key(const char* what, const std::string& size, int up) {
    return std::string(what) + " " + size + (up ? " (dlib upsample 1 / ours min face 40)" : " (dlib upsample 0 / ours min face 80)");
  }

  Status RoundOurs() {
    Ours ours;
    const auto t0 = Clock::now();
    Status st = ours.Load(o_.detector, o_.shape);
    if (!st.ok()) return st;
    ours_["load"].push_back(MsSince(t0));
    for (int up = 0; up <= 1; ++up) {
      for (const SizeSet& s : sizes_) {
        for (const std::string& f : s.files) {
          GrayImage img;
          st = LoadGrayFile(f, &img);
          if (!st.ok()) return st;
          for (int r = 0; r < o_.reps; ++r) {
            const auto t = Clock::now();
            const std::vector<OurDetection> d = ours.Detect(img, up ? 40.f : 80.f);
            ours_[Key("detect", s.name, up)].push_back(MsSince(t));
            if (r == 0 && round_ == 0) faces_found_[Key("detect", s.name, up)] += d.size();
          }
        }
      }
    }
    for (const SizeSet& s : decode_sets_) {
      for (const std::string& f : s.files) {
        for (int r = 0; r < o_.reps; ++r) {
          const auto t = Clock::now();
          GrayImage img;
          st = LoadGrayFile(f, &img);  // file read + header + limits + decode to gray
          if (!st.ok()) return st;
          ours_["decode " + s.name].push_back(MsSince(t));
        }
      }
    }
    double sink = 0;
    for (const bool single : {false, true}) {  // default (mirror-averaged), then single pass
      for (size_t i = 0; i < shape_faces_.size(); ++i) {
        const BoxF box = map_.ToOurs(shape_faces_[i].second);
        // As dlib_peer --boxes does: decode the face's image (untimed) right before predicting, so
        // both predictors run with whatever the decode left in the caches.
        GrayImage img;
        st = LoadGrayFile(shape_faces_[i].first, &img);
        if (!st.ok()) return st;
        const auto t = Clock::now();
        const Shape90 s = ours.Predict(img, box, single);
        ours_[single ? "shape single" : "shape"].push_back(MsSince(t));
        sink += s[0].x;
      }
    }
    if (sink == 12345.678) std::cerr << "";  // keep the predictions observable
    return Status::Ok();
  }

  int Write() {
    std::vector<Metric> m;
    auto add = [&](const std::string& key, const std::string& name, bool mean = false) {
      Metric x;
      x.name = name;
      x.unit = "ms";
      x.dlib = mean ? Mean(dlib_[key]) : Median(dlib_[key]);
      x.ours = mean ? Mean(ours_[key]) : Median(ours_[key]);
      m.push_back(x);
    };
    for (const SizeSet& s : decode_sets_) add("decode " + s.name, "decode " + s.name + " (read + decode to gray)");
    for (int up = 0; up <= 1; ++up) {
      for (const SizeSet& s : sizes_) add(Key("detect", s.name, up), Key("detect", s.name, up));
    }
    add("shape", "shape ms/face, mean over " + std::to_string(shape_faces_.size()) + " different val faces", true);
    add("shape", "shape ms/face, median");
    {
      Metric x;
      x.name = "shape ms/face, mean, ours single pass (PredictMode::kSingle) vs dlib";
      x.unit = "ms";
      x.dlib = Mean(dlib_["shape"]);
      x.ours = Mean(ours_["shape single"]);
      m.push_back(x);
    }
    add("load", "model load (detector + shape)");
    Metric size;
    size.name = "shape model size";
    size.unit = "MB";
    size.dlib = FileSize(o_.dlib_model) / 1e6;
    size.ours = FileSize(o_.shape) / 1e6;
    m.push_back(size);
    Metric dsize;
    dsize.name = "detector model size";
    dsize.unit = "MB";
    dsize.ours = FileSize(o_.detector) / 1e6;
    dsize.note = "dlib's HOG detector is compiled into libdlib";
    m.push_back(dsize);

    std::string cpu;
    {
      std::ifstream in("/proc/cpuinfo");
      std::string line;
      while (std::getline(in, line)) {
        if (line.rfind("model name", 0) == 0) { cpu = line.substr(line.find(':') + 2); break; }
      }
    }
    std::string load_avg;
    {
      std::ifstream in("/proc/loadavg");
      std::getline(in, load_avg);
    }
    std::ostringstream md;
    md << "# Benchmark: analyze-face vs the dlib peer\n\n"
       << "One run of `bench/run.sh` (af_bench): " << o_.rounds << " rounds alternating dlib_peer and ours, "
       << o_.reps << " repetitions per image, one thread each. Times are medians over all repetitions and "
       << "rounds (shape: mean and median per face). Ratios are ours / dlib: below 1 = ours faster.\n\n"
       << "- CPU: " << cpu << " (2 cores shared with training jobs; load average at the end: " << load_avg << ")\n"
       << "- dlib: Debian libdlib, `dlib_peer` built with -O3 -march=native; ours: " << o_.detector << ", " << o_.shape << "\n"
       << "- 640x480: " << sizes_[0].files.size() << " IMM photos; 1280x960 and 1920x1080: eval/photos resized (bilinear, BMP)\n"
       << "- shape: the same " << shape_faces_.size() << " val faces for both, each from dlib's HOG box "
       << "(mapped to our face-box convention for ours), cycling through different faces; ours in the default "
       << "mirror-averaged mode (two cascade passes) unless marked single pass\n\n";
    std::vector<std::vector<std::string>> t = {{"measure", "unit", "dlib", "ours", "ours/dlib"}};
    for (const Metric& x : m) {
      t.push_back({x.name + (x.note.empty() ? "" : " (" + x.note + ")"), x.unit, Fmt(x.dlib, 2), Fmt(x.ours, 3),
                   std::isfinite(x.dlib) && std::isfinite(x.ours) && x.dlib > 0 ? Fmt(x.ours / x.dlib, 2) : "-"});
    }
    md << FormatTable(t);
    md << "\nFaces found in the timed frames (all images of the size, counted once), dlib / ours:\n\n";
    for (const auto& kv : faces_found_) {
      md << "- " << kv.first << ": " << dlib_found_[kv.first] << " / " << kv.second << "\n";
    }
    JsonWriter w;
    w.BeginObject();
    w.Key("tool").String("af_bench");
    w.Key("cpu").String(cpu);
    w.Key("loadavg").String(load_avg);
    w.Key("rounds").Int(o_.rounds).Key("reps").Int(o_.reps);
    w.Key("shape_faces").Int(static_cast<long long>(shape_faces_.size()));
    w.Key("metrics").BeginArray();
    for (const Metric& x : m) {
      w.BeginObject().Key("name").String(x.name).Key("unit").String(x.unit);
      w.Key("dlib").Number(x.dlib).Key("ours").Number(x.ours);
      w.Key("ratio_ours_over_dlib").Number(std::isfinite(x.dlib) && x.dlib > 0 ? x.ours / x.dlib : NAN);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    Status st = WriteTextFile(o_.out + ".md", md.str());
    if (st.ok()) st = WriteTextFile(o_.out + ".json", w.str() + "\n");
    if (!st.ok()) return Fail(st);
    std::cout << md.str() << "\nwritten: " << o_.out << ".md, " << o_.out << ".json\n";
    return 0;
  }

  const Options& o_;
  BoxMap map_;
  std::vector<SizeSet> sizes_, decode_sets_;
  std::vector<std::pair<std::string, BoxF>> shape_faces_;
  std::string boxes_file_;
  std::map<std::string, std::vector<double>> dlib_, ours_;
  std::map<std::string, size_t> faces_found_, dlib_found_;
  int round_ = 0;
};

}  // namespace
}  // namespace eval
}  // namespace af

int main(int argc, char** argv) {
  return af::eval::RunTool<af::eval::Options, af::eval::Bench>(argc, argv, af::eval::ParseArgs, af::eval::kUsage);
}
