#pragma once
// The council's continuum of need ("threshold document", "right help, right
// time"): numbered levels of need, each with indicators a decision can cite.
// It is data: a council edits and versions its own; decisions record the
// framework id and version they were made against.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/result.hpp"

namespace frontdoor::domain {

struct Indicator {
  std::string code;  // unique within the framework, e.g. "4.3"
  std::string text;
  friend bool operator==(const Indicator&, const Indicator&) = default;
};

struct NeedLevel {
  int number = 0;  // 1..N
  std::string name;
  std::string descriptor;
  std::vector<Indicator> indicators;
  friend bool operator==(const NeedLevel&, const NeedLevel&) = default;
};

struct ThresholdFramework {
  std::string id;  // lower-case letters, digits and hyphens, e.g. "right-help-right-time"
  int version = 1;
  std::string name;
  std::vector<NeedLevel> levels;  // ordered by number (from_json sorts them)

  // Four levels: 1 universal, 2 early help / single agency, 3 targeted
  // multi-agency early help, 4 statutory social care. Written for Frontdoor
  // in the style of councils' published threshold documents, as a starting
  // point for a council to replace with its own.
  static ThresholdFramework default_framework();

  const NeedLevel* level(int number) const;
  const Indicator* find_indicator(std::string_view code) const;
  // The level an indicator belongs to.
  std::optional<int> level_of_indicator(std::string_view code) const;

  nlohmann::json to_json() const;
  // Parses and validates (see validate_framework); levels are sorted by number.
  static Result<ThresholdFramework> from_json(const nlohmann::json& json);
  static Result<ThresholdFramework> parse(std::string_view json_text);

  friend bool operator==(const ThresholdFramework&, const ThresholdFramework&) = default;
};

// Limits on the sizes of the text a council enters.
inline constexpr std::size_t kMaxFrameworkIdLength = 64;
inline constexpr std::size_t kMaxIndicatorCodeLength = 16;
inline constexpr std::size_t kMaxNameLength = 200;
inline constexpr std::size_t kMaxTextLength = 2000;

// Checks: id is 1-64 of [a-z0-9-]; version >= 1; name non-empty; at least one
// level; levels numbered exactly 1..N (each once); every level has a name;
// indicator codes are 1-16 of [A-Za-z0-9.-], unique across the framework;
// every indicator has text. Errors name the field:
// "levels[2].indicators[0].code" (indexes are positions as given).
Status validate_framework(const ThresholdFramework& framework);

// A decision's level and the indicators it cites: the level exists, every
// code is an indicator of that level, and none is repeated. An empty list is
// allowed here (whether a decision must cite indicators is the decision's
// rule). Errors are on the fields "level" and "indicators".
Status validate_indicators(const ThresholdFramework& framework, int level,
                           const std::vector<std::string>& codes);

}  // namespace frontdoor::domain
