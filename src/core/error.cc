#include "core/error.h"

namespace weft {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kCorruption:
      return "corruption";
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kProtocol:
      return "protocol";
    case ErrorCode::kVersionMismatch:
      return "version_mismatch";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kFailedPrecondition:
      return "failed_precondition";
    case ErrorCode::kEvaluation:
      return "evaluation";
    case ErrorCode::kBusy:
      return "busy";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kMissingChanges:
      return "missing_changes";
  }
  return "unknown";
}

}  // namespace weft
