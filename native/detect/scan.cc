#include "detect/scan.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "common/cpu.h"
#include "common/face_box.h"
#include "common/model_file.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace af {

// ---------------------------------------------------------------------------------------------
// Model payload

namespace {
Status Invalid(const std::string& why) {
  return Status(ErrorCode::kModelInvalid, "face detector model is invalid: " + why);
}
bool Finite(float v) { return std::isfinite(v); }
}  // namespace

std::vector<uint8_t> SerializeDetectorPayload(const DetectorModel& m) {
  ByteWriter w;
  w.u32(static_cast<uint32_t>(m.cell_size));
  w.u32(kFhogChannels);
  w.u32(static_cast<uint32_t>(m.filter_w));
  w.u32(static_cast<uint32_t>(m.filter_h));
  w.u32(static_cast<uint32_t>(m.pad_cells));
  w.f32(m.face_left);
  w.f32(m.face_top);
  w.f32(m.face_size);
  w.f32(m.pyramid_step);
  w.f32(m.nms_iou);
  w.f32(m.nms_contain);
  w.u32(static_cast<uint32_t>(m.components.size()));
  const size_t cells = static_cast<size_t>(m.filter_w) * m.filter_h;
  for (const DetectorComponent& c : m.components) {
    w.i32(c.mirror_of);
    w.f32(c.yaw_center);
    w.f32(c.bias);
    w.f32(c.threshold);
    w.f32(c.box_dx);
    w.f32(c.box_dy);
    w.f32(c.box_dlog_side);
    for (size_t i = 0; i < cells; ++i) w.array(c.weights.data() + i * kFhogStride, kFhogChannels);
  }
  return std::move(w.bytes());
}

Status ParseDetectorPayload(const uint8_t* data, size_t size, DetectorModel* out) {
  ByteReader r(data, size);
  DetectorModel m;
  m.cell_size = static_cast<int>(r.u32());
  const uint32_t channels = r.u32();
  const uint32_t fw = r.u32(), fh = r.u32(), pad = r.u32();
  m.face_left = r.f32();
  m.face_top = r.f32();
  m.face_size = r.f32();
  m.pyramid_step = r.f32();
  m.nms_iou = r.f32();
  m.nms_contain = r.f32();
  const uint32_t ncomp = r.u32();
  if (!r.ok()) return Invalid("truncated header");
  if (m.cell_size != kFhogCell) return Invalid("cell size must be 8");
  if (channels != static_cast<uint32_t>(kFhogChannels)) return Invalid("feature dimension must be 31");
  if (fw < 2 || fw > 32 || fh < 2 || fh > 32) return Invalid("filter size out of range");
  if (pad > 8) return Invalid("pyramid padding out of range");
  m.filter_w = static_cast<int>(fw);
  m.filter_h = static_cast<int>(fh);
  m.pad_cells = static_cast<int>(pad);
  for (float v : {m.face_left, m.face_top, m.face_size, m.pyramid_step, m.nms_iou, m.nms_contain}) {
    if (!Finite(v)) return Invalid("non-finite geometry");
  }
  if (m.face_size < 8.f || m.face_left < 0.f || m.face_top < 0.f ||
      m.face_left + m.face_size > static_cast<float>(m.window_w_px()) ||
      m.face_top + m.face_size > static_cast<float>(m.window_h_px())) {
    return Invalid("face box does not fit the window");
  }
  if (!(m.pyramid_step >= 0.5f && m.pyramid_step <= 0.95f)) return Invalid("pyramid step out of range");
  if (!(m.nms_iou > 0.f && m.nms_iou <= 1.f) || !(m.nms_contain > 0.f && m.nms_contain <= 1.f)) {
    return Invalid("NMS parameters out of range");
  }
  if (ncomp < 1 || ncomp > 16) return Invalid("component count out of range");
  const size_t cells = static_cast<size_t>(fw) * fh;
  // Each component needs 28 + cells * 124 bytes: refuse early rather than allocate for a lie.
  if (r.remaining() / (28 + cells * kFhogChannels * 4) < ncomp) return Invalid("truncated components");
  m.components.resize(ncomp);
  for (uint32_t i = 0; i < ncomp; ++i) {
    DetectorComponent& c = m.components[i];
    c.mirror_of = r.i32();
    c.yaw_center = r.f32();
    c.bias = r.f32();
    c.threshold = r.f32();
    c.box_dx = r.f32();
    c.box_dy = r.f32();
    c.box_dlog_side = r.f32();
    c.weights.assign(cells * kFhogStride, 0.f);
    for (size_t k = 0; k < cells; ++k) r.array(c.weights.data() + k * kFhogStride, kFhogChannels);
    if (!r.ok()) return Invalid("truncated component " + std::to_string(i));
    if (c.mirror_of < -1 || c.mirror_of >= static_cast<int>(i)) return Invalid("bad mirror index");
    for (float v : {c.yaw_center, c.bias, c.threshold, c.box_dx, c.box_dy, c.box_dlog_side}) {
      if (!Finite(v)) return Invalid("non-finite component parameter");
    }
    if (std::fabs(c.box_dx) > 1.f || std::fabs(c.box_dy) > 1.f || std::fabs(c.box_dlog_side) > 1.f) {
      return Invalid("box correction out of range");
    }
    for (float v : c.weights) {
      if (!Finite(v)) return Invalid("non-finite filter weight");
    }
  }
  if (!r.at_end()) return Invalid("trailing bytes after the last component");
  *out = std::move(m);
  return Status::Ok();
}

std::vector<uint8_t> SerializeDetectorFile(const DetectorModel& model) {
  ModelHeader h;
  h.kind = ModelKind::kFaceDetector;
  h.format_version = kDetectorFormatVersion;
  h.layout_id = 0;
  return WriteModelFile(h, SerializeDetectorPayload(model));
}

Status ParseDetectorFile(const uint8_t* data, size_t size, DetectorModel* model) {
  ModelHeader h;
  const uint8_t* payload = nullptr;
  size_t payload_size = 0;
  Status s = OpenModelFile(data, size, ModelKind::kFaceDetector, "face detector model", &h,
                           &payload, &payload_size);
  if (!s.ok()) return s;
  if (h.format_version != kDetectorFormatVersion) {
    return Invalid("unsupported format version " + std::to_string(h.format_version) +
                   " (this build reads version 1)");
  }
  return ParseDetectorPayload(payload, payload_size, model);
}

std::vector<float> MirrorFilter(const std::vector<float>& w, int fw, int fh) {
  std::vector<float> out(w.size(), 0.f);
  for (int y = 0; y < fh; ++y) {
    for (int x = 0; x < fw; ++x) {
      const float* src = w.data() + (static_cast<size_t>(y) * fw + x) * kFhogStride;
      float* dst = out.data() + (static_cast<size_t>(y) * fw + (fw - 1 - x)) * kFhogStride;
      for (int c = 0; c < kFhogChannels; ++c) dst[FhogMirrorChannel(c)] = src[c];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pyramid

GrayImage HalveImage(const GrayImage& src) {
  GrayImage out;
  out.width = src.width / 2;
  out.height = src.height / 2;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height);
  for (int y = 0; y < out.height; ++y) {
    const uint8_t* a = src.row(2 * y);
    const uint8_t* b = src.row(2 * y + 1);
    uint8_t* o = out.row(y);
    for (int x = 0; x < out.width; ++x) {
      o[x] = static_cast<uint8_t>((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) >> 2);
    }
  }
  return out;
}

GrayImage ShrinkImage(const GrayImage& src, int out_w, int out_h) {
  GrayImage img = src;
  while (img.width >= 2 * out_w && img.height >= 2 * out_h && img.width >= 2 && img.height >= 2) img = HalveImage(img);
  if (img.width != out_w || img.height != out_h) img = ResizeBilinear(img, out_w, out_h);
  return img;
}

GrayImage ResizeBilinear(const GrayImage& src, int out_w, int out_h) {
  GrayImage out;
  out.width = out_w;
  out.height = out_h;
  out.pixels.resize(static_cast<size_t>(out_w) * out_h);
  const float sx = static_cast<float>(src.width) / out_w, sy = static_cast<float>(src.height) / out_h;
  std::vector<int> x0(out_w);
  std::vector<int> wx(out_w);  // weight of x0 + 1, in 1/256
  for (int u = 0; u < out_w; ++u) {
    float fx = (u + 0.5f) * sx - 0.5f;
    fx = std::min(std::max(fx, 0.f), static_cast<float>(src.width - 1));
    int ix = static_cast<int>(fx);
    if (ix >= src.width - 1) ix = std::max(src.width - 2, 0);
    x0[u] = ix;
    wx[u] = src.width > 1 ? static_cast<int>((fx - ix) * 256.f + 0.5f) : 0;
  }
  const int xn = src.width > 1 ? 1 : 0;
  // Separable, vertical first: blend the two source rows over the source width (vectorisable,
  // 16-bit, 1/256 units), then sample that row horizontally. Integer arithmetic, so the result
  // equals the direct 2-D bilinear formula exactly.
  std::vector<uint16_t> vrow(static_cast<size_t>(src.width) + 1);
  for (int v = 0; v < out_h; ++v) {
    float fy = (v + 0.5f) * sy - 0.5f;
    fy = std::min(std::max(fy, 0.f), static_cast<float>(src.height - 1));
    int iy = static_cast<int>(fy);
    if (iy >= src.height - 1) iy = std::max(src.height - 2, 0);
    const int wy = src.height > 1 ? static_cast<int>((fy - iy) * 256.f + 0.5f) : 0;
    const uint8_t* r0 = src.row(iy);
    const uint8_t* r1 = src.row(src.height > 1 ? iy + 1 : iy);
    const uint16_t w1 = static_cast<uint16_t>(wy), w0 = static_cast<uint16_t>(256 - wy);
    uint16_t* vr = vrow.data();
    for (int x = 0; x < src.width; ++x) vr[x] = static_cast<uint16_t>(r0[x] * w0 + r1[x] * w1);
    uint8_t* o = out.row(v);
    for (int u = 0; u < out_w; ++u) {
      const int a = x0[u];
      const uint32_t t = static_cast<uint32_t>(vr[a]) * static_cast<uint32_t>(256 - wx[u]) +
                         static_cast<uint32_t>(vr[a + xn]) * static_cast<uint32_t>(wx[u]);
      o[u] = static_cast<uint8_t>((t + 32768u) >> 16);
    }
  }
  return out;
}

GrayImage PadReplicate(const GrayImage& src, int pad) {
  GrayImage out;
  out.width = src.width + 2 * pad;
  out.height = src.height + 2 * pad;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height);
  for (int y = 0; y < out.height; ++y) {
    const uint8_t* s = src.row(std::min(std::max(y - pad, 0), src.height - 1));
    uint8_t* o = out.row(y);
    std::memset(o, s[0], pad);
    std::memcpy(o + pad, s, src.width);
    std::memset(o + pad + src.width, s[src.width - 1], pad);
  }
  return out;
}

std::vector<PyramidLevel> BuildPyramid(const GrayImage& image, float min_face_size,
                                       const DetectorModel& model) {
  std::vector<PyramidLevel> levels;
  if (image.empty() || image.pixels.size() < static_cast<size_t>(image.width) * image.height) {
    return levels;
  }
  const int pad = model.pad_cells * model.cell_size;
  const int win = std::max(model.window_w_px(), model.window_h_px());
  if (!(min_face_size >= 1.f)) min_face_size = 1.f;
  double s0 = model.face_size / min_face_size;
  s0 = std::min(s0, 4.0);
  s0 = std::min(s0, std::sqrt(24e6 / (static_cast<double>(image.width) * image.height)));
  // Reduce with exact halvings first so bilinear sampling never skips pixels.
  GrayImage base;
  const GrayImage* src = &image;
  double bs = 1.0;
  while (s0 / bs < 0.5 && src->width >= 4 && src->height >= 4) {
    base = HalveImage(*src);
    src = &base;
    bs *= 0.5;
  }
  int lw = static_cast<int>(std::lround(image.width * s0));
  int lh = static_cast<int>(std::lround(image.height * s0));
  if (lw + 2 * pad < win || lh + 2 * pad < win || lw < 1 || lh < 1) return levels;
  GrayImage cur = (lw == src->width && lh == src->height) ? *src : ResizeBilinear(*src, lw, lh);
  double sx = bs * static_cast<double>(lw) / src->width, sy = bs * static_cast<double>(lh) / src->height;
  for (int k = 0; k < 64; ++k) {
    PyramidLevel level;
    level.image = PadReplicate(cur, pad);
    level.scale_x = sx;
    level.scale_y = sy;
    level.pad_px = pad;
    levels.push_back(std::move(level));
    const int nw = static_cast<int>(std::lround(cur.width * model.pyramid_step));
    const int nh = static_cast<int>(std::lround(cur.height * model.pyramid_step));
    if (nw + 2 * pad < win || nh + 2 * pad < win || nw < 2 || nh < 2) break;
    GrayImage next = ResizeBilinear(cur, nw, nh);
    sx *= static_cast<double>(nw) / cur.width;
    sy *= static_cast<double>(nh) / cur.height;
    cur = std::move(next);
  }
  return levels;
}

BoxF WindowToImageBox(const DetectorModel& m, const PyramidLevel& level, float cx, float cy) {
  const double lx = cx * m.cell_size - level.pad_px + m.face_left + 0.5 * m.face_size;
  const double ly = cy * m.cell_size - level.pad_px + m.face_top + 0.5 * m.face_size;
  const double icx = lx / level.scale_x, icy = ly / level.scale_y;
  const double side = 0.5 * (m.face_size / level.scale_x + m.face_size / level.scale_y);
  return BoxF{static_cast<float>(icx - 0.5 * side), static_cast<float>(icy - 0.5 * side),
              static_cast<float>(side), static_cast<float>(side)};
}

void ImageBoxToWindow(const DetectorModel& m, const PyramidLevel& level, const BoxF& box, float* cx,
                      float* cy) {
  const double lx = box.cx() * level.scale_x, ly = box.cy() * level.scale_y;
  *cx = static_cast<float>((lx - 0.5 * m.face_size - m.face_left + level.pad_px) / m.cell_size);
  *cy = static_cast<float>((ly - 0.5 * m.face_size - m.face_top + level.pad_px) / m.cell_size);
}

BoxF CorrectBox(const DetectorComponent& c, const BoxF& b) {
  const float side = b.w * std::exp(c.box_dlog_side);
  const float cx = b.cx() + c.box_dx * b.w, cy = b.cy() + c.box_dy * b.w;
  return BoxF{cx - 0.5f * side, cy - 0.5f * side, side, side};
}

// ---------------------------------------------------------------------------------------------
// Scoring

namespace scan_impl {

void AccumulateRowScalar(const float* filt, int len, const float* hrow, int nx, float* out) {
  for (int x = 0; x < nx; ++x) {
    const float* h = hrow + static_cast<size_t>(x) * kFhogStride;
    float a[4] = {0.f, 0.f, 0.f, 0.f};
    for (int i = 0; i < len; i += 4) {
      a[0] += filt[i] * h[i];
      a[1] += filt[i + 1] * h[i + 1];
      a[2] += filt[i + 2] * h[i + 2];
      a[3] += filt[i + 3] * h[i + 3];
    }
    out[x] += (a[0] + a[1]) + (a[2] + a[3]);
  }
}

void AccumulateRowSse2(const float* filt, int len, const float* hrow, int nx, float* out) {
#if defined(__SSE2__)
  for (int x = 0; x < nx; ++x) {
    const float* h = hrow + static_cast<size_t>(x) * kFhogStride;
    __m128 a0 = _mm_setzero_ps(), a1 = _mm_setzero_ps(), a2 = _mm_setzero_ps(), a3 = _mm_setzero_ps();
    for (int i = 0; i < len; i += 16) {
      a0 = _mm_add_ps(a0, _mm_mul_ps(_mm_loadu_ps(filt + i), _mm_loadu_ps(h + i)));
      a1 = _mm_add_ps(a1, _mm_mul_ps(_mm_loadu_ps(filt + i + 4), _mm_loadu_ps(h + i + 4)));
      a2 = _mm_add_ps(a2, _mm_mul_ps(_mm_loadu_ps(filt + i + 8), _mm_loadu_ps(h + i + 8)));
      a3 = _mm_add_ps(a3, _mm_mul_ps(_mm_loadu_ps(filt + i + 12), _mm_loadu_ps(h + i + 12)));
    }
    __m128 s = _mm_add_ps(_mm_add_ps(a0, a1), _mm_add_ps(a2, a3));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    out[x] += _mm_cvtss_f32(s);
  }
#else
  AccumulateRowScalar(filt, len, hrow, nx, out);
#endif
}

}  // namespace scan_impl

namespace {

SimdLevel ResolveSimd(SimdLevel simd) {
  if (simd != SimdLevel::kAuto) return simd;
  return UseAvx2() ? SimdLevel::kAvx2 : (UseSse2() ? SimdLevel::kSse2 : SimdLevel::kScalar);
}

// N filters scored together by an AVX2 row kernel that keeps N x (positions) accumulators in
// registers; without AVX2 each filter goes through ScoreFilter.
template <int N>
void ScoreFiltersBlocked(const FhogImage& fhog, const float* const* weights, int fw, int fh,
                         std::vector<float>* out, SimdLevel simd,
                         void (*row_kernel)(const float* const*, int, const float*, int, float* const*)) {
  simd = ResolveSimd(simd);
  if (!(simd == SimdLevel::kAvx2 && CpuHasAvx2())) {
    for (int k = 0; k < N; ++k) ScoreFilter(fhog, weights[k], fw, fh, &out[k], simd);
    return;
  }
  const int nx = fhog.cells_x - fw + 1, ny = fhog.cells_y - fh + 1;
  for (int k = 0; k < N; ++k) {
    out[k].clear();
    if (nx > 0 && ny > 0) out[k].assign(static_cast<size_t>(nx) * ny, 0.f);
  }
  if (nx <= 0 || ny <= 0) return;
  const int len = fw * kFhogStride;
  for (int y = 0; y < ny; ++y) {
    for (int fy = 0; fy < fh; ++fy) {
      const float* f[N];
      float* o[N];
      for (int k = 0; k < N; ++k) {
        f[k] = weights[k] + static_cast<size_t>(fy) * len;
        o[k] = out[k].data() + static_cast<size_t>(y) * nx;
      }
      row_kernel(f, len, fhog.cell(0, y + fy), nx, o);
    }
  }
}

}  // namespace

void ScoreFilter(const FhogImage& fhog, const float* weights, int fw, int fh, std::vector<float>* out,
                 SimdLevel simd) {
  const int nx = fhog.cells_x - fw + 1, ny = fhog.cells_y - fh + 1;
  out->clear();
  if (nx <= 0 || ny <= 0) return;
  out->assign(static_cast<size_t>(nx) * ny, 0.f);
  simd = ResolveSimd(simd);
  auto kernel = &scan_impl::AccumulateRowScalar;
  if (simd == SimdLevel::kAvx2 && CpuHasAvx2()) kernel = &scan_impl::AccumulateRowAvx2;
  else if (simd == SimdLevel::kSse2 || simd == SimdLevel::kAvx2) kernel = &scan_impl::AccumulateRowSse2;
  const int len = fw * kFhogStride;
  for (int y = 0; y < ny; ++y) {
    float* o = out->data() + static_cast<size_t>(y) * nx;
    for (int fy = 0; fy < fh; ++fy) {
      kernel(weights + static_cast<size_t>(fy) * len, len, fhog.cell(0, y + fy), nx, o);
    }
  }
}

void ScoreFilters3(const FhogImage& fhog, const float* const* weights, int fw, int fh,
                   std::vector<float>* out3, SimdLevel simd) {
  ScoreFiltersBlocked<3>(fhog, weights, fw, fh, out3, simd, &scan_impl::AccumulateRow3Avx2);
}

void ScoreFilters2(const FhogImage& fhog, const float* const* weights, int fw, int fh,
                   std::vector<float>* out2, SimdLevel simd) {
  ScoreFiltersBlocked<2>(fhog, weights, fw, fh, out2, simd, &scan_impl::AccumulateRow2Avx2);
}

void ExtractWindow(const FhogImage& fhog, int cx, int cy, int fw, int fh, float* out) {
  for (int y = 0; y < fh; ++y) {
    std::memcpy(out + static_cast<size_t>(y) * fw * kFhogStride, fhog.cell(cx, cy + y),
                sizeof(float) * fw * kFhogStride);
  }
}

void ScanLevel(const FhogImage& fhog, const DetectorModel& m, int level_index, float threshold_offset,
               bool local_max_only, std::vector<RawDetection>* out, ScanScratch* scratch) {
  ScanScratch local;
  if (scratch == nullptr) scratch = &local;
  const int nx = fhog.cells_x - m.filter_w + 1, ny = fhog.cells_y - m.filter_h + 1;
  if (nx <= 0 || ny <= 0) return;
  const size_t nc = m.components.size();
  std::vector<std::vector<float>>& maps = scratch->maps;
  maps.resize(nc);
  size_t done = 0;
  for (; done + 3 <= nc; done += 3) {
    const float* w[3] = {m.components[done].weights.data(), m.components[done + 1].weights.data(),
                         m.components[done + 2].weights.data()};
    ScoreFilters3(fhog, w, m.filter_w, m.filter_h, &maps[done]);
  }
  if (done + 2 == nc) {
    const float* w[2] = {m.components[done].weights.data(), m.components[done + 1].weights.data()};
    ScoreFilters2(fhog, w, m.filter_w, m.filter_h, &maps[done]);
    done += 2;
  }
  for (; done < nc; ++done) ScoreFilter(fhog, m.components[done].weights.data(), m.filter_w, m.filter_h, &maps[done]);
  for (size_t ci = 0; ci < nc; ++ci) {
    const DetectorComponent& c = m.components[ci];
    const std::vector<float>& map = maps[ci];
    const float thr = c.threshold + threshold_offset - c.bias;
    for (int y = 0; y < ny; ++y) {
      const float* row = map.data() + static_cast<size_t>(y) * nx;
      for (int x = 0; x < nx; ++x) {
        const float v = row[x];
        if (!(v > thr)) continue;
        auto at = [&](int xx, int yy) {
          return map[static_cast<size_t>(yy) * nx + xx];
        };
        if (local_max_only) {
          bool peak = true;
          for (int dy = -1; dy <= 1 && peak; ++dy) {
            for (int dx = -1; dx <= 1; ++dx) {
              if (dx == 0 && dy == 0) continue;
              const int xx = x + dx, yy = y + dy;
              if (xx < 0 || yy < 0 || xx >= nx || yy >= ny) continue;
              const float n = at(xx, yy);
              // Ties go to the first position in scan order.
              if (n > v || (n == v && (dy < 0 || (dy == 0 && dx < 0)))) {
                peak = false;
                break;
              }
            }
          }
          if (!peak) continue;
        }
        RawDetection d;
        d.level = level_index;
        d.component = static_cast<int>(ci);
        d.cx = x;
        d.cy = y;
        d.response = v + c.bias;
        auto refine = [](float l, float mid, float r) {
          const float den = l - 2.f * mid + r;
          if (!(den < 0.f)) return 0.f;
          const float off = 0.5f * (l - r) / den;
          return std::min(0.5f, std::max(-0.5f, off));
        };
        if (x > 0 && x + 1 < nx) d.sub_x = refine(at(x - 1, y), v, at(x + 1, y));
        if (y > 0 && y + 1 < ny) d.sub_y = refine(at(x, y - 1), v, at(x, y + 1));
        out->push_back(d);
      }
    }
  }
}

std::vector<int> NonMaxSuppression(const std::vector<BoxF>& boxes, const std::vector<float>& scores,
                                   float iou, float contain) {
  std::vector<int> order(boxes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return scores[a] > scores[b]; });
  std::vector<int> kept;
  for (int i : order) {
    const BoxF& b = boxes[i];
    bool keep = true;
    for (int k : kept) {
      const BoxF& a = boxes[k];
      if (BoxIoU(a, b) > iou) { keep = false; break; }
      const float ix = std::max(0.f, std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x));
      const float iy = std::max(0.f, std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y));
      const float smaller = std::min(a.area(), b.area());
      if (smaller > 0.f && ix * iy > contain * smaller) { keep = false; break; }
    }
    if (keep) kept.push_back(i);
  }
  return kept;
}

}  // namespace af
