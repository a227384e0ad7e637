// Detector model format: round trip, and every kind of damage is refused with kModelInvalid
// (never a crash). Detection is deterministic and independent of the thread count.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "../check.h"
#include "common/model_file.h"
#include "detect/face_detector.h"
#include "detect/scan.h"

using namespace af;

namespace {

DetectorModel MakeModel(uint32_t seed, int components = 3) {
  DetectorModel m;
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd(0.f, 0.05f);
  for (int c = 0; c < components; ++c) {
    DetectorComponent k;
    k.mirror_of = (c == 2 || c == 4) ? c - 1 : -1;
    k.bias = -1.5f + 0.1f * c;
    k.threshold = 0.25f;
    k.box_dx = 0.01f * c;
    k.box_dy = -0.02f;
    k.box_dlog_side = 0.03f;
    k.weights.assign(m.filter_floats(), 0.f);
    for (size_t i = 0; i < k.weights.size(); ++i) {
      if (i % kFhogStride != kFhogChannels) k.weights[i] = nd(rng);
    }
    m.components.push_back(k);
  }
  return m;
}

// Rewraps a (possibly modified) payload with a valid container, so the payload checks are hit.
std::vector<uint8_t> Wrap(const std::vector<uint8_t>& payload, uint32_t version = kDetectorFormatVersion) {
  ModelHeader h;
  h.kind = ModelKind::kFaceDetector;
  h.format_version = version;
  return WriteModelFile(h, payload);
}

bool Refused(const std::vector<uint8_t>& file) {
  std::shared_ptr<const FaceDetector> d;
  const Status s = FaceDetector::LoadFromMemory(file.data(), file.size(), &d);
  return !s.ok() && s.code() == ErrorCode::kModelInvalid && d == nullptr;
}

void TestRoundTrip() {
  const DetectorModel m = MakeModel(1);
  const std::vector<uint8_t> file = SerializeDetectorFile(m);
  DetectorModel back;
  CHECK(ParseDetectorFile(file.data(), file.size(), &back).ok());
  CHECK(back.components.size() == 3);
  CHECK(back.components[1].weights == m.components[1].weights);
  CHECK(back.components[2].mirror_of == 1);
  CHECK(back.components[0].bias == m.components[0].bias);
  CHECK(SerializeDetectorFile(back) == file);
  std::shared_ptr<const FaceDetector> d;
  CHECK(FaceDetector::LoadFromMemory(file.data(), file.size(), &d).ok() && d != nullptr);
  CHECK(file.size() < 2u * 1024 * 1024);
}

// Five components (frontal, turned pair, rotated pair: the shipped layout): round trip, and the
// scan's score of every window of every component equals its own filter response + bias (the
// scan scores them in a group of three and a group of two).
void TestFiveComponents() {
  const DetectorModel m = MakeModel(4, 5);
  const std::vector<uint8_t> file = SerializeDetectorFile(m);
  DetectorModel back;
  CHECK(ParseDetectorFile(file.data(), file.size(), &back).ok());
  CHECK(back.components.size() == 5);
  CHECK(back.components[4].mirror_of == 3 && back.components[3].mirror_of == -1);
  CHECK(back.components[4].weights == m.components[4].weights);
  GrayImage img;
  img.width = 160;
  img.height = 120;
  img.pixels.resize(160 * 120);
  std::mt19937 rng(6);
  for (auto& p : img.pixels) p = static_cast<uint8_t>(rng());
  FhogImage f;
  ComputeFhog(img, &f);
  std::vector<RawDetection> dets;
  ScanLevel(f, back, 0, -1e30f, false, &dets);
  const size_t per = static_cast<size_t>(f.cells_x - back.filter_w + 1) * (f.cells_y - back.filter_h + 1);
  CHECK(dets.size() == 5 * per);
  std::vector<std::vector<float>> maps(5);
  for (int c = 0; c < 5; ++c) ScoreFilter(f, back.components[c].weights.data(), back.filter_w, back.filter_h, &maps[c], SimdLevel::kScalar);
  float worst = 0.f;
  int comps_seen[5] = {0, 0, 0, 0, 0};
  const int nx = f.cells_x - back.filter_w + 1;
  for (const RawDetection& d : dets) {
    CHECK(d.component >= 0 && d.component < 5);
    if (d.component < 0 || d.component >= 5) continue;
    ++comps_seen[d.component];
    const float want = maps[d.component][static_cast<size_t>(d.cy) * nx + d.cx] + back.components[d.component].bias;
    worst = std::max(worst, std::fabs(want - d.response));
  }
  CHECK(worst < 1e-3f);
  for (int c = 0; c < 5; ++c) CHECK(comps_seen[c] == static_cast<int>(per));
}

void TestDamage() {
  const DetectorModel m = MakeModel(2);
  const std::vector<uint8_t> file = SerializeDetectorFile(m);
  const std::vector<uint8_t> payload = SerializeDetectorPayload(m);
  // Truncated anywhere (container and payload).
  int refused = 0, tried = 0;
  for (size_t n = 0; n < file.size(); n += (n < 200 ? 1 : 997)) {
    ++tried;
    refused += Refused(std::vector<uint8_t>(file.begin(), file.begin() + n));
  }
  CHECK(refused == tried);
  refused = tried = 0;
  for (size_t n = 0; n < payload.size(); n += (n < 200 ? 1 : 997)) {
    ++tried;
    refused += Refused(Wrap(std::vector<uint8_t>(payload.begin(), payload.begin() + n)));
  }
  CHECK(refused == tried);
  // A flipped payload byte breaks the checksum.
  std::vector<uint8_t> bad = file;
  bad[100] ^= 0x40;
  CHECK(Refused(bad));
  // Wrong kind.
  ModelHeader h;
  h.kind = ModelKind::kShapePredictor;
  h.format_version = 1;
  CHECK(Refused(WriteModelFile(h, payload)));
  // Unknown format version.
  CHECK(Refused(Wrap(payload, 99)));
  // Trailing bytes.
  std::vector<uint8_t> longer = payload;
  longer.push_back(0);
  CHECK(Refused(Wrap(longer)));
  // Non-finite weight / geometry / parameters.
  auto with = [&](size_t offset, float v) {
    std::vector<uint8_t> p = payload;
    std::memcpy(p.data() + offset, &v, 4);
    return Wrap(p);
  };
  const size_t comp0 = 12 * 4;  // header is 12 four-byte fields
  CHECK(Refused(with(comp0 + 7 * 4 + 40, std::numeric_limits<float>::quiet_NaN())));
  CHECK(Refused(with(comp0 + 2 * 4, std::numeric_limits<float>::infinity())));  // bias
  CHECK(Refused(with(7 * 4, 500.f)));   // face size larger than the window
  CHECK(Refused(with(8 * 4, 1.5f)));    // pyramid step
  CHECK(Refused(with(comp0 + 6 * 4, 3.f)));  // box correction out of range
  auto with_u32 = [&](size_t offset, uint32_t v) {
    std::vector<uint8_t> p = payload;
    std::memcpy(p.data() + offset, &v, 4);
    return Wrap(p);
  };
  CHECK(Refused(with_u32(0, 4)));            // cell size
  CHECK(Refused(with_u32(4, 32)));           // channels
  CHECK(Refused(with_u32(8, 1000)));         // filter width
  CHECK(Refused(with_u32(11 * 4, 0)));       // no components
  CHECK(Refused(with_u32(11 * 4, 4)));       // more components than bytes
  CHECK(Refused(with_u32(11 * 4, 0xFFFFFFFFu)));
  CHECK(Refused(with_u32(comp0, 5)));        // mirror of a later component
  // Unmodified payload is accepted by the same path (the helpers are not refusing everything).
  CHECK(!Refused(Wrap(payload)));
  // Missing file.
  std::shared_ptr<const FaceDetector> d;
  CHECK(FaceDetector::LoadFromFile("/nonexistent/detector.afm", &d).code() == ErrorCode::kModelInvalid);
  // Random garbage never crashes and is refused.
  std::mt19937 rng(9);
  int garbage_refused = 0;
  for (int k = 0; k < 200; ++k) {
    std::vector<uint8_t> g = file;
    for (int j = 0; j < 4; ++j) g[rng() % g.size()] = static_cast<uint8_t>(rng());
    garbage_refused += Refused(g) || g == file;
  }
  CHECK(garbage_refused == 200);
}

void TestDeterminism() {
  const DetectorModel m = MakeModel(3);
  const std::vector<uint8_t> file = SerializeDetectorFile(m);
  std::shared_ptr<const FaceDetector> d;
  CHECK(FaceDetector::LoadFromMemory(file.data(), file.size(), &d).ok());
  if (!d) return;
  GrayImage img;
  img.width = 320;
  img.height = 240;
  img.pixels.resize(320 * 240);
  std::mt19937 rng(5);
  for (auto& p : img.pixels) p = static_cast<uint8_t>(rng());
  DetectOptions o;
  o.threshold_adjust = -3.f;  // random weights: force some detections
  const std::vector<Detection> a = d->Detect(img, o);
  const std::vector<Detection> b = d->Detect(img, o);
  o.threads = 2;
  const std::vector<Detection> c = d->Detect(img, o);
  CHECK(!a.empty());
  bool same = a.size() == b.size() && a.size() == c.size();
  for (size_t i = 0; same && i < a.size(); ++i) {
    same = a[i].box.x == b[i].box.x && a[i].score == b[i].score && a[i].box.x == c[i].box.x &&
           a[i].score == c[i].score && a[i].component == c[i].component;
  }
  CHECK(same);
  // Sorted by area, largest first; boxes square; scores above the threshold.
  bool sorted = true;
  for (size_t i = 0; i < a.size(); ++i) {
    if (i > 0 && a[i].box.area() > a[i - 1].box.area()) sorted = false;
    if (std::fabs(a[i].box.w - a[i].box.h) > 1e-3f || a[i].score <= -3.f) sorted = false;
  }
  CHECK(sorted);
  // Empty image: no detections.
  CHECK(d->Detect(GrayImage{}, DetectOptions{}).empty());
  // Degenerate inputs and options never crash: a 1x1 image, a buffer shorter than its size,
  // absurd / non-finite options.
  GrayImage tiny;
  tiny.width = tiny.height = 1;
  tiny.pixels = {128};
  CHECK(d->Detect(tiny, o).empty());
  GrayImage lying = img;
  lying.pixels.resize(100);
  CHECK(d->Detect(lying, o).empty());
  DetectOptions odd;
  odd.min_face_size = 1e9f;
  CHECK(d->Detect(img, odd).empty());
  odd.min_face_size = std::numeric_limits<float>::quiet_NaN();
  odd.threshold_adjust = std::numeric_limits<float>::quiet_NaN();
  odd.threads = -5;
  const std::vector<Detection> nan_run = d->Detect(img, odd);  // clamps to the 4x upsample limit
  CHECK(nan_run.size() < 100000);
  odd = DetectOptions{};
  odd.min_face_size = 0.5f;  // asks for 128x upsampling: capped
  odd.threshold_adjust = 100.f;
  CHECK(d->Detect(img, odd).empty());
}

}  // namespace

int main() {
  TestRoundTrip();
  TestFiveComponents();
  TestDamage();
  TestDeterminism();
  return af_test::finish();
}
