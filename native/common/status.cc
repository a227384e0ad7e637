#include "common/status.h"

namespace af {

const char* TencentCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "";
    case ErrorCode::kImageEmpty: return "InvalidParameterValue.ImageEmpty";
    case ErrorCode::kImageSizeExceed: return "FailedOperation.ImageSizeExceed";
    case ErrorCode::kImageDecodeFailed: return "FailedOperation.ImageDecodeFailed";
    case ErrorCode::kImageResolutionExceed: return "FailedOperation.ImageResolutionExceed";
    case ErrorCode::kImageResolutionTooSmall: return "FailedOperation.ImageResolutionTooSmall";
    case ErrorCode::kNoFaceInPhoto: return "InvalidParameterValue.NoFaceInPhoto";
    case ErrorCode::kInvalidParameter: return "InvalidParameter.InvalidParameter";
    case ErrorCode::kModelInvalid: return "FailedOperation.ServerError";
    case ErrorCode::kInternal: return "InternalError";
  }
  return "InternalError";
}

}  // namespace af
