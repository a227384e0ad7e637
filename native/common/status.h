// Errors are data: every engine entry point returns a Status carrying one of Tencent's
// AnalyzeFace error codes and a message a person can act on. No exception leaves the engine.
#ifndef ANALYZE_FACE_COMMON_STATUS_H_
#define ANALYZE_FACE_COMMON_STATUS_H_

#include <string>
#include <utility>

namespace af {

enum class ErrorCode {
  kOk = 0,
  kImageEmpty,               // InvalidParameterValue.ImageEmpty
  kImageSizeExceed,          // FailedOperation.ImageSizeExceed
  kImageDecodeFailed,        // FailedOperation.ImageDecodeFailed
  kImageResolutionExceed,    // FailedOperation.ImageResolutionExceed
  kImageResolutionTooSmall,  // FailedOperation.ImageResolutionTooSmall
  kNoFaceInPhoto,            // InvalidParameterValue.NoFaceInPhoto
  kInvalidParameter,         // InvalidParameter.InvalidParameter
  kModelInvalid,             // FailedOperation.ServerError (a model file failed validation)
  kInternal,                 // InternalError
};

// Tencent's string for a code, e.g. "FailedOperation.ImageDecodeFailed".
const char* TencentCode(ErrorCode code);

class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const char* tencent_code() const { return TencentCode(code_); }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

}  // namespace af

#endif  // ANALYZE_FACE_COMMON_STATUS_H_
