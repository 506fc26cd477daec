#pragma once
// Working days and working hours: the clocks of statutory and local
// timescales. A working day is Monday to Friday and not a bank holiday
// (England and Wales). Working hours are a daily window in London local
// time (9am to 5pm unless the council says otherwise); clock changes are
// handled because each day's window is converted from London time.
#include <chrono>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace frontdoor::domain {

struct WorkingHours {
  std::chrono::minutes start{9 * 60};  // London local time of day
  std::chrono::minutes end{17 * 60};

  // 0 <= start < end <= 24h. The calendar functions throw
  // std::invalid_argument for hours that fail this (a programming error:
  // hours from a council's settings are checked with validate() first).
  Status validate() const;
  friend bool operator==(const WorkingHours&, const WorkingHours&) = default;
};

class WorkingDayCalendar {
 public:
  // Any order; duplicates are ignored.
  explicit WorkingDayCalendar(std::vector<std::chrono::sys_days> bank_holidays);

  // England and Wales, from the list compiled into the binary.
  static WorkingDayCalendar england_and_wales();

  // A calendar with extra bank holidays (e.g. future years a council loaded
  // from a gov.uk-format file).
  WorkingDayCalendar with_bank_holidays(const std::vector<std::chrono::sys_days>& extra) const;

  bool is_bank_holiday(std::chrono::sys_days day) const;
  bool is_working_day(std::chrono::sys_days day) const;
  // The first working day strictly after `day`.
  std::chrono::sys_days next_working_day(std::chrono::sys_days day) const;
  // The first working day on or after `day`.
  std::chrono::sys_days working_day_on_or_after(std::chrono::sys_days day) const;
  // Day 0 is `day` itself; for n >= 1, the nth working day after `day`
  // (Friday + 1 is Monday; Saturday + 1 is Monday). A negative n counts back:
  // the |n|th working day before `day`.
  std::chrono::sys_days add_working_days(std::chrono::sys_days day, int n) const;
  // The number of working days after `from` up to and including `to`, the
  // way statutory clocks count (the day of referral is day 0), so
  // working_days_between(d, add_working_days(d, n)) == n. Negative when
  // to < from.
  int working_days_between(std::chrono::sys_days from, std::chrono::sys_days to) const;

  // `amount` of working time after `start`: only time inside working hours on
  // working days counts. Starting outside hours, the clock starts at the next
  // opening. A zero or negative amount returns `start`. A deadline that uses
  // up a day's hours exactly ends at that day's closing time (e.g. 5pm).
  Instant add_working_time(Instant start, std::chrono::minutes amount,
                           const WorkingHours& hours = {}) const;
  // Working time between two instants (negative if b < a), truncated toward
  // zero to whole minutes: "time remaining" and response-time figures.
  std::chrono::minutes working_time_between(Instant a, Instant b,
                                            const WorkingHours& hours = {}) const;

  // The instant working hours end on the London date of `day` (e.g. 5pm).
  Instant close_of_day(std::chrono::sys_days day, const WorkingHours& hours = {}) const;

  // The last bank holiday the calendar knows; dates after the year that
  // contains it are treated as having no bank holidays, so callers can warn
  // that the list needs updating.
  std::optional<std::chrono::sys_days> last_known_bank_holiday() const;
  const std::vector<std::chrono::sys_days>& bank_holidays() const { return holidays_; }

 private:
  std::vector<std::chrono::sys_days> holidays_;  // sorted, unique
};

}  // namespace frontdoor::domain
