#pragma once
// Result<T>: a value or an Error. Modelled on the idea of Arrow's Result and
// std::expected (C++23), written for C++20.
#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/error.hpp"

namespace frontdoor {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value)
      : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error)
      : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error)
      : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  [[nodiscard]] bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() {
  return Status{};
}

}  // namespace frontdoor

// `name` is a fresh identifier and `lhs` may be a declaration ("auto x"),
// so neither can be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define FD_CONCAT_INNER(a, b) a##b
#define FD_CONCAT(a, b) FD_CONCAT_INNER(a, b)

// Propagate an error from an expression returning Result/Status.
#define FD_TRY(expr) FD_TRY_IMPL(FD_CONCAT(fd_try_, __COUNTER__), expr)
#define FD_TRY_IMPL(name, expr)       \
  do {                                \
    auto name = (expr);               \
    if (!name.ok()) {                 \
      return std::move(name).error(); \
    }                                 \
  } while (false)

// Bind the value of a Result to `lhs`, or return its error.
#define FD_ASSIGN_OR_RETURN(lhs, expr) FD_ASSIGN_IMPL(FD_CONCAT(fd_result_, __COUNTER__), lhs, expr)
#define FD_ASSIGN_IMPL(name, lhs, expr) \
  auto name = (expr);                   \
  if (!name.ok()) {                     \
    return std::move(name).error();     \
  }                                     \
  lhs = std::move(name).value()
// NOLINTEND(bugprone-macro-parentheses)
