#pragma once
// Europe/London local time without a time zone database (GCC 12's library
// has no std::chrono::zoned_time).
//
// The rule: British Summer Time (UTC+1) runs from 01:00 UTC on the last
// Sunday of March to 01:00 UTC on the last Sunday of October; the rest of the
// year is Greenwich Mean Time (UTC+0). This is the rule in force since 1996
// (Summer Time Order 1997 / EU directive alignment); it is NOT right for
// instants before 1996, and would need changing if Parliament changes the
// rule. Every instant the product handles is after 1996.
//
// Local times that do not exist or happen twice:
// - Spring forward (last Sunday in March): local 01:00-01:59 is skipped.
//   from_london maps such a time forward by the hour that was skipped
//   (01:30 local -> 01:30 UTC, shown as 02:30 BST).
// - Fall back (last Sunday in October): local 01:00-01:59 happens twice.
//   from_london picks the first occurrence, in BST (01:30 local -> 00:30 UTC).
#include <chrono>
#include <string>

#include "core/time.hpp"

namespace frontdoor::domain {

// A London wall-clock reading: a calendar date and the time since its midnight.
struct LocalDateTime {
  std::chrono::sys_days date;
  std::chrono::milliseconds time_of_day{0};  // 0 <= time_of_day < 24h

  friend bool operator==(const LocalDateTime&, const LocalDateTime&) = default;
};

// The instants at which BST starts and ends in `year`.
Instant bst_start(std::chrono::year year);
Instant bst_end(std::chrono::year year);

bool is_bst(Instant t);
// +60 minutes in BST, 0 in GMT.
std::chrono::minutes london_utc_offset(Instant t);

LocalDateTime to_london(Instant t);
// The London calendar date of an instant.
std::chrono::sys_days london_date(Instant t);
// The instant a London wall clock shows `time_of_day` on `date` (see the
// header comment for the skipped and repeated hours). time_of_day may be 24h,
// meaning midnight at the end of the day.
Instant from_london(std::chrono::sys_days date, std::chrono::milliseconds time_of_day);
inline Instant from_london(const LocalDateTime& local) {
  return from_london(local.date, local.time_of_day);
}

// GOV.UK style (12-hour clock, no ":00" on the hour, "midday", "midnight"):
//   format_london(t)       "Sat 21 Nov 2026, 2:10am"
//   format_london_date(t)  "21 November 2026"
//   format_london_time(t)  "2:10am", "9am", "midday", "midnight", "12:30pm"
// Seconds are dropped (truncated), never rounded up.
std::string format_london(Instant t);
std::string format_london_date(Instant t);
std::string format_london_time(Instant t);
// "21 November 2026" for a calendar date (dates of birth, due dates).
std::string format_long_date(std::chrono::sys_days date);
// "Sat 21 Nov 2026"
std::string format_short_date(std::chrono::sys_days date);
// "2:10am" for a time of day (truncated to the minute).
std::string format_time_of_day(std::chrono::milliseconds time_of_day);

}  // namespace frontdoor::domain
