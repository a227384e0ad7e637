#include "shape/shape_trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/cpu.h"
#include "common/face_box.h"
#include "shape/shape_geometry.h"

namespace af {
namespace shape {

double Uniform01(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

bool FixPupilOrder(Shape90* p) {
  auto centre = [&](int first) {
    PointF c;
    for (int i = first; i < first + 8; ++i) {
      c.x += (*p)[i].x / 8;
      c.y += (*p)[i].y / 8;
    }
    return c;
  };
  auto d2 = [](PointF a, PointF b) { return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y); };
  const PointF le = centre(37), re = centre(45), p88 = (*p)[88], p89 = (*p)[89];
  if (d2(p88, le) + d2(p89, re) <= d2(p88, re) + d2(p89, le)) return false;
  std::swap((*p)[88], (*p)[89]);
  return true;
}

namespace {

constexpr size_t kChunk = 4096;  // fixed work unit: results never depend on the thread count
constexpr double kPi = 3.14159265358979323846;

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  double U() { return Uniform01(gen_()); }
  double U(double lo, double hi) { return lo + (hi - lo) * U(); }
  uint32_t Below(uint64_t n) {
    const uint64_t k = static_cast<uint64_t>(U() * static_cast<double>(n));
    return static_cast<uint32_t>(std::min<uint64_t>(k, n - 1));
  }

 private:
  std::mt19937_64 gen_;
};

// Where a training sample's pixels come from: sample-frame pixel (x, y) → source image pixel
// (m00 x + m01 y + m02, m10 x + m11 y + m12). The sample frame is the augmented (mirrored,
// rotated) view of the face; the init box and the target shape live in it.
struct Sample {
  uint32_t image = 0;
  float m00 = 1, m01 = 0, m02 = 0, m10 = 0, m11 = 1, m12 = 0;
  float bx = 0, by = 0, side = 1;  // init box (square) in the sample frame
  float contrast = 1, bright = 0;
};

struct Candidate {
  uint16_t a = 0, b = 0;
  float t = 0.f;
};

template <typename F>
void ParallelChunks(size_t n, F&& body) {
  const long chunks = static_cast<long>((n + kChunk - 1) / kChunk);
#pragma omp parallel for schedule(dynamic, 1)
  for (long c = 0; c < chunks; ++c) {
    const size_t begin = static_cast<size_t>(c) * kChunk;
    body(static_cast<size_t>(c), begin, std::min(n, begin + kChunk));
  }
}

void Normalise(const Shape90& pts, const BoxF& box, float* out) {
  for (int i = 0; i < kNumPoints; ++i) {
    out[2 * i] = (pts[i].x - box.x) / box.w;
    out[2 * i + 1] = (pts[i].y - box.y) / box.h;
  }
}

// The box a face's initialisations start from: the detector's box when the face has one (mirrored
// with the image), else the point box.
BoxF BaseBox(const TrainFace& f, const Shape90& points, bool mirrored, int width) {
  if (!f.has_init_box) return FaceBoxFromPoints(points);
  BoxF b = f.init_box;
  if (mirrored) b.x = static_cast<float>(width - 1) - (b.x + b.w);
  return b;
}

Shape90 Mirrored(const Shape90& pts, int width) {
  Shape90 out;
  const auto& map = MirrorMap();
  for (int i = 0; i < kNumPoints; ++i) {
    out[map[i]].x = static_cast<float>(width - 1) - pts[i].x;
    out[map[i]].y = pts[i].y;
  }
  return out;
}

// Symmetric eigen-decomposition by cyclic Jacobi rotations. a: n×n row-major (destroyed);
// on return evals[i] and column i of v (row-major n×n) are an eigenpair.
void JacobiEigen(std::vector<double>* a_io, int n, std::vector<double>* evals,
                 std::vector<double>* v_io) {
  std::vector<double>& a = *a_io;
  std::vector<double>& v = *v_io;
  v.assign(static_cast<size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i) v[i * n + i] = 1.0;
  double diag = 0;
  for (int i = 0; i < n; ++i) diag += a[i * n + i] * a[i * n + i];
  for (int sweep = 0; sweep < 60; ++sweep) {
    double off = 0;
    for (int p = 0; p < n; ++p)
      for (int q = p + 1; q < n; ++q) off += a[p * n + q] * a[p * n + q];
    if (off <= 1e-24 * diag || off == 0.0) break;
    for (int p = 0; p < n - 1; ++p) {
      for (int q = p + 1; q < n; ++q) {
        const double apq = a[p * n + q];
        if (std::fabs(apq) < 1e-300) continue;
        const double theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1.0));
        const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
        for (int k = 0; k < n; ++k) {
          const double akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; ++k) {
          const double apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; ++k) {
          const double vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  evals->resize(n);
  for (int i = 0; i < n; ++i) (*evals)[i] = a[i * n + i];
}

class Trainer {
 public:
  Trainer(const std::vector<GrayImage>& images, const std::vector<TrainFace>& faces,
          const ShapeTrainOptions& o, const std::function<void(const std::string&)>& progress)
      : images_(images), faces_(faces), o_(o), progress_(progress), rng_(o.seed) {}

  Status Run(ShapeModel* model, ShapeTrainStats* stats);

 private:
  void Say(const std::string& s) {
    if (progress_) progress_(s);
  }
  void MakeSamples(ShapeTrainStats* stats);
  void MakePool(Level* level);
  void StartLevel(const Level& level);
  void ComputeBasis();
  void ProjectAll();
  void FlushPending();
  void BuildTree(const Level& level, Tree* tree);
  double RmsResidual() const;

  const std::vector<GrayImage>& images_;
  const std::vector<TrainFace>& faces_;
  const ShapeTrainOptions o_;
  std::function<void(const std::string&)> progress_;
  Rng rng_;

  std::array<float, kDims> mean_{};
  size_t n_ = 0;      // samples
  uint32_t k_ = 0;    // projected dimensions
  std::vector<Sample> samples_;
  std::vector<float> target_;  // n × 180, normalised init-box coordinates
  std::vector<float> resid_;   // n × 180, target - current in the frame of the sample's S
  std::vector<float> sim_;     // n × 2, S of the current level (a, b)
  std::vector<uint8_t> feat_;  // n × pool
  std::vector<float> proj_;    // n × k, basis × resid
  std::vector<float> basis_;   // k × 180
  std::vector<uint8_t> node_;  // n, node of the tree being built (local index at its depth)
  std::vector<uint8_t> leaf_prev_;  // n, leaf of the previous tree (pending update)
  bool pending_ = false;
  std::vector<float> pend_leaf_;  // leaves × 180 (dequantised values of the previous tree)
  std::vector<float> pend_proj_;  // leaves × k
  std::vector<float> pool_uv_;    // pool × 2 positions on the mean shape (pair prior)
  double t_split_ = 0, t_leaf_ = 0, t_pca_ = 0, t_feat_ = 0;  // seconds per phase (progress)
};

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void Trainer::MakeSamples(ShapeTrainStats* stats) {
  // Mean shape over faces and their mirrors, each normalised to its own point box.
  std::vector<double> acc(kDims, 0.0);
  std::vector<float> tmp(kDims);
  size_t count = 0;
  for (const TrainFace& f : faces_) {
    for (int m = 0; m < (o_.mirror ? 2 : 1); ++m) {
      const Shape90 p = m ? Mirrored(f.points, images_[f.image].width) : f.points;
      Normalise(p, BaseBox(f, p, m != 0, images_[f.image].width), tmp.data());
      for (int j = 0; j < kDims; ++j) acc[j] += tmp[j];
      ++count;
    }
  }
  for (int j = 0; j < kDims; ++j) mean_[j] = static_cast<float>(acc[j] / count);

  double weight_sum = 0;
  const bool detector_mode =
      std::any_of(faces_.begin(), faces_.end(), [](const TrainFace& f) { return f.has_init_box; });
  for (uint32_t fi = 0; fi < faces_.size(); ++fi) {
    const TrainFace& f = faces_[fi];
    const int width = images_[f.image].width;
    const double yaw_deg = std::fabs(f.yaw) * 180.0 / kPi;
    const double w = std::min<double>(o_.yaw_weight_max, 1.0 + (yaw_deg / 10.0) * (yaw_deg / 10.0));
    weight_sum += w;
    for (int m = 0; m < (o_.mirror ? 2 : 1); ++m) {
      const Shape90 p = m ? Mirrored(f.points, width) : f.points;
      const BoxF pb = FaceBoxFromPoints(p);
      const float cx = pb.cx(), cy = pb.cy();
      const int reps = std::max(1, static_cast<int>(std::floor(o_.oversampling * w + rng_.U())));
      for (int j = 0; j < reps; ++j) {
        Sample s;
        s.image = f.image;
        const double theta =
            j == 0 ? 0.0 : o_.max_rotation_deg * kPi / 180.0 * (rng_.U() + rng_.U() - 1.0);
        const float c = static_cast<float>(std::cos(theta)), sn = static_cast<float>(std::sin(theta));
        // sample → (mirrored) image: r = R(-theta)(q - centre) + centre, then un-mirror.
        s.m00 = c; s.m01 = sn; s.m02 = cx - c * cx - sn * cy;
        s.m10 = -sn; s.m11 = c; s.m12 = cy + sn * cx - c * cy;
        if (m) {
          s.m00 = -s.m00; s.m01 = -s.m01; s.m02 = static_cast<float>(width - 1) - s.m02;
        }
        Shape90 t;
        for (int i = 0; i < kNumPoints; ++i) {
          const float dx = p[i].x - cx, dy = p[i].y - cy;
          t[i].x = cx + c * dx - sn * dy;
          t[i].y = cy + sn * dx + c * dy;
        }
        // Training without detector boxes: the point box of the turned shape, jittered (this path
        // must stay bit-identical: it reproduces models/shape90.afm). With detector boxes (any face
        // has one): the face's base box (detector box, or the unturned point box for faces the
        // detector missed) turns with the face about the same centre, is used as it is for the
        // first initialisation of a detected face, and is jittered for every other one.
        BoxF start = FaceBoxFromPoints(t);
        float ncx = start.cx(), ncy = start.cy();
        if (detector_mode) {
          start = BaseBox(f, p, m != 0, width);
          const float bdx = start.cx() - cx, bdy = start.cy() - cy;
          ncx = cx + c * bdx - sn * bdy;
          ncy = cy + sn * bdx + c * bdy;
        }
        const float side = start.w;
        float nside = side;
        const double jitter_u1 = rng_.U(-1, 1), jitter_u2 = rng_.U(-1, 1), jitter_u3 = rng_.U(-1, 1);
        if (!(f.has_init_box && j == 0)) {
          ncx += static_cast<float>(o_.box_shift * side * jitter_u1);
          ncy += static_cast<float>(o_.box_shift * side * jitter_u2);
          nside = side * static_cast<float>(std::exp(o_.box_scale * jitter_u3));
        }
        const BoxF box{ncx - 0.5f * nside, ncy - 0.5f * nside, nside, nside};
        s.bx = box.x; s.by = box.y; s.side = nside;
        s.contrast = j == 0 ? 1.f : static_cast<float>(std::exp(o_.contrast * rng_.U(-1, 1)));
        s.bright = j == 0 ? 0.f : static_cast<float>(o_.brightness * rng_.U(-1, 1));
        const size_t base = target_.size();
        target_.resize(base + kDims);
        Normalise(t, box, &target_[base]);
        // Initial shape: the mean for the first, a random other face (random mirror) otherwise.
        resid_.resize(base + kDims);
        if (j == 0) {
          for (int d = 0; d < kDims; ++d) resid_[base + d] = target_[base + d] - mean_[d];
        } else {
          const TrainFace& g = faces_[rng_.Below(faces_.size())];
          const bool gm = o_.mirror && rng_.U() < 0.5;
          const Shape90 gp = gm ? Mirrored(g.points, images_[g.image].width) : g.points;
          Normalise(gp, FaceBoxFromPoints(gp), tmp.data());
          for (int d = 0; d < kDims; ++d) resid_[base + d] = target_[base + d] - tmp[d];
        }
        samples_.push_back(s);
      }
    }
  }
  n_ = samples_.size();
  sim_.assign(n_ * 2, 0.f);
  for (size_t i = 0; i < n_; ++i) sim_[2 * i] = 1.f;
  stats->samples = n_;
  stats->mean_weight = faces_.empty() ? 0.0 : weight_sum / faces_.size();
}

void Trainer::MakePool(Level* level) {
  float lo_u = mean_[0], hi_u = mean_[0], lo_v = mean_[1], hi_v = mean_[1];
  for (int i = 0; i < kNumPoints; ++i) {
    lo_u = std::min(lo_u, mean_[2 * i]); hi_u = std::max(hi_u, mean_[2 * i]);
    lo_v = std::min(lo_v, mean_[2 * i + 1]); hi_v = std::max(hi_v, mean_[2 * i + 1]);
  }
  lo_u -= o_.padding; hi_u += o_.padding; lo_v -= o_.padding; hi_v += o_.padding;
  level->pool.resize(o_.pool);
  pool_uv_.resize(2 * o_.pool);
  for (uint32_t p = 0; p < o_.pool; ++p) {
    const float u = static_cast<float>(rng_.U(lo_u, hi_u)), v = static_cast<float>(rng_.U(lo_v, hi_v));
    int best = 0;
    float bd = std::numeric_limits<float>::max();
    for (int i = 0; i < kNumPoints; ++i) {
      const float du = u - mean_[2 * i], dv = v - mean_[2 * i + 1];
      const float d = du * du + dv * dv;
      if (d < bd) { bd = d; best = i; }
    }
    level->pool[p].anchor = static_cast<uint16_t>(best);
    level->pool[p].dx = u - mean_[2 * best];
    level->pool[p].dy = v - mean_[2 * best + 1];
    pool_uv_[2 * p] = u;
    pool_uv_[2 * p + 1] = v;
  }
}

// Recomputes S for every sample from its current shape, extracts the level's features and
// re-expresses the residual in the new frame.
void Trainer::StartLevel(const Level& level) {
  const uint32_t P = o_.pool;
  feat_.resize(n_ * P);
  ParallelChunks(n_, [&](size_t, size_t begin, size_t end) {
    float cur[kDims];
    for (size_t i = begin; i < end; ++i) {
      const Sample& sm = samples_[i];
      const GrayImage& img = images_[sm.image];
      const float* tg = &target_[i * kDims];
      float* r = &resid_[i * kDims];
      const Similarity prev{sim_[2 * i], sim_[2 * i + 1]};
      for (int k = 0; k < kNumPoints; ++k) {
        float dx, dy;
        prev.Apply(r[2 * k], r[2 * k + 1], &dx, &dy);
        cur[2 * k] = tg[2 * k] - dx;
        cur[2 * k + 1] = tg[2 * k + 1] - dy;
      }
      const Similarity s = FitSimilarity(mean_.data(), cur);
      const Similarity si = s.Inverse();
      sim_[2 * i] = s.a;
      sim_[2 * i + 1] = s.b;
      uint8_t* f = &feat_[i * P];
      for (uint32_t p = 0; p < P; ++p) {
        float u, v;
        PlaceFeature(cur, s, level.pool[p], &u, &v);
        const float x = sm.bx + u * sm.side, y = sm.by + v * sm.side;
        const int ix = ClampIndex(sm.m00 * x + sm.m01 * y + sm.m02, img.width);
        const int iy = ClampIndex(sm.m10 * x + sm.m11 * y + sm.m12, img.height);
        const float val = sm.contrast * img.at(ix, iy) + sm.bright;
        f[p] = static_cast<uint8_t>(std::min(255.f, std::max(0.f, std::nearbyint(val))));
      }
      for (int k = 0; k < kNumPoints; ++k) {
        si.Apply(tg[2 * k] - cur[2 * k], tg[2 * k + 1] - cur[2 * k + 1], &r[2 * k], &r[2 * k + 1]);
      }
    }
  });
}

void Trainer::ComputeBasis() {
  const size_t ns = std::min<size_t>(n_, std::max<uint32_t>(o_.pca_samples, 1));
  std::vector<float> xt(static_cast<size_t>(kDims) * ns);
  for (size_t s = 0; s < ns; ++s) {
    const size_t i = s * n_ / ns;
    for (int d = 0; d < kDims; ++d) xt[d * ns + s] = resid_[i * kDims + d];
  }
  std::vector<double> cov(static_cast<size_t>(kDims) * kDims);
#pragma omp parallel for schedule(dynamic, 1)
  for (int a = 0; a < kDims; ++a) {
    const float* xa = &xt[a * ns];
    for (int b = a; b < kDims; ++b) {
      const float* xb = &xt[b * ns];
      double sum = 0;
      for (size_t s0 = 0; s0 < ns; s0 += 256) {
        float part = 0;
        const size_t s1 = std::min(ns, s0 + 256);
        for (size_t s = s0; s < s1; ++s) part += xa[s] * xb[s];
        sum += part;
      }
      cov[a * kDims + b] = sum;
      cov[b * kDims + a] = sum;
    }
  }
  std::vector<double> evals, vecs;
  JacobiEigen(&cov, kDims, &evals, &vecs);
  std::vector<int> order(kDims);
  for (int i = 0; i < kDims; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return evals[x] > evals[y]; });
  basis_.assign(static_cast<size_t>(k_) * kDims, 0.f);
  for (uint32_t c = 0; c < k_; ++c) {
    for (int d = 0; d < kDims; ++d) basis_[c * kDims + d] = static_cast<float>(vecs[d * kDims + order[c]]);
  }
}

void Trainer::ProjectAll() {
  proj_.resize(n_ * k_);
  ParallelChunks(n_, [&](size_t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const float* r = &resid_[i * kDims];
      for (uint32_t c = 0; c < k_; ++c) {
        const float* bv = &basis_[c * kDims];
        float s = 0;
        for (int d = 0; d < kDims; ++d) s += bv[d] * r[d];
        proj_[i * k_ + c] = s;
      }
    }
  });
}

// Applies the previous tree's leaves to the residuals (the projections are already updated).
void Trainer::FlushPending() {
  if (!pending_) return;
  ParallelChunks(n_, [&](size_t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const float* lv = &pend_leaf_[leaf_prev_[i] * kDims];
      float* r = &resid_[i * kDims];
      for (int d = 0; d < kDims; ++d) r[d] -= lv[d];
    }
  });
  pending_ = false;
}

void Trainer::BuildTree(const Level& level, Tree* tree) {
  const uint32_t P = o_.pool, C = o_.splits, K = k_, D = o_.depth;
  const uint32_t leaves = 1u << D;
  const size_t chunks = (n_ + kChunk - 1) / kChunk;
  tree->splits.assign(leaves - 1, SplitNode{});
  std::vector<Candidate> best_prev;  // chosen split per node of the previous depth
  std::vector<float> sums;
  std::vector<uint32_t> counts;
  const auto t_build = std::chrono::steady_clock::now();
  for (uint32_t d = 0; d < D; ++d) {
    const uint32_t nn = 1u << d;
    // Draw candidates (serial, seeded). Node membership is that of depth d, which the scoring pass
    // below establishes from best_prev; for threshold sampling we need it now, so depth > 0
    // membership is updated first (a cheap pass over node_).
    if (d > 0) {
      ParallelChunks(n_, [&](size_t, size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
          const Candidate& c = best_prev[node_[i]];
          const uint8_t* f = &feat_[i * P];
          const bool left = static_cast<float>(static_cast<int>(f[c.a]) - f[c.b]) > c.t;
          node_[i] = static_cast<uint8_t>(2 * node_[i] + (left ? 0 : 1));
        }
      });
    }
    std::vector<Candidate> cands(static_cast<size_t>(nn) * C);
    for (uint32_t k = 0; k < nn; ++k) {
      for (uint32_t c = 0; c < C; ++c) {
        Candidate& cd = cands[k * C + c];
        uint32_t a = 0, b = 1;
        for (int tries = 0; tries < 10000; ++tries) {
          a = rng_.Below(P);
          b = rng_.Below(P);
          if (a == b) continue;
          const float du = pool_uv_[2 * a] - pool_uv_[2 * b], dv = pool_uv_[2 * a + 1] - pool_uv_[2 * b + 1];
          const double dist = std::sqrt(du * du + dv * dv);
          if (rng_.U() < std::exp(-dist / o_.lambda)) break;
        }
        if (a == b) b = (a + 1) % P;
        cd.a = static_cast<uint16_t>(a);
        cd.b = static_cast<uint16_t>(b);
        bool found = false;
        for (int tries = 0; tries < 256 && n_ > 0; ++tries) {
          const uint32_t i = rng_.Below(n_);
          if (node_[i] != k) continue;
          const int diff = static_cast<int>(feat_[i * P + a]) - feat_[i * P + b];
          cd.t = static_cast<float>(diff) + (rng_.U() < 0.5 ? -0.5f : 0.5f);
          found = true;
          break;
        }
        if (!found) cd.t = static_cast<float>(std::floor(rng_.U(-64, 64))) + 0.5f;
      }
    }
    // Score: left sums of the projected residual per (node, candidate) + node totals.
    // Candidates go in blocks of 4: each sample adds its projection once per block, into the
    // bucket of its 4-bit left/right pattern (4× fewer adds than one masked add per candidate);
    // the per-candidate left sums are then sums over the patterns with that candidate's bit set.
    const uint32_t nb = (C + 3) / 4;
    const size_t bstride = static_cast<size_t>(nn) * nb * 16;  // buckets per chunk
    sums.assign(chunks * bstride * K, 0.f);
    counts.assign(chunks * bstride, 0);
    ParallelChunks(n_, [&](size_t ch, size_t begin, size_t end) {
      float* sm = &sums[ch * bstride * K];
      uint32_t* cn = &counts[ch * bstride];
      for (size_t i = begin; i < end; ++i) {
        const uint32_t k = node_[i];
        const uint8_t* f = &feat_[i * P];
        const float* z = &proj_[i * K];
        const Candidate* cd = &cands[k * C];
        for (uint32_t bl = 0; bl < nb; ++bl) {
          uint32_t pattern = 0;
          for (uint32_t j = 0; j < 4 && 4 * bl + j < C; ++j) {
            const Candidate& c = cd[4 * bl + j];
            pattern |= (static_cast<float>(static_cast<int>(f[c.a]) - f[c.b]) > c.t ? 1u : 0u) << j;
          }
          const size_t bucket = (static_cast<size_t>(k) * nb + bl) * 16 + pattern;
          float* row = sm + bucket * K;
          for (uint32_t q = 0; q < K; ++q) row[q] += z[q];
          cn[bucket] += 1;
        }
      }
    });
    std::vector<double> btotal(bstride * K, 0.0);
    std::vector<uint64_t> bcount(bstride, 0);
    for (size_t ch = 0; ch < chunks; ++ch) {
      const float* sm = &sums[ch * bstride * K];
      for (size_t j = 0; j < bstride * K; ++j) btotal[j] += sm[j];
      for (size_t j = 0; j < bstride; ++j) bcount[j] += counts[ch * bstride + j];
    }
    const size_t stride = static_cast<size_t>(nn) * (C + 1);
    std::vector<double> total(stride * K, 0.0);
    std::vector<uint64_t> tcount(stride, 0);
    for (uint32_t k = 0; k < nn; ++k) {
      for (uint32_t c = 0; c <= C; ++c) {
        const uint32_t bl = c < C ? c / 4 : 0, bit = c < C ? c % 4 : 0;
        double* out = &total[(static_cast<size_t>(k) * (C + 1) + c) * K];
        uint64_t& oc = tcount[static_cast<size_t>(k) * (C + 1) + c];
        for (uint32_t pattern = 0; pattern < 16; ++pattern) {
          if (c < C && !(pattern & (1u << bit))) continue;
          const size_t bucket = (static_cast<size_t>(k) * nb + bl) * 16 + pattern;
          for (uint32_t q = 0; q < K; ++q) out[q] += btotal[bucket * K + q];
          oc += bcount[bucket];
        }
      }
    }
    best_prev.assign(nn, Candidate{});
    for (uint32_t k = 0; k < nn; ++k) {
      const double* base = &total[static_cast<size_t>(k) * (C + 1) * K];
      const uint64_t* cb = &tcount[static_cast<size_t>(k) * (C + 1)];
      const double* tot = base + C * K;
      const uint64_t n = cb[C];
      double best = -1;
      uint32_t best_c = 0;
      for (uint32_t c = 0; c < C; ++c) {
        const uint64_t nl = cb[c];
        if (nl == 0 || nl == n) continue;
        double l2 = 0, r2 = 0;
        for (uint32_t q = 0; q < K; ++q) {
          const double l = base[c * K + q], r = tot[q] - l;
          l2 += l * l;
          r2 += r * r;
        }
        const double score = l2 / nl + r2 / (n - nl);
        if (score > best) { best = score; best_c = c; }
      }
      best_prev[k] = cands[k * C + best_c];
      SplitNode& sn = tree->splits[(nn - 1) + k];
      sn.a = best_prev[k].a;
      sn.b = best_prev[k].b;
      sn.threshold = best_prev[k].t;
    }
  }
  t_split_ += Since(t_build);
  const auto t_leaves = std::chrono::steady_clock::now();
  // Final pass: leaf of each sample; apply the previous tree's pending update to the residuals;
  // sum residuals per leaf.
  std::vector<float> lsum(chunks * leaves * kDims, 0.f);
  std::vector<uint32_t> lcount(chunks * leaves, 0);
  ParallelChunks(n_, [&](size_t ch, size_t begin, size_t end) {
    float* ls = &lsum[ch * leaves * kDims];
    uint32_t* lc = &lcount[ch * leaves];
    for (size_t i = begin; i < end; ++i) {
      const Candidate& c = best_prev[node_[i]];
      const uint8_t* f = &feat_[i * P];
      const bool left = static_cast<float>(static_cast<int>(f[c.a]) - f[c.b]) > c.t;
      const uint32_t leaf = 2 * node_[i] + (left ? 0 : 1);
      float* r = &resid_[i * kDims];
      if (pending_) {
        const float* lv = &pend_leaf_[leaf_prev_[i] * kDims];
        for (int d = 0; d < kDims; ++d) r[d] -= lv[d];
      }
      float* acc = ls + static_cast<size_t>(leaf) * kDims;
      for (int d = 0; d < kDims; ++d) acc[d] += r[d];
      lc[leaf] += 1;
      leaf_prev_[i] = static_cast<uint8_t>(leaf);
      node_[i] = 0;  // ready for the next tree
    }
  });
  std::vector<double> total(static_cast<size_t>(leaves) * kDims, 0.0);
  std::vector<uint64_t> tcount(leaves, 0);
  for (size_t ch = 0; ch < chunks; ++ch) {
    for (size_t j = 0; j < total.size(); ++j) total[j] += lsum[ch * leaves * kDims + j];
    for (uint32_t j = 0; j < leaves; ++j) tcount[j] += lcount[ch * leaves + j];
  }
  tree->leaves.assign(static_cast<size_t>(leaves) * kLeafStride, 0);
  pend_leaf_.assign(static_cast<size_t>(leaves) * kDims, 0.f);
  pend_proj_.assign(static_cast<size_t>(leaves) * K, 0.f);
  for (uint32_t j = 0; j < leaves; ++j) {
    float v[kDims];
    float mx = 0.f;
    for (int d = 0; d < kDims; ++d) {
      v[d] = tcount[j] ? static_cast<float>(o_.nu * total[j * kDims + d] / tcount[j]) : 0.f;
      mx = std::max(mx, std::fabs(v[d]));
    }
    int8_t* rec = &tree->leaves[static_cast<size_t>(j) * kLeafStride];
    const float scale = mx > 0.f ? mx / 127.f : 0.f;
    SetLeafScale(rec, scale);
    for (int d = 0; d < kDims; ++d) {
      const float q = scale > 0.f ? std::nearbyint(v[d] / scale) : 0.f;
      rec[d] = static_cast<int8_t>(std::max(-127.f, std::min(127.f, q)));
      pend_leaf_[j * kDims + d] = scale * static_cast<float>(rec[d]);
    }
    for (uint32_t c = 0; c < K; ++c) {
      float s = 0;
      for (int d = 0; d < kDims; ++d) s += basis_[c * kDims + d] * pend_leaf_[j * kDims + d];
      pend_proj_[j * K + c] = s;
    }
  }
  pending_ = true;
  // Keep the projections current for the next tree's split search.
  ParallelChunks(n_, [&](size_t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const float* pz = &pend_proj_[leaf_prev_[i] * K];
      float* z = &proj_[i * K];
      for (uint32_t q = 0; q < K; ++q) z[q] -= pz[q];
    }
  });
  (void)level;
  t_leaf_ += Since(t_leaves);
}

double Trainer::RmsResidual() const {
  double s = 0;
  for (float r : resid_) s += static_cast<double>(r) * r;
  return n_ ? std::sqrt(s / (n_ * kNumPoints)) : 0.0;
}

Status Trainer::Run(ShapeModel* model, ShapeTrainStats* stats) {
  const auto t0 = std::chrono::steady_clock::now();
  MakeSamples(stats);
  if (n_ == 0) return Status(ErrorCode::kInvalidParameter, "TrainShapeModel: no training samples");
  if (n_ > 0xFFFFFFFFull) return Status(ErrorCode::kInvalidParameter, "TrainShapeModel: too many samples");
  k_ = (o_.pca == 0 || o_.pca > static_cast<uint32_t>(kDims)) ? kDims : o_.pca;
  {
    std::ostringstream s;
    s << "samples " << n_ << " from " << faces_.size() << " faces (mean |yaw| weight "
      << stats->mean_weight << "), initial rms " << RmsResidual();
    Say(s.str());
  }
  node_.assign(n_, 0);
  leaf_prev_.assign(n_, 0);
  ShapeModel m;
  m.cascade = o_.cascade;
  m.trees = o_.trees;
  m.depth = o_.depth;
  m.pool = o_.pool;
  m.nu = o_.nu;
  m.mean = mean_;
  m.levels.resize(o_.cascade);
  for (uint32_t l = 0; l < o_.cascade; ++l) {
    const auto tl = std::chrono::steady_clock::now();
    Level& level = m.levels[l];
    MakePool(&level);
    auto tp = std::chrono::steady_clock::now();
    StartLevel(level);
    t_feat_ += Since(tp);
    level.trees.resize(o_.trees);
    for (uint32_t t = 0; t < o_.trees; ++t) {
      if (t == 0 || (o_.pca_refresh > 0 && t % o_.pca_refresh == 0)) {
        tp = std::chrono::steady_clock::now();
        FlushPending();
        ComputeBasis();
        ProjectAll();
        t_pca_ += Since(tp);
      }
      BuildTree(level, &level.trees[t]);
    }
    FlushPending();
    stats->level_rms.push_back(RmsResidual());
    std::ostringstream s;
    s << "level " << (l + 1) << "/" << o_.cascade << ": rms " << stats->level_rms.back() << " ("
      << Since(tl) << " s; so far features " << t_feat_ << " s, pca " << t_pca_ << " s, splits "
      << t_split_ << " s, leaves " << t_leaf_ << " s)";
    Say(s.str());
  }
  *model = std::move(m);
  stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return Status::Ok();
}

}  // namespace

Status TrainShapeModel(const std::vector<GrayImage>& images, const std::vector<TrainFace>& faces,
                       const ShapeTrainOptions& o, ShapeModel* model, ShapeTrainStats* stats,
                       const std::function<void(const std::string&)>& progress) {
  auto bad = [](const std::string& what) {
    return Status(ErrorCode::kInvalidParameter, "TrainShapeModel: " + what);
  };
  if (model == nullptr) return bad("null model");
#if defined(AF_TRAINER_AVX2)
  if (!CpuHasAvx2()) return bad("this trainer build needs a CPU with AVX2 and FMA");
#endif
  if (o.cascade < 1 || o.cascade > kMaxCascade) return bad("cascade must be in 1..64");
  if (o.trees < 1 || o.trees > kMaxTrees) return bad("trees must be in 1..4096");
  if (o.depth < 1 || o.depth > kMaxDepth) return bad("depth must be in 1..8");
  if (o.pool < 2 || o.pool > kMaxPool) return bad("pool must be in 2..4096");
  if (o.splits < 1 || o.splits > 1000) return bad("splits must be in 1..1000");
  if (!(o.nu > 0.f && o.nu <= 1.f)) return bad("nu must be in (0, 1]");
  if (!(o.lambda > 0.f)) return bad("lambda must be > 0");
  if (!(o.oversampling >= 1.f && o.oversampling <= 1000.f)) return bad("oversampling must be in 1..1000");
  if (!(o.padding >= 0.f && o.padding < 2.f)) return bad("padding must be in [0, 2)");
  if (faces.empty()) return bad("no faces");
  for (const TrainFace& f : faces) {
    if (f.image >= images.size() || images[f.image].empty()) return bad("face refers to a missing image");
    const BoxF b = FaceBoxFromPoints(f.points);
    if (!(b.w > 1.f) || !std::isfinite(b.x) || !std::isfinite(b.y)) return bad("degenerate face shape");
  }
#ifdef _OPENMP
  if (o.threads > 0) omp_set_num_threads(o.threads);
#endif
  ShapeTrainStats local;
  Trainer trainer(images, faces, o, progress);
  return trainer.Run(model, stats ? stats : &local);
}

}  // namespace shape
}  // namespace af
