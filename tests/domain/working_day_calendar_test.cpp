#include "domain/working_day_calendar.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

#include "domain/london_time.hpp"

namespace frontdoor::domain {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;

sys_days D(std::string_view text) {
  return *parse_date(text);
}

class CalendarTest : public ::testing::Test {
 protected:
  const WorkingDayCalendar cal = WorkingDayCalendar::england_and_wales();
};

TEST_F(CalendarTest, WeekendsAndBankHolidaysAreNotWorkingDays) {
  EXPECT_TRUE(cal.is_working_day(D("2026-11-23")));   // Monday
  EXPECT_TRUE(cal.is_working_day(D("2026-11-20")));   // Friday
  EXPECT_FALSE(cal.is_working_day(D("2026-11-21")));  // Saturday
  EXPECT_FALSE(cal.is_working_day(D("2026-11-22")));  // Sunday
  for (const char* day : {"2020-05-08", "2022-06-02", "2022-06-03", "2022-09-19", "2023-05-08",
                          "2021-12-27", "2021-12-28", "2022-01-03", "2026-08-31", "2026-12-28"}) {
    EXPECT_FALSE(cal.is_working_day(D(day))) << day;
    EXPECT_TRUE(cal.is_bank_holiday(D(day))) << day;
  }
  EXPECT_TRUE(cal.is_working_day(D("2022-06-01")));
  EXPECT_TRUE(cal.is_working_day(D("2020-05-04")));    // the usual holiday, moved that year
  EXPECT_FALSE(cal.is_bank_holiday(D("2021-12-25")));  // a Saturday, not in the list
}

TEST_F(CalendarTest, NextWorkingDaySkipsRunsOfHolidays) {
  EXPECT_EQ(cal.next_working_day(D("2021-12-24")), D("2021-12-29"));  // Christmas substitutes
  EXPECT_EQ(cal.next_working_day(D("2022-06-01")), D("2022-06-06"));  // Jubilee weekend
  EXPECT_EQ(cal.next_working_day(D("2022-09-16")), D("2022-09-20"));  // state funeral
  EXPECT_EQ(cal.next_working_day(D("2023-05-05")), D("2023-05-09"));  // coronation
  EXPECT_EQ(cal.next_working_day(D("2026-11-23")), D("2026-11-24"));
  EXPECT_EQ(cal.working_day_on_or_after(D("2026-11-23")), D("2026-11-23"));
  EXPECT_EQ(cal.working_day_on_or_after(D("2026-11-21")), D("2026-11-23"));
}

TEST_F(CalendarTest, AddWorkingDays) {
  EXPECT_EQ(cal.add_working_days(D("2026-11-21"), 0), D("2026-11-21"));  // day 0 is the day
  EXPECT_EQ(cal.add_working_days(D("2026-11-21"), 1), D("2026-11-23"));
  EXPECT_EQ(cal.add_working_days(D("2021-12-23"), 1), D("2021-12-24"));
  EXPECT_EQ(cal.add_working_days(D("2021-12-23"), 2), D("2021-12-29"));
  EXPECT_EQ(cal.add_working_days(D("2021-12-23"), 4), D("2021-12-31"));
  EXPECT_EQ(cal.add_working_days(D("2021-12-23"), 5), D("2022-01-04"));  // 3 Jan substitute
  // An assessment's 45 working days, nine clear weeks with no bank holiday.
  EXPECT_EQ(cal.add_working_days(D("2026-06-01"), 45), D("2026-08-03"));
  // Backwards.
  EXPECT_EQ(cal.add_working_days(D("2021-12-29"), -1), D("2021-12-24"));
  EXPECT_EQ(cal.add_working_days(D("2022-06-06"), -2), D("2022-05-31"));
}

TEST_F(CalendarTest, WorkingDaysBetweenCountsAfterFromUpToAndIncludingTo) {
  EXPECT_EQ(cal.working_days_between(D("2021-12-24"), D("2021-12-24")), 0);
  EXPECT_EQ(cal.working_days_between(D("2021-12-24"), D("2021-12-29")), 1);
  EXPECT_EQ(cal.working_days_between(D("2021-12-29"), D("2021-12-24")), -1);
  EXPECT_EQ(cal.working_days_between(D("2022-05-31"), D("2022-06-07")), 3);
  // 2022: 260 weekdays less 10 weekday bank holidays (Jan 3, Apr 15, Apr 18,
  // May 2, Jun 2, Jun 3, Aug 29, Sep 19, Dec 26, Dec 27).
  EXPECT_EQ(cal.working_days_between(D("2021-12-31"), D("2022-12-31")), 250);
}

TEST_F(CalendarTest, AddAndBetweenAgreeEverywhere) {
  for (sys_days d = D("2019-01-01"); d <= D("2027-12-31"); d += std::chrono::days{3}) {
    for (int n = 0; n <= 12; n += 3) {
      const sys_days due = cal.add_working_days(d, n);
      ASSERT_EQ(cal.working_days_between(d, due), n) << format_date(d) << " + " << n;
      if (n > 0) {
        ASSERT_TRUE(cal.is_working_day(due));
      }
    }
  }
}

TEST_F(CalendarTest, SaturdayNightContactWithFourWorkingHours) {
  // Received 02:10 on Saturday 21 November 2026 (GMT): due 1pm Monday.
  EXPECT_EQ(cal.add_working_time(utc(2026, 11, 21, 2, 10), 4h), utc(2026, 11, 23, 13));
  // Saturday 29 August 2026 02:10 BST; Monday 31 is the summer bank holiday,
  // so 1pm BST on Tuesday.
  EXPECT_EQ(cal.add_working_time(utc(2026, 8, 29, 1, 10), 4h), utc(2026, 9, 1, 12));
}

TEST_F(CalendarTest, AddWorkingTimeWithinAndAcrossDays) {
  EXPECT_EQ(cal.add_working_time(utc(2026, 11, 23, 10), 4h), utc(2026, 11, 23, 14));
  EXPECT_EQ(cal.add_working_time(utc(2026, 11, 23, 15), 4h), utc(2026, 11, 24, 11));
  // Using up the day exactly ends at 5pm, not 9am the next day.
  EXPECT_EQ(cal.add_working_time(utc(2026, 11, 23, 13), 4h), utc(2026, 11, 23, 17));
  EXPECT_EQ(cal.add_working_time(utc(2026, 11, 20, 17), 1min), utc(2026, 11, 23, 9, 1));
  EXPECT_EQ(cal.add_working_time(utc(2026, 11, 23, 7), 30min), utc(2026, 11, 23, 9, 30));
  EXPECT_EQ(cal.add_working_time(utc(2026, 11, 23, 7), 0min), utc(2026, 11, 23, 7));
  // Two full working days from Christmas Eve 2026 morning: Thu 24 (8h) then
  // Tue 29 (Fri 25 and Mon 28 are bank holidays).
  EXPECT_EQ(cal.add_working_time(utc(2026, 12, 24, 9), 16h), utc(2026, 12, 29, 17));
}

TEST_F(CalendarTest, WorkingHoursAreLocalAcrossTheSpringChange) {
  // Friday 27 March 2026, 3pm GMT, plus 4 working hours: 2h on Friday, 2h
  // from 9am BST on Monday 30 March = 11am BST = 10:00 UTC.
  EXPECT_EQ(cal.add_working_time(utc(2026, 3, 27, 15), 4h), utc(2026, 3, 30, 10));
  EXPECT_EQ(cal.working_time_between(utc(2026, 3, 27, 16), utc(2026, 3, 30, 9)), 120min);
  EXPECT_EQ(cal.working_time_between(utc(2026, 3, 30, 9), utc(2026, 3, 27, 16)), -120min);
  // Monday 30 March: 9am-5pm BST is 08:00-16:00 UTC.
  EXPECT_EQ(cal.working_time_between(utc(2026, 3, 30, 0), utc(2026, 3, 31, 0)), 480min);
  EXPECT_EQ(cal.close_of_day(D("2026-03-30")), utc(2026, 3, 30, 16));
}

TEST_F(CalendarTest, WorkingHoursAreLocalAcrossTheAutumnChange) {
  // Friday 23 October 2026, 3pm BST (14:00 UTC), plus 4 working hours: 2h on
  // Friday, 2h from 9am GMT on Monday 26 = 11:00 UTC.
  EXPECT_EQ(cal.add_working_time(utc(2026, 10, 23, 14), 4h), utc(2026, 10, 26, 11));
  EXPECT_EQ(cal.working_time_between(utc(2026, 10, 23, 14), utc(2026, 10, 26, 11)), 240min);
}

TEST_F(CalendarTest, WorkingTimeBetween) {
  EXPECT_EQ(cal.working_time_between(utc(2026, 11, 23, 9), utc(2026, 11, 23, 17)), 480min);
  EXPECT_EQ(cal.working_time_between(utc(2026, 11, 21, 0), utc(2026, 11, 23, 0)), 0min);
  // Monday to the next Monday, Christmas 2026: Tue 22, Wed 23, Thu 24 (the
  // 25th and 28th are bank holidays) plus Mon 21 itself.
  EXPECT_EQ(cal.working_time_between(utc(2026, 12, 21, 0), utc(2026, 12, 29, 0)), 4 * 480min);
  EXPECT_EQ(cal.working_time_between(utc(2026, 11, 23, 10, 0, 59), utc(2026, 11, 23, 10, 2)),
            1min);  // truncated to whole minutes
}

TEST_F(CalendarTest, AddAndBetweenAgreeForWorkingTime) {
  for (Instant t = utc(2026, 3, 20); t < utc(2026, 4, 10); t += 97min) {
    for (std::chrono::minutes amount : {1min, 59min, 240min, 480min, 800min, 2400min}) {
      const Instant due = cal.add_working_time(t, amount);
      ASSERT_EQ(cal.working_time_between(t, due), amount) << format_utc(t);
    }
  }
}

TEST_F(CalendarTest, CustomWorkingHours) {
  const WorkingHours hours{8h + 30min, 16h + 30min};
  EXPECT_EQ(cal.add_working_time(utc(2026, 11, 21, 2, 10), 4h, hours), utc(2026, 11, 23, 12, 30));
  EXPECT_EQ(cal.close_of_day(D("2026-11-23"), hours), utc(2026, 11, 23, 16, 30));
  const WorkingHours all_day{0h, 24h};
  EXPECT_EQ(cal.add_working_time(utc(2026, 11, 20, 23), 2h, all_day), utc(2026, 11, 23, 1));
}

TEST(WorkingHours, Validation) {
  EXPECT_TRUE((WorkingHours{}).validate().ok());
  EXPECT_TRUE((WorkingHours{0h, 24h}).validate().ok());
  auto backwards = WorkingHours{17h, 9h}.validate();
  ASSERT_FALSE(backwards.ok());
  EXPECT_EQ(backwards.error().fields.at(0).field, "working_hours_end");
  EXPECT_FALSE((WorkingHours{9h, 9h}).validate().ok());
  EXPECT_FALSE((WorkingHours{-1h, 9h}).validate().ok());
  EXPECT_FALSE((WorkingHours{9h, 25h}).validate().ok());
  const auto cal = WorkingDayCalendar::england_and_wales();
  EXPECT_THROW((void)cal.add_working_time(utc(2026, 1, 5), 1h, WorkingHours{17h, 9h}),
               std::invalid_argument);
}

TEST(WorkingDayCalendarCustom, BuiltFromAnyList) {
  const WorkingDayCalendar cal({D("2030-01-02"), D("2030-01-01"), D("2030-01-01")});
  EXPECT_EQ(cal.bank_holidays().size(), 2u);
  EXPECT_EQ(cal.next_working_day(D("2029-12-31")), D("2030-01-03"));
  EXPECT_EQ(cal.last_known_bank_holiday(), D("2030-01-02"));
  EXPECT_FALSE(WorkingDayCalendar({}).last_known_bank_holiday().has_value());
  EXPECT_EQ(WorkingDayCalendar::england_and_wales().last_known_bank_holiday(), D("2027-12-28"));
}

}  // namespace
}  // namespace frontdoor::domain
