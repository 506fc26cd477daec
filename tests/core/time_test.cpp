#include "core/time.hpp"

#include <gtest/gtest.h>

namespace frontdoor {
namespace {

TEST(Time, FormatsAndParsesUtcRoundTrip) {
  const Instant t = utc(2026, 11, 22, 7, 40, 5) + std::chrono::milliseconds{123};
  EXPECT_EQ(format_utc(t), "2026-11-22T07:40:05.123Z");
  EXPECT_EQ(parse_utc("2026-11-22T07:40:05.123Z"), t);
}

TEST(Time, ParsesOffsetsToUtc) {
  EXPECT_EQ(parse_utc("2026-07-01T10:00:00+01:00"), utc(2026, 7, 1, 9, 0, 0));
  EXPECT_EQ(parse_utc("2026-07-01T10:00:00-02:30"), utc(2026, 7, 1, 12, 30, 0));
}

TEST(Time, RejectsMalformedTimes) {
  EXPECT_FALSE(parse_utc("2026-02-30T10:00:00Z"));
  EXPECT_FALSE(parse_utc("2026-07-01 10:00:00Z"));
  EXPECT_FALSE(parse_utc("2026-07-01T25:00:00Z"));
  EXPECT_FALSE(parse_utc("2026-07-01T10:00:00"));
  EXPECT_FALSE(parse_utc("2026-07-01T10:00:00.Z"));
  EXPECT_FALSE(parse_date("2026-7-01"));
}

TEST(Time, ManualClockMovesOnlyWhenTold) {
  ManualClock clock{utc(2026, 1, 1)};
  EXPECT_EQ(clock.now(), utc(2026, 1, 1));
  clock.advance(std::chrono::hours{25});
  EXPECT_EQ(clock.now(), utc(2026, 1, 2, 1));
}

}  // namespace
}  // namespace frontdoor
