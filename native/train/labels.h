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

// Parses one JSON-lines label file. Lines that fail to parse are reported as an error naming the
// line number.
Status ReadLabels(const std::string& path, std::vector<LabeledImage>* out);

}  // namespace af

#endif  // ANALYZE_FACE_TRAIN_LABELS_H_
