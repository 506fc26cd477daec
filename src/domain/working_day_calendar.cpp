#include "domain/working_day_calendar.hpp"

#include <algorithm>
#include <stdexcept>

#include "domain/bank_holidays.hpp"
#include "domain/london_time.hpp"

namespace frontdoor::domain {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::sys_days;

void require_valid(const WorkingHours& hours) {
  if (!hours.validate().ok()) {
    throw std::invalid_argument("working hours must satisfy 0 <= start < end <= 24h");
  }
}

void sort_unique(std::vector<sys_days>& dates) {
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
}

}  // namespace

Status WorkingHours::validate() const {
  if (start < minutes{0} || start >= minutes{24 * 60}) {
    return Error::field("working_hours_start", "Enter a start time between midnight and 11:59pm");
  }
  if (end <= start || end > minutes{24 * 60}) {
    return Error::field("working_hours_end", "The end of working hours must be after the start");
  }
  return ok_status();
}

WorkingDayCalendar::WorkingDayCalendar(std::vector<sys_days> bank_holidays)
    : holidays_(std::move(bank_holidays)) {
  sort_unique(holidays_);
}

WorkingDayCalendar WorkingDayCalendar::england_and_wales() {
  return WorkingDayCalendar(england_and_wales_bank_holiday_dates());
}

WorkingDayCalendar WorkingDayCalendar::with_bank_holidays(
    const std::vector<sys_days>& extra) const {
  std::vector<sys_days> all = holidays_;
  all.insert(all.end(), extra.begin(), extra.end());
  return WorkingDayCalendar(std::move(all));
}

bool WorkingDayCalendar::is_bank_holiday(sys_days day) const {
  return std::binary_search(holidays_.begin(), holidays_.end(), day);
}

bool WorkingDayCalendar::is_working_day(sys_days day) const {
  const std::chrono::weekday wd{day};
  if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) return false;
  return !is_bank_holiday(day);
}

sys_days WorkingDayCalendar::next_working_day(sys_days day) const {
  return working_day_on_or_after(day + days{1});
}

sys_days WorkingDayCalendar::working_day_on_or_after(sys_days day) const {
  // A run of non-working days is at most a few days long (e.g. Christmas
  // on a Friday), so this loop is short.
  while (!is_working_day(day)) day += days{1};
  return day;
}

sys_days WorkingDayCalendar::add_working_days(sys_days day, int n) const {
  while (n > 0) {
    day = next_working_day(day);
    --n;
  }
  while (n < 0) {
    do {
      day -= days{1};
    } while (!is_working_day(day));
    ++n;
  }
  return day;
}

int WorkingDayCalendar::working_days_between(sys_days from, sys_days to) const {
  if (to < from) return -working_days_between(to, from);
  int count = 0;
  for (sys_days d = from + days{1}; d <= to; d += days{1}) {
    if (is_working_day(d)) ++count;
  }
  return count;
}

Instant WorkingDayCalendar::add_working_time(Instant start, minutes amount,
                                             const WorkingHours& hours) const {
  require_valid(hours);
  if (amount <= minutes{0}) return start;
  milliseconds remaining = amount;
  Instant t = start;
  sys_days day = london_date(start);
  for (;;) {
    if (is_working_day(day)) {
      const Instant open = from_london(day, hours.start);
      const Instant close = from_london(day, hours.end);
      if (t < open) t = open;
      if (t < close) {
        const milliseconds available = close - t;
        if (remaining <= available) return t + remaining;
        remaining -= available;
      }
    }
    day = next_working_day(day);
  }
}

minutes WorkingDayCalendar::working_time_between(Instant a, Instant b,
                                                 const WorkingHours& hours) const {
  require_valid(hours);
  if (b < a) return -working_time_between(b, a, hours);
  milliseconds total{0};
  const sys_days last = london_date(b);
  for (sys_days day = london_date(a); day <= last; day += days{1}) {
    if (!is_working_day(day)) continue;
    const Instant lo = std::max(a, from_london(day, hours.start));
    const Instant hi = std::min(b, from_london(day, hours.end));
    if (hi > lo) total += hi - lo;
  }
  return std::chrono::duration_cast<minutes>(total);
}

Instant WorkingDayCalendar::close_of_day(sys_days day, const WorkingHours& hours) const {
  return from_london(day, hours.end);
}

std::optional<sys_days> WorkingDayCalendar::last_known_bank_holiday() const {
  if (holidays_.empty()) return std::nullopt;
  return holidays_.back();
}

}  // namespace frontdoor::domain
