// Reader for ../shared/data/labels/*.jsonl (format: ../shared/data/README.md). Tools only.
#ifndef ANALYZE_FACE_TRAIN_LABELS_H_
#define ANALYZE_FACE_TRAIN_LABELS_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "common/types.h"

namespace af {

struct LabeledFace {
  Shape90 points;
  BoxF hint_box;  // the mesh detector's box: a hint only
  float yaw = 0.f, pitch = 0.f, roll = 0.f;  // radians
  float agree = 0.f;
};

struct LabeledImage {
  std::string file;  // relative to the data root
  int width = 0, height = 0;
  std::vector<LabeledFace> faces;
};

/*!  ensures - appends the images of one JSON-lines label file to *out, in file order (JSON reader:
               train/json_lite.h)
             - a line that is not a JSON object with "file", "faces" and 90 numeric [x, y] points
               per face: kInvalidParameter naming PATH:LINE (the images before it stay appended)
             - "box" is optional (a hint; zero when absent or not 4 numbers)  !*/
Status ReadLabels(const std::string& path, std::vector<LabeledImage>* out);

}  // namespace af

#endif  // ANALYZE_FACE_TRAIN_LABELS_H_
