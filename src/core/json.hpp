#pragma once
// JSON conversions shared by every layer: optionals are null, instants are
// ISO 8601 UTC strings, dates are "YYYY-MM-DD".
#include <chrono>
#include <optional>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "core/time.hpp"

namespace nlohmann {

template <typename T>
struct adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& v) {
    if (v) {
      j = *v;
    } else {
      j = nullptr;
    }
  }
  static void from_json(const json& j, std::optional<T>& v) {
    if (j.is_null()) {
      v.reset();
    } else {
      v = j.get<T>();
    }
  }
};

template <>
struct adl_serializer<frontdoor::Instant> {
  static void to_json(json& j, const frontdoor::Instant& t) { j = frontdoor::format_utc(t); }
  static void from_json(const json& j, frontdoor::Instant& t) {
    auto parsed = frontdoor::parse_utc(j.get<std::string>());
    if (!parsed) throw json::type_error::create(302, "not an ISO 8601 UTC instant", &j);
    t = *parsed;
  }
};

template <>
struct adl_serializer<std::chrono::sys_days> {
  static void to_json(json& j, const std::chrono::sys_days& d) { j = frontdoor::format_date(d); }
  static void from_json(const json& j, std::chrono::sys_days& d) {
    auto parsed = frontdoor::parse_date(j.get<std::string>());
    if (!parsed) throw json::type_error::create(302, "not a YYYY-MM-DD date", &j);
    d = *parsed;
  }
};

}  // namespace nlohmann

namespace frontdoor {

// value.get<T>(), except that an integer type takes only a JSON integer:
// nlohmann converts a number like 1.5 or 1e300 to an integer with a cast,
// which for 1e300 is undefined behaviour (UBSan in the fuzz build, through the
// API). Anything else is the same type_error a string there would be.
template <typename T>
T json_get(const nlohmann::json& value) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (!value.is_number_integer()) {
      throw nlohmann::json::type_error::create(302, "not an integer", &value);
    }
  }
  return value.get<T>();
}

// Reads an optional member: absent and null are both "no value".
template <typename T>
std::optional<T> json_opt(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return json_get<T>(*it);
}

template <typename T>
T json_or(const nlohmann::json& j, const char* key, T fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  return json_get<T>(*it);
}

}  // namespace frontdoor
