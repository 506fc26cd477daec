#include "core/file_clock.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <random>
#include <string>

namespace frontdoor {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class FileClockTest : public ::testing::Test {
 protected:
  FileClockTest() {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("frontdoor-clock-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    file_ = dir_ / "clock";
  }
  ~FileClockTest() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Writes in place (same inode) and sets the modification time.
  void write_in_place(const std::string& text, Instant mtime) {
    {
      std::ofstream out(file_, std::ios::binary | std::ios::trunc);
      out << text;
    }
    set_mtime(file_, mtime);
  }
  // Writes a new file and renames it over the old one (a new inode).
  void replace(const std::string& text, Instant mtime) {
    const auto tmp = dir_ / "clock.tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text;
    }
    set_mtime(tmp, mtime);
    std::filesystem::rename(tmp, file_);
  }
  static void set_mtime(const std::filesystem::path& p, Instant t) {
    const auto ms = t.time_since_epoch().count();
    struct timespec times[2];
    times[0].tv_sec = static_cast<time_t>(ms / 1000);
    times[0].tv_nsec = static_cast<long>((ms % 1000) * 1'000'000);
    times[1] = times[0];
    ASSERT_EQ(::utimensat(AT_FDCWD, p.c_str(), times, 0), 0);
  }

  std::filesystem::path dir_;
  std::filesystem::path file_;
};

TEST_F(FileClockTest, NowIsTheWrittenInstantPlusRealTimeSinceTheFileChanged) {
  const Instant changed = utc(2030, 1, 15, 12, 0, 0);
  write_in_place("2026-11-28T02:10:00Z\n", changed);
  ManualClock real(changed + seconds{90});
  auto clock = FileClock::open(file_, real);
  ASSERT_TRUE(clock.ok()) << clock.error().message;
  EXPECT_EQ(format_utc((*clock)->now()), "2026-11-28T02:11:30.000Z");
  real.advance(std::chrono::hours{1} + milliseconds{250});
  EXPECT_EQ(format_utc((*clock)->now()), "2026-11-28T03:11:30.250Z");
}

TEST_F(FileClockTest, RewritingTheFileInPlaceMovesTime) {
  const Instant first = utc(2030, 1, 15, 12, 0, 0);
  write_in_place("2026-11-28T02:10:00Z", first);
  ManualClock real(first + seconds{10});
  auto clock = FileClock::open(file_, real);
  ASSERT_TRUE(clock.ok());
  EXPECT_EQ((*clock)->now(), utc(2026, 11, 28, 2, 10, 10));
  // Same inode and same length: only the modification time tells it changed.
  const Instant second = first + seconds{30};
  write_in_place("2026-11-30T09:30:00Z", second);
  real.set(second + seconds{5});
  EXPECT_EQ((*clock)->now(), utc(2026, 11, 30, 9, 30, 5));
}

TEST_F(FileClockTest, ReplacingTheFileByRenameMovesTime) {
  const Instant first = utc(2030, 1, 15, 12, 0, 0);
  write_in_place("2026-11-28T02:10:00Z", first);
  ManualClock real(first);
  auto clock = FileClock::open(file_, real);
  ASSERT_TRUE(clock.ok());
  EXPECT_EQ((*clock)->now(), utc(2026, 11, 28, 2, 10, 0));
  // Same modification time on purpose: the new inode is enough.
  replace("2026-11-30T09:30:00.000+00:00", first);
  EXPECT_EQ((*clock)->now(), utc(2026, 11, 30, 9, 30, 0));
}

TEST_F(FileClockTest, AcceptsAnOffsetAndConvertsToUtc) {
  const Instant changed = utc(2030, 6, 1, 8, 0, 0);
  write_in_place("  2026-07-01T10:00:00+01:00  \n", changed);
  ManualClock real(changed);
  auto clock = FileClock::open(file_, real);
  ASSERT_TRUE(clock.ok());
  EXPECT_EQ((*clock)->now(), utc(2026, 7, 1, 9, 0, 0));
}

TEST_F(FileClockTest, RealTimeBeforeTheChangeDoesNotMoveTimeBackwards) {
  const Instant changed = utc(2030, 1, 15, 12, 0, 0);
  write_in_place("2026-11-28T02:10:00Z", changed);
  ManualClock real(changed - seconds{30});
  auto clock = FileClock::open(file_, real);
  ASSERT_TRUE(clock.ok());
  EXPECT_EQ((*clock)->now(), utc(2026, 11, 28, 2, 10, 0));
}

TEST_F(FileClockTest, KeepsTheLastGoodReadingWhenTheFileIsUnreadableThenPicksUpTheNextGoodOne) {
  const Instant first = utc(2030, 1, 15, 12, 0, 0);
  write_in_place("2026-11-28T02:10:00Z", first);
  ManualClock real(first + seconds{60});
  auto clock = FileClock::open(file_, real);
  ASSERT_TRUE(clock.ok());
  // Caught half-written: the previous reading stands, time keeps running.
  write_in_place("2026-11-3", first + seconds{40});
  EXPECT_EQ((*clock)->now(), utc(2026, 11, 28, 2, 11, 0));
  std::filesystem::remove(file_);
  EXPECT_EQ((*clock)->now(), utc(2026, 11, 28, 2, 11, 0));
  replace("2026-11-30T09:30:00Z", first + seconds{50});
  EXPECT_EQ((*clock)->now(), utc(2026, 11, 30, 9, 30, 10));
}

TEST_F(FileClockTest, OpeningAMissingOrInvalidFileFails) {
  ManualClock real(utc(2030, 1, 1));
  auto missing = FileClock::open(file_, real);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kValidation);
  EXPECT_NE(missing.error().message.find(file_.string()), std::string::npos);

  write_in_place("next Saturday", utc(2030, 1, 1));
  auto invalid = FileClock::open(file_, real);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, ErrorCode::kValidation);
  EXPECT_NE(invalid.error().message.find("next Saturday"), std::string::npos);

  write_in_place("", utc(2030, 1, 1));
  EXPECT_FALSE(FileClock::open(file_, real).ok());
}

TEST_F(FileClockTest, WithTheSystemClockTimeRunsFromTheWrittenInstant) {
  {
    std::ofstream out(file_);
    out << "2026-11-28T02:10:00Z";
  }
  auto clock = FileClock::open(file_);
  ASSERT_TRUE(clock.ok());
  const Instant t = (*clock)->now();
  // The file was written just now: at most a little real time has passed.
  EXPECT_GE(t, utc(2026, 11, 28, 2, 10, 0));
  EXPECT_LT(t, utc(2026, 11, 28, 2, 11, 0));
  EXPECT_EQ((*clock)->path(), file_);
}

}  // namespace
}  // namespace frontdoor
