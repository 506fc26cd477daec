#pragma once
// RAG (red/amber/green) urgency ratings and the council's policy that turns a
// rating into a deadline. The numbers are local conventions (see
// /work/shared/domain/MASH.md, "Timescales"), so a council can change both the
// amounts and the units; the defaults below are examples from published MASH
// procedures.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/working_day_calendar.hpp"

namespace frontdoor::domain {

enum class RagRating { kRed, kAmber, kGreen };

std::string_view to_string(RagRating rating);                      // "red", "amber", "green"
std::string_view label(RagRating rating);                          // "Red", "Amber", "Green"
std::optional<RagRating> parse_rag_rating(std::string_view text);  // exact lower case
const std::array<RagRating, 3>& all_rag_ratings();                 // most urgent first

struct TimeLimit {
  enum Unit { kWorkingHours, kWorkingDays, kClockHours };
  Unit unit = kWorkingDays;
  int amount = 1;

  // "4 working hours", "1 working day", "3 working days", "24 hours"
  std::string describe() const;
  friend bool operator==(const TimeLimit&, const TimeLimit&) = default;
};

std::string_view to_string(TimeLimit::Unit unit);  // "working_hours", "working_days", "clock_hours"
std::optional<TimeLimit::Unit> parse_time_limit_unit(std::string_view text);

// Largest amounts accepted for each unit (a guard against typing mistakes:
// 10 weeks of working time).
inline constexpr int kMaxWorkingHours = 400;
inline constexpr int kMaxWorkingDays = 50;
inline constexpr int kMaxClockHours = 1200;

// What a deadline means, by unit, for something received at instant R:
// - kWorkingHours: R plus that much working time (WorkingDayCalendar::
//   add_working_time): red 4 working hours received Saturday 02:10 is due
//   Monday 1pm.
// - kWorkingDays: the close of working hours (5pm London by default) on the
//   Nth working day after the London date of R; the day of receipt is day 0
//   whatever the hour. Amber 1 working day received Friday 4pm is due
//   Monday 5pm; received Saturday, also Monday 5pm.
// - kClockHours: R plus that many hours of elapsed time, nights and
//   weekends included.
class RagPolicy {
 public:
  // Throws std::invalid_argument if a limit fails validate_time_limit (use
  // make() for limits from settings or forms).
  RagPolicy(TimeLimit red, TimeLimit amber, TimeLimit green);
  static Result<RagPolicy> make(TimeLimit red, TimeLimit amber, TimeLimit green);

  // Decision on a contact: red 4 working hours, amber 1 working day, green 3
  // working days (Surrey and Oxfordshire MASH procedures).
  static RagPolicy default_decision_policy();
  // Partner agency checks: red 2 hours, amber 6 hours, green 24 hours, in
  // clock hours (Merton MASH guide gives the numbers; it does not say whether
  // they are working hours, so we chose elapsed time, the stricter reading;
  // a council may switch them to working hours).
  static RagPolicy default_check_policy();

  const TimeLimit& limit(RagRating rating) const;

  Instant deadline(Instant received, RagRating rating, const WorkingDayCalendar& calendar,
                   const WorkingHours& hours = {}) const;

  // {"red": {"unit": "working_hours", "amount": 4}, "amber": {...}, "green": {...}}
  nlohmann::json to_json() const;
  // Validation errors name the field, e.g. "amber.amount".
  static Result<RagPolicy> from_json(const nlohmann::json& json);
  static Result<RagPolicy> parse(std::string_view json_text);

  friend bool operator==(const RagPolicy&, const RagPolicy&) = default;

 private:
  std::array<TimeLimit, 3> limits_;  // indexed by RagRating
};

// The limit is for `rating` (used to name the fields in errors: "red.amount").
Status validate_time_limit(const TimeLimit& limit, RagRating rating);

}  // namespace frontdoor::domain
