// Unit tests of the evaluation arithmetic (registered as ctest "eval_metrics" when tests are on):
// NME summaries, detection curves on hand-worked cases, the box mapping round trip and fit, the
// negatives split rule, the JSON reader/writer and the label reader built on it, the Caltech
// matching rule, dlib box lines and the tools' option parsing.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "../../test/native/check.h"
#include "common/face_box.h"
#include "eval/cli.h"
#include "eval/eval_data.h"
#include "eval/metrics.h"
#include "train/json_lite.h"
#include "train/labels.h"

using namespace af;
using namespace af::eval;

static bool Near(double a, double b, double eps = 1e-6) { return std::fabs(a - b) <= eps; }

static void TestSummarize() {
  const NmeSummary s = Summarize({0.05, 0.2, 0.01, 0.03}, 0.10);
  CHECK(s.n == 4);
  CHECK(Near(s.mean, 0.0725));
  CHECK(Near(s.median, 0.04));  // even count: mean of the middle two
  CHECK(Near(s.failure_rate, 0.25));
  CHECK(Summarize({}).n == 0);
  // NME: errors 3 and 4 (3-4-5 triangles scaled), norm 10 → 0.35
  const std::vector<PointF> pred = {{3, 0}, {0, 4}}, truth = {{0, 0}, {0, 0}};
  CHECK(Near(Nme(pred, truth, 10.0), 0.35));
  CHECK(std::isnan(Nme(pred, truth, 0.0)));
  int total = 0;
  for (const PartRange& p : Parts90()) total += p.count;
  CHECK(total == kNumPoints);
}

static void TestCurve() {
  // 10 images, 4 required faces. Scores: TP 0.9, FP 0.8, TP 0.7, ignored 0.6, TP 0.5, FP -0.2,
  // TP -0.5.
  std::vector<ScoredDet> d = {{0.9f, 1}, {0.8f, 0}, {0.7f, 1}, {0.6f, -1}, {0.5f, 1}, {-0.2f, 0}, {-0.5f, 1}};
  const DetCurve c = ComputeCurve(d, 4, 10);
  CHECK(Near(c.recall_at_fp[0], 0.25));  // before the first FP
  CHECK(Near(c.recall_at_fp[1], 0.75));  // 1 FP allowed: up to score 0.5
  CHECK(Near(c.recall_at_fp[2], 1.0));   // 5 FP allowed: everything
  CHECK(Near(c.recall_default, 0.75));   // score >= 0
  CHECK(Near(c.fp_per_image_default, 0.1));
  CHECK(Near(c.max_recall, 1.0));
  // AP by hand: precision envelope 1 (r .25), 3/4 (r .5, .75), 4/6 (r 1)
  CHECK(Near(c.ap, 0.25 * 1 + 0.5 * 0.75 + 0.25 * (4.0 / 6.0)));
  const DetCurve none = ComputeCurve({}, 3, 5);
  CHECK(none.ap == 0 && none.max_recall == 0);
}

static void TestBoxMap() {
  BoxMap m;
  m.ox = 0.02;
  m.oy = 0.11;
  m.s = 0.97;
  const BoxF d{100, 50, 80, 80};
  const BoxF o = m.ToOurs(d);
  CHECK(Near(o.w, 77.6, 1e-4) && Near(o.h, 77.6, 1e-4));
  CHECK(Near(o.cx(), 140 + 1.6, 1e-4) && Near(o.cy(), 90 + 8.8, 1e-4));
  const BoxF back = m.ToDlib(o);
  CHECK(Near(back.x, d.x, 1e-3) && Near(back.y, d.y, 1e-3) && Near(back.w, d.w, 1e-3));

  // Fit recovers a known mapping from synthetic pairs: label faces whose point box is exactly the
  // mapped dlib box.
  std::vector<LabeledImage> labels;
  std::map<std::string, PeerImage> dets;
  BoxMap truth;
  truth.ox = -0.03;
  truth.oy = 0.12;
  truth.s = 1.05;
  for (int i = 0; i < 40; ++i) {
    const float w = 60.f + 3.f * i;
    const BoxF db{10.f + i, 20.f + 2 * i, w, w};
    const BoxF ob = truth.ToOurs(db);
    LabeledImage li;
    li.file = "img" + std::to_string(i);
    LabeledFace f;
    for (int k = 0; k < kNumPoints; ++k) f.points[k] = PointF{ob.x + ob.w * (k % 2), ob.y + ob.h * ((k / 2) % 2)};
    li.faces.push_back(f);
    labels.push_back(li);
    PeerImage pi;
    pi.file = li.file;
    PeerFace pf;
    pf.box = db;
    pf.score = 1.f;
    pi.faces.push_back(pf);
    dets[li.file] = pi;
  }
  BoxMap fit;
  CHECK(FitBoxMap(labels, dets, &fit).ok());
  CHECK(fit.fitted_on == 40);
  CHECK(Near(fit.ox, truth.ox, 1e-4) && Near(fit.oy, truth.oy, 1e-4) && Near(fit.s, truth.s, 1e-4));
  CHECK(fit.mean_iou > 0.999);
  // Too few pairs is an error, not a silent identity map.
  std::vector<LabeledImage> few(labels.begin(), labels.begin() + 5);
  CHECK(!FitBoxMap(few, dets, &fit).ok());
}

static void TestNegativesSplit() {
  // FNV-1a 32 of "a" is 0xe40c292c (= 3826002220, % 5 == 0); of "b" 0xe70c2de5 (% 5 == 2).
  CHECK(IsHeldOutNegative("a"));
  CHECK(!IsHeldOutNegative("b"));
  CHECK(BaseName("negatives/x/y.jpg") == "y.jpg");
  CHECK(BaseName("y.jpg") == "y.jpg");
}

static void TestJson() {
  JsonValue v;
  CHECK(ParseJson("{\"file\":\"a\\\"b\",\"n\":-1.5e2,\"xs\":[1,2,[3]],\"t\":true,\"z\":null}", &v));
  CHECK(v.text("file") == "a\"b");
  CHECK(Near(v.num("n"), -150));
  CHECK(v.get("xs") && v.get("xs")->items.size() == 3 && v.get("xs")->items[2].items[0].number == 3);
  CHECK(v.get("t")->boolean && v.get("z")->type == JsonValue::kNull);
  CHECK(v.num("missing", 7) == 7);
  std::string err;
  CHECK(!ParseJson("{\"a\":1,}", &v, &err) && !err.empty());
  CHECK(!ParseJson("[1,2", &v));
  CHECK(!ParseJson("{\"a\":nan}", &v));
  CHECK(!ParseJson("1 2", &v));
  std::string deep(100, '[');
  CHECK(!ParseJson(deep, &v));  // nesting limit, no stack exhaustion
  JsonWriter w;
  w.BeginObject().Key("a").Int(1).Key("b").BeginArray().Number(0.5).String("x\"y").Null().EndArray();
  w.Key("c").Number(NAN).EndObject();
  CHECK(w.str() == "{\"a\":1,\"b\":[0.5,\"x\\\"y\",null],\"c\":null}");
  CHECK(ParseJson(w.str(), &v) && v.get("b")->items[1].str == "x\"y");
  // \u escapes: four hex digits, written back as UTF-8; anything else is a syntax error.
  CHECK(ParseJson("\"\\u0041\\u00e9\"", &v) && v.str == "A\xc3\xa9");
  CHECK(!ParseJson("\"\\u00g1\"", &v));
  CHECK(!ParseJson("\"\\u12\"", &v));
  CHECK(!ParseJson("[Infinity]", &v) && !ParseJson("[0x10]", &v));
}

// Writes `text` to a fresh temporary file and returns its path ("" on failure).
static std::string TempFile(const std::string& text) {
  char path[] = "/tmp/af_eval_test_XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return "";
  close(fd);
  std::ofstream(path) << text;
  return path;
}

// A label line with one face: points (k, 2k + 0.5), the given box and yaw.
static std::string LabelLine(const std::string& file, const std::string& box, const std::string& point0) {
  std::string pts = "[" + point0;
  for (int k = 1; k < kNumPoints; ++k) pts += ",[" + std::to_string(k) + "," + std::to_string(2 * k) + ".5]";
  return "{\"file\":\"" + file + "\",\"width\":320,\"height\":240,\"faces\":[{\"points\":" + pts +
         "]" + box + ",\"yaw\":-0.25,\"agree\":0.5}]}\n";
}

static void TestLabels() {
  const std::string good = TempFile(LabelLine("faces/a.jpg", ",\"box\":[1,2,30,40]", "[0,0.5]") + "\n" +
                                    "{\"file\":\"faces/b.jpg\",\"faces\":[]}\n");
  std::vector<LabeledImage> imgs;
  CHECK(ReadLabels(good, &imgs).ok());
  CHECK(imgs.size() == 2);
  if (imgs.size() == 2) {
    CHECK(imgs[0].file == "faces/a.jpg" && imgs[0].width == 320 && imgs[0].height == 240);
    CHECK(imgs[0].faces.size() == 1 && imgs[1].faces.empty() && imgs[1].width == 0);
    if (!imgs[0].faces.empty()) {
      const LabeledFace& f = imgs[0].faces[0];
      CHECK(f.points[0].x == 0.f && f.points[0].y == 0.5f && f.points[89].x == 89.f && f.points[89].y == 178.5f);
      CHECK(f.hint_box.x == 1.f && f.hint_box.y == 2.f && f.hint_box.w == 30.f && f.hint_box.h == 40.f);
      CHECK(f.yaw == -0.25f && f.pitch == 0.f && f.agree == 0.5f);
    }
  }
  // Malformed lines are errors naming the file and the line (1-based, blank lines counted).
  const struct { std::string text; const char* where; } bad[] = {
      {LabelLine("x.jpg", "", "[null,1]"), ":1: a point is not [x, y]"},
      {"\n" + LabelLine("x.jpg", "", "[1]"), ":2: a point is not [x, y]"},
      {LabelLine("x.jpg", "", "[NaN,1]"), ":1: not a JSON object"},
      {"{\"file\":\"x.jpg\",\"faces\":[{\"points\":[[1,2]]}]}", ":1: a face without 90 points"},
      {"{\"faces\":[]}", ":1: missing \"file\""},
      {"[1,2]", ":1: not a JSON object"}};
  for (const auto& b : bad) {
    const std::string path = TempFile(b.text);
    imgs.clear();
    const Status st = ReadLabels(path, &imgs);
    CHECK(!st.ok() && st.message() == path + b.where);
    std::remove(path.c_str());
  }
  // A box that is not four numbers is ignored (the box is a hint only).
  const std::string odd = TempFile(LabelLine("c.jpg", ",\"box\":[1,2,3]", "[0,0]"));
  imgs.clear();
  CHECK(ReadLabels(odd, &imgs).ok() && imgs.size() == 1 && imgs[0].faces[0].hint_box.w == 0.f);
  CHECK(!ReadLabels("/nonexistent/labels.jsonl", &imgs).ok());
  std::remove(good.c_str());
  std::remove(odd.c_str());
}

static void TestCaltechAndBoxLines() {
  CaltechFace f;
  f.left_eye = {40, 50};
  f.right_eye = {60, 50};  // eye distance 20
  f.mouth = {50, 70};
  CHECK(CaltechMatches(BoxF{20, 30, 60, 60}, f));
  CHECK(!CaltechMatches(BoxF{20, 30, 90, 90}, f));    // wider than 4 eye distances
  CHECK(!CaltechMatches(BoxF{35, 45, 29, 29}, f));    // narrower than 1.5 eye distances
  CHECK(!CaltechMatches(BoxF{45, 30, 60, 60}, f));    // left eye outside
  CHECK(Near(CaltechCentreDistance(BoxF{20, 30, 60, 60}, f), std::hypot(0.0, 60 - 170 / 3.0), 1e-4));
  // dlib's inclusive integer corners, rounded; the key only when given
  CHECK(DlibBoxLine("a/b.jpg", BoxF{10.4f, 20.6f, 30.f, 40.f}) == "{\"file\":\"a/b.jpg\",\"box\":[10,21,39,60]}\n");
  CHECK(DlibBoxLine("c.jpg", BoxF{-2.f, 0.f, 5.f, 5.f}, "imm#3") ==
        "{\"file\":\"c.jpg\",\"box\":[-2,0,2,4],\"key\":\"imm#3\"}\n");
}

static bool Parse(std::vector<std::string> args, std::string* s, float* f, int* i, size_t* n) {
  args.insert(args.begin(), "tool");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(&a[0]);
  return ParseFlags(static_cast<int>(argv.size()), argv.data(), {{"--s", s}, {"--f", f}, {"--i", i}, {"--n", n}});
}

static void TestFlags() {
  std::string s = "default";
  float f = 1.f;
  int i = 1;
  size_t n = 1;
  CHECK(Parse({}, &s, &f, &i, &n) && s == "default" && f == 1.f && i == 1 && n == 1);
  CHECK(Parse({"--n", "40", "--s", "x y", "--f", "-0.5", "--i", "7"}, &s, &f, &i, &n));
  CHECK(s == "x y" && f == -0.5f && i == 7 && n == 40);
  CHECK(Parse({"--s", "a", "--s", "b"}, &s, &f, &i, &n) && s == "b");  // the last one counts
  CHECK(Parse({"--i", "abc"}, &s, &f, &i, &n) && i == 0);             // atoi, as the tools always did
  CHECK(!Parse({"--help"}, &s, &f, &i, &n));
  CHECK(!Parse({"--x", "1"}, &s, &f, &i, &n));                        // unknown
  CHECK(!Parse({"--f", "2", "--n"}, &s, &f, &i, &n) && f == 2.f);      // a name without a value
  CHECK(!Parse({"-s", "1"}, &s, &f, &i, &n));
  // A summary that cannot be written is an error, not a silent success.
  CHECK(!WriteSummary("/nonexistent/dir/x.json", "{}").ok());
  CHECK(!WriteTextFile("/nonexistent/dir/x.txt", "x").ok());
}

int main() {
  TestSummarize();
  TestCurve();
  TestBoxMap();
  TestNegativesSplit();
  TestJson();
  TestLabels();
  TestCaltechAndBoxLines();
  TestFlags();
  return af_test::finish();
}
