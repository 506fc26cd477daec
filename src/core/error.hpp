#pragma once
// Typed, expected failures. Every layer returns these as values; exceptions are
// kept for the unexpected. src/http/errors.cpp is the one place that maps an
// ErrorCode to an HTTP status.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace frontdoor {

enum class ErrorCode {
  kValidation,         // bad input: the user can correct it
  kNotFound,           // no such record (or not visible to this user: see kForbidden)
  kForbidden,          // the user may not do this
  kUnauthenticated,    // no valid session or token
  kConflict,           // the record changed since it was read (optimistic concurrency)
  kInvalidTransition,  // the action is not allowed in the record's current state
  kRateLimited,        // too many attempts
  kUnavailable,        // storage full, overloaded, shutting down: try again later
  kInternal,           // an unexpected failure; details are logged, never shown
};

std::string_view to_string(ErrorCode code);

// A message attached to one input field, for the GOV.UK error summary and
// for field-level API errors.
struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;             // safe to show to the user
  std::vector<FieldError> fields;  // per-field messages (validation)

  static Error validation(std::string message, std::vector<FieldError> fields = {}) {
    return Error{ErrorCode::kValidation, std::move(message), std::move(fields)};
  }
  // A validation error for several fields; its message is the first field's.
  // Takes the list by value so that no caller can read it after moving it.
  static Error invalid_fields(std::vector<FieldError> fields) {
    std::string first =
        fields.empty() ? std::string("Check what you entered") : fields.front().message;
    return validation(std::move(first), std::move(fields));
  }
  static Error field(std::string field, const std::string& message) {
    return Error{ErrorCode::kValidation, message, {FieldError{std::move(field), message}}};
  }
  static Error not_found(std::string message = "Not found") {
    return Error{ErrorCode::kNotFound, std::move(message), {}};
  }
  static Error forbidden(std::string message = "You do not have permission to do that") {
    return Error{ErrorCode::kForbidden, std::move(message), {}};
  }
  static Error unauthenticated(std::string message = "Sign in to continue") {
    return Error{ErrorCode::kUnauthenticated, std::move(message), {}};
  }
  static Error conflict(std::string message) {
    return Error{ErrorCode::kConflict, std::move(message), {}};
  }
  static Error invalid_transition(std::string message) {
    return Error{ErrorCode::kInvalidTransition, std::move(message), {}};
  }
  static Error rate_limited(std::string message) {
    return Error{ErrorCode::kRateLimited, std::move(message), {}};
  }
  static Error unavailable(std::string message) {
    return Error{ErrorCode::kUnavailable, std::move(message), {}};
  }
  static Error internal(std::string message) {
    return Error{ErrorCode::kInternal, std::move(message), {}};
  }
};

}  // namespace frontdoor
