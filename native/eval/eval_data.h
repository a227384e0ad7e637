// Readers for the evaluation sets and for the cached dlib peer output, and the mapping between
// dlib's HOG box convention and ours (common/face_box.h). Tools only.
//
// Data formats: ../shared/data/README.md. Every reader checks what it parses (counts, ranges) and
// returns an af::Status naming the file and line on failure.
#ifndef ANALYZE_FACE_EVAL_EVAL_DATA_H_
#define ANALYZE_FACE_EVAL_EVAL_DATA_H_

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/types.h"
#include "train/labels.h"

namespace af {
namespace eval {

// ---------------------------------------------------------------------------------------------
// IMM: 240 photos, 58 human-clicked points each (.asf, x/y as fractions of width/height).

constexpr int kImmPoints = 58;

struct ImmImage {
  std::string file;  // relative to the data root, e.g. "eval/imm/01-1m.jpg"
  int width = 640, height = 480;
  std::vector<PointF> points;  // kImmPoints, pixels
  int pose = 0;                // photo suffix 1..6
  bool turned() const { return pose == 3 || pose == 4; }
};

/*!  ensures - reads every eval/imm/NN-Km.asf with its .jpg; the pixel size is taken from the
               JPEG header, points are converted to pixels  !*/
Status ReadImm(const std::string& data_root, std::vector<ImmImage>* out);

// ---------------------------------------------------------------------------------------------
// Caltech 10k WebFaces sample: 4 points per face (viewer's left eye, right eye, nose, mouth).

struct CaltechFace {
  PointF left_eye, right_eye, nose, mouth;
  float eye_distance() const;
};

struct CaltechImage {
  std::string file;  // "eval/caltech/images/picNNNNN.jpg"
  std::vector<CaltechFace> faces;
};

Status ReadCaltech(const std::string& data_root, std::vector<CaltechImage>* out);

/*!  ensures - the Caltech matching rule (data README): box b contains both eyes and the mouth
               and its width is 1.5-4x the eye distance  !*/
bool CaltechMatches(const BoxF& b, const CaltechFace& f);
// Distance from the centre of b to the centroid of the eyes and the mouth: among several
// matching boxes, the nearest is the match.
float CaltechCentreDistance(const BoxF& b, const CaltechFace& f);

// ---------------------------------------------------------------------------------------------
// dlib's image-dataset XML (eval/dlib_examples/{training,testing}.xml).

struct XmlBox {
  BoxF box;  // dlib convention: left, top, width, height as written in the file
  bool ignore = false;
};

struct XmlImage {
  std::string file;  // relative to the data root
  std::vector<XmlBox> boxes;
};

Status ReadDlibXml(const std::string& data_root, const std::string& xml_rel_path,
                   std::vector<XmlImage>* out);

// ---------------------------------------------------------------------------------------------
// Cached dlib peer output (native/eval/dlib_cache.sh).

struct PeerFace {
  BoxF box;          // dlib rectangle as x=left, y=top, w=right-left+1, h=bottom-top+1
  float score = 0;   // dlib_peer_scores only (dlib_peer prints no score: 0)
  int component = 0;
  float shape_ms = 0;
  std::vector<PointF> points;  // 68 when from dlib_peer, empty from dlib_peer_scores
};

struct PeerImage {
  std::string file;
  int width = 0, height = 0;
  double decode_ms = 0, detect_ms = 0;
  bool error = false;
  std::vector<PeerFace> faces;
};

/*!  ensures - reads one JSON-lines file written by dlib_peer or dlib_peer_scores ("faces" or
               "dets"), keyed by the file field  !*/
Status ReadPeerJsonl(const std::string& path, std::map<std::string, PeerImage>* out);
// Same, keeping the order of the file.
Status ReadPeerJsonlList(const std::string& path, std::vector<PeerImage>* out);

/*!  ensures - one line of a `dlib_peer --boxes` input file, newline included:
               {"file":"FILE","box":[left,top,right,bottom]} with dlib_box (dlib's convention)
               rounded to dlib's inclusive integer corners, and ,"key":"KEY" when key is not
               empty (FILE and KEY are written as they are: plain paths and names)  !*/
std::string DlibBoxLine(const std::string& file, const BoxF& dlib_box, const std::string& key = "");

// ---------------------------------------------------------------------------------------------
// dlib box ↔ face box. dlib's HOG box is a square around eyes, nose and mouth; ours is the
// squared bounding box of all 90 points. Model (fitted by least squares in pixels):
//   ours.cx = dlib.cx + ox * dlib.w,  ours.cy = dlib.cy + oy * dlib.w,  ours.side = s * dlib.w.

struct BoxMap {
  double ox = 0, oy = 0, s = 1;
  int fitted_on = 0;       // number of (dlib box, label face) pairs
  double mean_iou = 0;     // mean IoU of mapped box vs point box on those pairs
  BoxF ToOurs(const BoxF& dlib_box) const;
  BoxF ToDlib(const BoxF& our_box) const;
};

/*!  requires - train_dets: dlib_peer_scores output on (a subset of) labels/train.jsonl images
     ensures  - pairs each labelled train face with the dlib box of best IoU >= 0.3 against its
                point box (after a first, unit mapping pass) and fits the BoxMap on those  !*/
Status FitBoxMap(const std::vector<LabeledImage>& train_labels,
                 const std::map<std::string, PeerImage>& train_dets, BoxMap* out);

/*!  ensures - FitBoxMap on DATA_ROOT/labels/train.jsonl and the cached dlib_peer_scores output
               DLIB_CACHE/train_scores_up1.jsonl (native/eval/dlib_cache.sh); reader errors as
               they are  !*/
Status FitBoxMapFromCache(const std::string& data_root, const std::string& dlib_cache, BoxMap* out);

// ---------------------------------------------------------------------------------------------
// Negatives: which face-free photos are held out from detector training.

/*!  ensures - true when `file_name` (base name, e.g. "negatives_..._Aqua.jpg") belongs to the
               held-out part, by the same rule the detector trainer uses (see eval_data.cc)  !*/
bool IsHeldOutNegative(const std::string& file_name);

std::string BaseName(const std::string& path);

}  // namespace eval
}  // namespace af

#endif  // ANALYZE_FACE_EVAL_EVAL_DATA_H_
