// BMP: our own strict decoder. (Placeholder: refuses every BMP until the full decoder lands.)
#include "image/decoders.h"

namespace af {
namespace decoders {

Status ReadBmpHeader(const uint8_t*, size_t, ImageHeader*) {
  return Status(ErrorCode::kImageDecodeFailed, "BMP decoding is not available yet");
}

Status DecodeBmp(const uint8_t*, size_t, int, uint8_t*) {
  return Status(ErrorCode::kImageDecodeFailed, "BMP decoding is not available yet");
}

}  // namespace decoders
}  // namespace af
