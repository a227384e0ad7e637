// The shipped detector (models/detector.afm) on the human-annotated detection sets, at the
// default options (min face 40 px, the model's own threshold): known faces found, few false
// positives. Measuring only — nothing here feeds training or a choice. Thresholds sit below the
// figures measured when the model was committed (in brackets) so that a regression fails.
//   dlib_examples (training.xml + testing.xml, 43 hand boxes in dlib's convention, mapped to ours
//     with the documented fit, docs/box-convention.md): IoU >= 0.5.
//   Caltech (first 300 photos, every frontal face with eye distance >= 30 px): the data README's
//     rule (box holds both eyes and the mouth, width 1.5-4x the eye distance, in dlib's convention).
// Skips when the model or ../shared/data is missing.
#include <cstdio>
#include <string>
#include <vector>

#include "../check.h"
#include "common/face_box.h"
#include "detect/face_detector.h"
#include "eval/eval_data.h"
#include "image/image.h"

using namespace af;
using namespace af::eval;

namespace {

BoxMap DocumentedMap() {  // docs/box-convention.md: dlib HOG box -> our face box
  BoxMap m;
  m.ox = 0.0134;
  m.oy = 0.1105;
  m.s = 0.9707;
  return m;
}

void DlibExamples(const FaceDetector& det, const std::string& data) {
  const BoxMap map = DocumentedMap();
  int faces = 0, found = 0, big_faces = 0, big_found = 0, false_positives = 0, images = 0;
  for (const char* xml : {"eval/dlib_examples/training.xml", "eval/dlib_examples/testing.xml"}) {
    std::vector<XmlImage> imgs;
    CHECK(ReadDlibXml(data, xml, &imgs).ok());
    for (const XmlImage& xi : imgs) {
      GrayImage img;
      CHECK(LoadGrayFile(data + "/" + xi.file, &img).ok());
      ++images;
      const std::vector<Detection> dets = det.Detect(img, DetectOptions{});
      std::vector<bool> used(dets.size(), false);
      for (const XmlBox& b : xi.boxes) {
        if (b.ignore) continue;
        const BoxF truth = map.ToOurs(b.box);
        ++faces;
        const bool big = b.box.w >= 44.f;
        big_faces += big;
        int best = -1;
        float best_iou = 0.5f;
        for (size_t d = 0; d < dets.size(); ++d) {
          const float iou = BoxIoU(truth, dets[d].box);
          if (!used[d] && iou >= best_iou) { best_iou = iou; best = static_cast<int>(d); }
        }
        if (best >= 0) {
          used[best] = true;
          ++found;
          big_found += big;
        } else if (big) {
          std::printf("missed %.0f px face at (%.0f, %.0f) in %s\n", b.box.w, b.box.x, b.box.y, xi.file.c_str());
        }
      }
      for (size_t d = 0; d < dets.size(); ++d) {
        if (used[d]) continue;
        bool near_any = false;  // a second box on a face (or on an ignored box) is not counted
        for (const XmlBox& b : xi.boxes) near_any |= BoxIoU(map.ToOurs(b.box), dets[d].box) >= 0.3f;
        if (!near_any) {
          ++false_positives;
          std::printf("false positive in %s (score %.3f)\n", xi.file.c_str(), dets[d].score);
        }
      }
    }
  }
  std::printf("dlib_examples: %d images, %d of %d faces found (%d of %d of >= 44 px), %d false positives\n",
              images, found, faces, big_found, big_faces, false_positives);
  CHECK(faces == 43);
  // [38 of 43, 20 of the 21 faces >= 44 px (a 45 px face in 2007_007763 scores just under the
  //  threshold); the model before the small-face jitter: 36 of 43, 21 of 21]
  CHECK(big_faces == 21 && big_found >= 20);
  CHECK(found >= 37);
  CHECK(false_positives <= 1);  // [0]
}

void Caltech(const FaceDetector& det, const std::string& data) {
  const BoxMap map = DocumentedMap();
  std::vector<CaltechImage> cal;
  CHECK(ReadCaltech(data, &cal).ok());
  int faces = 0, found = 0, detections = 0, images = 0;
  for (size_t i = 0; i < cal.size() && i < 300; ++i) {
    GrayImage img;
    CHECK(LoadGrayFile(data + "/" + cal[i].file, &img).ok());
    ++images;
    const std::vector<Detection> dets = det.Detect(img, DetectOptions{});
    detections += static_cast<int>(dets.size());
    for (const CaltechFace& f : cal[i].faces) {
      if (f.eye_distance() < 30.f) continue;
      ++faces;
      bool hit = false;
      for (const Detection& d : dets) hit |= CaltechMatches(map.ToDlib(d.box), f);
      found += hit;
    }
  }
  const double recall = faces ? static_cast<double>(found) / faces : 0.0;
  std::printf("caltech: %d images, %d of %d faces (eye distance >= 30 px) found, recall %.3f; %d detections\n",
              images, found, faces, recall, detections);
  CHECK(faces >= 100);
  CHECK(recall >= 0.92);  // [115 of 122 = 0.943, both the current and the previous model]
}

}  // namespace

int main() {
  std::shared_ptr<const FaceDetector> det;
  if (!FaceDetector::LoadFromFile(AF_MODEL_PATH, &det).ok()) {
    std::printf("skip: %s not loadable\n", AF_MODEL_PATH);
    return af_test::finish();
  }
  const std::string data = AF_DATA_DIR;
  std::vector<CaltechImage> probe;
  if (!ReadCaltech(data, &probe).ok()) {
    std::printf("skip: no data at %s\n", data.c_str());
    return af_test::finish();
  }
  DlibExamples(*det, data);
  Caltech(*det, data);
  return af_test::finish();
}
