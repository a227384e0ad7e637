#include "shape/head_turn.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "shape/shape_geometry.h"

namespace af {
namespace shape {
namespace {

// The face frame of a shape: centroid, unit vector along the outer eye corners, their distance.
struct FaceFrame {
  double cx = 0, cy = 0, ux = 1, uy = 0, scale = 0;
};

FaceFrame FrameOf(const Shape90& p) {
  FaceFrame f;
  for (const PointF& q : p) { f.cx += q.x; f.cy += q.y; }
  f.cx /= kNumPoints;
  f.cy /= kNumPoints;
  const double ex = p[45].x - p[37].x, ey = p[45].y - p[37].y;
  f.scale = std::hypot(ex, ey);
  if (f.scale > 1e-6) { f.ux = ex / f.scale; f.uy = ey / f.scale; }
  return f;
}

// Solves A x = B in place (n x n, `rhs` right-hand sides stored column-wise after A's columns in
// each row), Gaussian elimination with partial pivoting. Returns false when A is singular.
bool SolveInPlace(std::vector<double>* m, int n, int rhs) {
  const int w = n + rhs;
  std::vector<double>& a = *m;
  for (int c = 0; c < n; ++c) {
    int piv = c;
    for (int r = c + 1; r < n; ++r) if (std::fabs(a[r * w + c]) > std::fabs(a[piv * w + c])) piv = r;
    if (std::fabs(a[piv * w + c]) < 1e-12) return false;
    if (piv != c) for (int k = 0; k < w; ++k) std::swap(a[c * w + k], a[piv * w + k]);
    const double inv = 1.0 / a[c * w + c];
    for (int r = 0; r < n; ++r) {
      if (r == c) continue;
      const double f = a[r * w + c] * inv;
      if (f == 0) continue;
      for (int k = c; k < w; ++k) a[r * w + k] -= f * a[c * w + k];
    }
  }
  for (int r = 0; r < n; ++r) {
    const double inv = 1.0 / a[r * w + r];
    for (int k = n; k < w; ++k) a[r * w + k] *= inv;
  }
  return true;
}

double TpsKernel(double r2) { return r2 > 1e-20 ? r2 * std::log(r2) : 0.0; }

}  // namespace

HeadTurnModel FitHeadTurnModel(const std::vector<TrainFace>& faces) {
  HeadTurnModel model;
  double xtx[3][3] = {};
  std::vector<std::array<double, 3>> xty(2 * kNumPoints, std::array<double, 3>{});
  const auto& mirror = MirrorMap();
  for (const TrainFace& face : faces) {
    for (int m = 0; m < 2; ++m) {
      Shape90 p = face.points;
      float yaw = face.yaw;
      if (m == 1) {
        for (int k = 0; k < kNumPoints; ++k) p[k] = PointF{-face.points[mirror[k]].x, face.points[mirror[k]].y};
        yaw = -yaw;
      }
      const FaceFrame f = FrameOf(p);
      if (f.scale < 1e-3) continue;
      const double s = std::sin(yaw), row[3] = {1.0, s, s * s};
      for (int i = 0; i < 3; ++i) for (int j = 0; j < 3; ++j) xtx[i][j] += row[i] * row[j];
      for (int k = 0; k < kNumPoints; ++k) {
        const double dx = p[k].x - f.cx, dy = p[k].y - f.cy;
        const double lx = (dx * f.ux + dy * f.uy) / f.scale, ly = (-dx * f.uy + dy * f.ux) / f.scale;
        for (int i = 0; i < 3; ++i) { xty[2 * k][i] += row[i] * lx; xty[2 * k + 1][i] += row[i] * ly; }
      }
      ++model.faces;
    }
  }
  std::vector<double> sys(3 * (3 + 2 * kNumPoints));
  const int w = 3 + 2 * kNumPoints;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) sys[i * w + j] = xtx[i][j] + (i == j ? 1e-9 : 0.0);
    for (int c = 0; c < 2 * kNumPoints; ++c) sys[i * w + 3 + c] = xty[c][i];
  }
  if (model.faces == 0 || !SolveInPlace(&sys, 3, 2 * kNumPoints)) {
    model.faces = 0;
    return model;
  }
  for (int c = 0; c < 2 * kNumPoints; ++c) for (int i = 0; i < 3; ++i) model.coef[c][i] = sys[i * w + 3 + c];
  return model;
}

Shape90 TurnPoints(const HeadTurnModel& model, const Shape90& points, float from, float to) {
  const FaceFrame f = FrameOf(points);
  const double s0 = std::sin(from), s1 = std::sin(to);
  Shape90 out = points;
  for (int k = 0; k < kNumPoints; ++k) {
    const auto& cx = model.coef[2 * k];
    const auto& cy = model.coef[2 * k + 1];
    const double lx = cx[1] * (s1 - s0) + cx[2] * (s1 * s1 - s0 * s0);
    const double ly = cy[1] * (s1 - s0) + cy[2] * (s1 * s1 - s0 * s0);
    out[k].x = static_cast<float>(points[k].x + f.scale * (lx * f.ux - ly * f.uy));
    out[k].y = static_cast<float>(points[k].y + f.scale * (lx * f.uy + ly * f.ux));
  }
  return out;
}

GrayImage WarpFace(const GrayImage& src, const Shape90& before, const Shape90& after) {
  if (src.width < 2 || src.height < 2) return src;
  // Controls: where each output position (after) samples the source (before). Coordinates are
  // divided by the image size to keep the system well scaled.
  const double norm = std::max(src.width, src.height);
  std::vector<double> ax, ay, bx, by;
  auto add = [&](double x_after, double y_after, double x_before, double y_before) {
    const double xa = x_after / norm, ya = y_after / norm;
    for (size_t i = 0; i < ax.size(); ++i) {
      if (std::hypot(ax[i] - xa, ay[i] - ya) * norm < 1.0) return;  // coincident (closed mouth)
    }
    ax.push_back(xa);
    ay.push_back(ya);
    bx.push_back(x_before / norm);
    by.push_back(y_before / norm);
  };
  for (int k = 0; k < kNumPoints; ++k) add(after[k].x, after[k].y, before[k].x, before[k].y);
  const FaceFrame f = FrameOf(before);
  double extent = 0;
  for (const PointF& p : before) extent = std::max(extent, std::hypot(p.x - f.cx, p.y - f.cy));
  constexpr int kRing = 16;
  for (int i = 0; i < kRing; ++i) {
    const double a = 2 * 3.14159265358979 * i / kRing;
    const double x = f.cx + 1.5 * extent * std::cos(a), y = f.cy + 1.5 * extent * std::sin(a);
    add(x, y, x, y);
  }
  const double W = src.width - 1, H = src.height - 1;
  const double fixed[8][2] = {{0, 0}, {W, 0}, {0, H}, {W, H}, {W / 2, 0}, {W / 2, H}, {0, H / 2}, {W, H / 2}};
  for (const auto& p : fixed) add(p[0], p[1], p[0], p[1]);

  const int n = static_cast<int>(ax.size()), m = n + 3, w = m + 2;
  std::vector<double> sys(static_cast<size_t>(m) * w, 0.0);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      const double dx = ax[i] - ax[j], dy = ay[i] - ay[j];
      sys[i * w + j] = TpsKernel(dx * dx + dy * dy) + (i == j ? 1e-6 : 0.0);
    }
    const double pr[3] = {1.0, ax[i], ay[i]};
    for (int k = 0; k < 3; ++k) { sys[i * w + n + k] = pr[k]; sys[(n + k) * w + i] = pr[k]; }
    sys[i * w + m] = bx[i];
    sys[i * w + m + 1] = by[i];
  }
  if (!SolveInPlace(&sys, m, 2)) return src;
  auto map = [&](double x, double y, double* sx, double* sy) {
    const double xn = x / norm, yn = y / norm;
    double rx = sys[n * w + m] + sys[(n + 1) * w + m] * xn + sys[(n + 2) * w + m] * yn;
    double ry = sys[n * w + m + 1] + sys[(n + 1) * w + m + 1] * xn + sys[(n + 2) * w + m + 1] * yn;
    for (int i = 0; i < n; ++i) {
      const double dx = xn - ax[i], dy = yn - ay[i];
      const double u = TpsKernel(dx * dx + dy * dy);
      rx += sys[i * w + m] * u;
      ry += sys[i * w + m + 1] * u;
    }
    *sx = rx * norm;
    *sy = ry * norm;
  };
  // The spline is smooth: evaluate it on a 4-px grid and interpolate between the nodes.
  constexpr int kStep = 4;
  const int gw = (src.width - 1 + kStep - 1) / kStep + 1, gh = (src.height - 1 + kStep - 1) / kStep + 1;
  std::vector<double> gx(static_cast<size_t>(gw) * gh), gy(gx.size());
  for (int j = 0; j < gh; ++j) {
    for (int i = 0; i < gw; ++i) {
      map(std::min(i * kStep, src.width - 1), std::min(j * kStep, src.height - 1), &gx[j * gw + i], &gy[j * gw + i]);
    }
  }
  GrayImage out;
  out.width = src.width;
  out.height = src.height;
  out.pixels.resize(src.pixels.size());
  for (int y = 0; y < src.height; ++y) {
    const int j = std::min(y / kStep, gh - 2);
    const double y0 = j * kStep, y1 = std::min((j + 1) * kStep, src.height - 1);
    const double ty = y1 > y0 ? (y - y0) / (y1 - y0) : 0.0;
    for (int x = 0; x < src.width; ++x) {
      const int i = std::min(x / kStep, gw - 2);
      const double x0 = i * kStep, x1 = std::min((i + 1) * kStep, src.width - 1);
      const double tx = x1 > x0 ? (x - x0) / (x1 - x0) : 0.0;
      auto lerp2 = [&](const std::vector<double>& g) {
        const double top = g[j * gw + i] * (1 - tx) + g[j * gw + i + 1] * tx;
        const double bot = g[(j + 1) * gw + i] * (1 - tx) + g[(j + 1) * gw + i + 1] * tx;
        return top * (1 - ty) + bot * ty;
      };
      const double sx = std::min(std::max(lerp2(gx), 0.0), W), sy = std::min(std::max(lerp2(gy), 0.0), H);
      const int x0i = std::min(static_cast<int>(sx), src.width - 2), y0i = std::min(static_cast<int>(sy), src.height - 2);
      const double fx = sx - x0i, fy = sy - y0i;
      const double v = (1 - fx) * (1 - fy) * src.at(x0i, y0i) + fx * (1 - fy) * src.at(x0i + 1, y0i) +
                       (1 - fx) * fy * src.at(x0i, y0i + 1) + fx * fy * src.at(x0i + 1, y0i + 1);
      out.pixels[static_cast<size_t>(y) * out.width + x] = static_cast<uint8_t>(std::min(255.0, v + 0.5));
    }
  }
  return out;
}

}  // namespace shape
}  // namespace af
