#include "core/error.hpp"

namespace frontdoor {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return "validation";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kInvalidTransition:
      return "invalid_transition";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace frontdoor
