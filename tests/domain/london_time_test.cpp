#include "domain/london_time.hpp"

#include <gtest/gtest.h>

namespace frontdoor::domain {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;

sys_days D(std::string_view text) {
  return *parse_date(text);
}

TEST(LondonTime, BstStartsAndEndsAtOneUtcOnTheLastSundays) {
  EXPECT_EQ(bst_start(std::chrono::year{2026}), utc(2026, 3, 29, 1));
  EXPECT_EQ(bst_end(std::chrono::year{2026}), utc(2026, 10, 25, 1));
  EXPECT_EQ(bst_start(std::chrono::year{2025}), utc(2025, 3, 30, 1));
  EXPECT_EQ(bst_end(std::chrono::year{2025}), utc(2025, 10, 26, 1));
  // March 2024 ends on a Sunday (the 31st): that is the last Sunday.
  EXPECT_EQ(bst_start(std::chrono::year{2024}), utc(2024, 3, 31, 1));
}

TEST(LondonTime, IsBstAroundTheChanges) {
  EXPECT_FALSE(is_bst(utc(2026, 3, 29, 0, 59, 59)));
  EXPECT_TRUE(is_bst(utc(2026, 3, 29, 1)));
  EXPECT_TRUE(is_bst(utc(2026, 7, 1, 12)));
  EXPECT_TRUE(is_bst(utc(2026, 10, 25, 0, 59, 59)));
  EXPECT_FALSE(is_bst(utc(2026, 10, 25, 1)));
  EXPECT_FALSE(is_bst(utc(2026, 1, 15, 12)));
  EXPECT_EQ(london_utc_offset(utc(2026, 7, 1)), 60min);
  EXPECT_EQ(london_utc_offset(utc(2026, 12, 1)), 0min);
}

TEST(LondonTime, ToLondon) {
  EXPECT_EQ(to_london(utc(2026, 1, 15, 9, 30)), (LocalDateTime{D("2026-01-15"), 9h + 30min}));
  EXPECT_EQ(to_london(utc(2026, 7, 1, 12)), (LocalDateTime{D("2026-07-01"), 13h}));
  // 23:30 UTC in summer is half past midnight the next day in London.
  EXPECT_EQ(to_london(utc(2026, 7, 1, 23, 30)), (LocalDateTime{D("2026-07-02"), 30min}));
  EXPECT_EQ(london_date(utc(2026, 7, 1, 23, 30)), D("2026-07-02"));
  EXPECT_EQ(london_date(utc(2026, 12, 31, 23, 30)), D("2026-12-31"));
  // Across the spring change: 00:59 GMT then 02:00 BST.
  EXPECT_EQ(to_london(utc(2026, 3, 29, 0, 59)).time_of_day, 59min);
  EXPECT_EQ(to_london(utc(2026, 3, 29, 1, 0)).time_of_day, 2h);
  // Across the autumn change: 01:59 BST, then 01:00 GMT again.
  EXPECT_EQ(to_london(utc(2026, 10, 25, 0, 59)).time_of_day, 1h + 59min);
  EXPECT_EQ(to_london(utc(2026, 10, 25, 1, 0)).time_of_day, 1h);
}

TEST(LondonTime, FromLondonOrdinaryTimes) {
  EXPECT_EQ(from_london(D("2026-01-15"), 9h), utc(2026, 1, 15, 9));
  EXPECT_EQ(from_london(D("2026-07-01"), 13h), utc(2026, 7, 1, 12));
  EXPECT_EQ(from_london(D("2026-07-02"), 30min), utc(2026, 7, 1, 23, 30));
  EXPECT_EQ(from_london(D("2026-07-01"), 24h), utc(2026, 7, 1, 23));  // end of day
  EXPECT_EQ(from_london(LocalDateTime{D("2026-11-23"), 17h}), utc(2026, 11, 23, 17));
}

TEST(LondonTime, FromLondonSkippedHourMapsForward) {
  // 29 March 2026: clocks go from 01:00 GMT to 02:00 BST.
  EXPECT_EQ(from_london(D("2026-03-29"), 30min), utc(2026, 3, 29, 0, 30));
  EXPECT_EQ(from_london(D("2026-03-29"), 1h), utc(2026, 3, 29, 1));
  EXPECT_EQ(from_london(D("2026-03-29"), 1h + 30min), utc(2026, 3, 29, 1, 30));
  EXPECT_EQ(to_london(utc(2026, 3, 29, 1, 30)).time_of_day, 2h + 30min);
  EXPECT_EQ(from_london(D("2026-03-29"), 2h + 30min), utc(2026, 3, 29, 1, 30));
  EXPECT_EQ(from_london(D("2026-03-29"), 9h), utc(2026, 3, 29, 8));
}

TEST(LondonTime, FromLondonRepeatedHourTakesTheFirst) {
  // 25 October 2026: 01:00-01:59 happens in BST, then again in GMT.
  EXPECT_EQ(from_london(D("2026-10-25"), 30min), utc(2026, 10, 24, 23, 30));
  EXPECT_EQ(from_london(D("2026-10-25"), 1h + 30min), utc(2026, 10, 25, 0, 30));
  EXPECT_EQ(from_london(D("2026-10-25"), 2h), utc(2026, 10, 25, 2));
  EXPECT_EQ(from_london(D("2026-10-25"), 9h), utc(2026, 10, 25, 9));
}

TEST(LondonTime, RoundTripEveryQuarterHourOf2026) {
  for (Instant t = utc(2026, 1, 1); t < utc(2027, 1, 1); t += 15min) {
    const bool second_of_repeated_hour = t >= utc(2026, 10, 25, 1) && t < utc(2026, 10, 25, 2);
    if (second_of_repeated_hour) {
      EXPECT_EQ(from_london(to_london(t)), t - 1h);
    } else {
      ASSERT_EQ(from_london(to_london(t)), t) << format_utc(t);
    }
  }
}

TEST(LondonTime, FormatGovukStyle) {
  EXPECT_EQ(format_london(utc(2026, 11, 21, 2, 10)), "Sat 21 Nov 2026, 2:10am");
  EXPECT_EQ(format_london_date(utc(2026, 11, 21, 2, 10)), "21 November 2026");
  EXPECT_EQ(format_london(utc(2026, 7, 1, 11)), "Wed 1 Jul 2026, midday");
  EXPECT_EQ(format_london(utc(2026, 7, 1, 23)), "Thu 2 Jul 2026, midnight");
  EXPECT_EQ(format_london(utc(2026, 1, 1)), "Thu 1 Jan 2026, midnight");
  EXPECT_EQ(format_london_time(utc(2026, 1, 1, 12, 30)), "12:30pm");
  EXPECT_EQ(format_london_time(utc(2026, 1, 1, 0, 5)), "12:05am");
  EXPECT_EQ(format_london_time(utc(2026, 1, 1, 9)), "9am");
  EXPECT_EQ(format_london_time(utc(2026, 1, 1, 17, 45)), "5:45pm");
  EXPECT_EQ(format_london_time(utc(2026, 1, 1, 23, 59, 59)), "11:59pm");  // truncated
  EXPECT_EQ(format_london_time(utc(2026, 7, 1, 8)), "9am");               // BST
  EXPECT_EQ(format_london_date(utc(2026, 7, 1, 23, 30)), "2 July 2026");
}

TEST(LondonTime, FormatDates) {
  EXPECT_EQ(format_long_date(D("2026-09-03")), "3 September 2026");
  EXPECT_EQ(format_short_date(D("2026-09-03")), "Thu 3 Sep 2026");
  EXPECT_EQ(format_time_of_day(13h + 5min), "1:05pm");
  EXPECT_EQ(format_time_of_day(12h), "midday");
  EXPECT_EQ(format_time_of_day(0h), "midnight");
}

}  // namespace
}  // namespace frontdoor::domain
