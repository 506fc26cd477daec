#include "domain/london_time.hpp"

#include <array>
#include <string_view>

namespace frontdoor::domain {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::sys_days;

// 01:00 UTC on the last Sunday of `month` in `year`.
Instant last_sunday_0100_utc(std::chrono::year y, std::chrono::month m) {
  const sys_days sunday{y / m / std::chrono::Sunday[std::chrono::last]};
  return std::chrono::time_point_cast<milliseconds>(sunday + hours{1});
}

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdayAbbrev = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};

}  // namespace

Instant bst_start(std::chrono::year year) {
  return last_sunday_0100_utc(year, std::chrono::March);
}

Instant bst_end(std::chrono::year year) {
  return last_sunday_0100_utc(year, std::chrono::October);
}

bool is_bst(Instant t) {
  const std::chrono::year_month_day ymd{std::chrono::floor<days>(t)};
  return t >= bst_start(ymd.year()) && t < bst_end(ymd.year());
}

std::chrono::minutes london_utc_offset(Instant t) {
  return is_bst(t) ? minutes{60} : minutes{0};
}

LocalDateTime to_london(Instant t) {
  const Instant local = t + london_utc_offset(t);  // a "UTC" reading of the wall clock
  const sys_days date = std::chrono::floor<days>(local);
  return LocalDateTime{date, local - date};
}

std::chrono::sys_days london_date(Instant t) {
  return to_london(t).date;
}

Instant from_london(std::chrono::sys_days date, std::chrono::milliseconds time_of_day) {
  const Instant wall = std::chrono::time_point_cast<milliseconds>(date) + time_of_day;
  const Instant as_bst = wall - hours{1};
  if (is_bst(as_bst)) return as_bst;  // summer, and the first of a repeated hour
  // Winter, or the skipped hour in spring: read on GMT, which lands after the
  // change (so the skipped hour maps forward).
  return wall;
}

std::string format_time_of_day(std::chrono::milliseconds time_of_day) {
  const auto total = std::chrono::floor<minutes>(time_of_day).count();
  const long h = static_cast<long>((total / 60) % 24);
  const long m = static_cast<long>(total % 60);
  if (m == 0 && h == 0) return "midnight";
  if (m == 0 && h == 12) return "midday";
  const long h12 = (h % 12 == 0) ? 12 : h % 12;
  std::string out = std::to_string(h12);
  if (m != 0) {
    out += ':';
    if (m < 10) out += '0';
    out += std::to_string(m);
  }
  out += h < 12 ? "am" : "pm";
  return out;
}

std::string format_long_date(std::chrono::sys_days date) {
  const std::chrono::year_month_day ymd{date};
  return std::to_string(unsigned(ymd.day())) + " " +
         std::string(kMonthNames[unsigned(ymd.month()) - 1]) + " " +
         std::to_string(int(ymd.year()));
}

std::string format_short_date(std::chrono::sys_days date) {
  const std::chrono::year_month_day ymd{date};
  const std::chrono::weekday wd{date};
  return std::string(kWeekdayAbbrev[wd.c_encoding()]) + " " + std::to_string(unsigned(ymd.day())) +
         " " + std::string(kMonthNames[unsigned(ymd.month()) - 1].substr(0, 3)) + " " +
         std::to_string(int(ymd.year()));
}

std::string format_london(Instant t) {
  const LocalDateTime local = to_london(t);
  return format_short_date(local.date) + ", " + format_time_of_day(local.time_of_day);
}

std::string format_london_date(Instant t) {
  return format_long_date(london_date(t));
}

std::string format_london_time(Instant t) {
  return format_time_of_day(to_london(t).time_of_day);
}

}  // namespace frontdoor::domain
