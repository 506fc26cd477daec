// The sign-in throttle over the store (SQLite, or PostgreSQL under
// scripts/with-postgres.sh): the lock-out policy, the deletion of entries that
// no longer matter, and failures counted exactly when several connections
// (as several processes would) record them at once. Part of the sessions
// battery (tests/app/sessions_test.cpp writes its summary).
#include "app/sign_in_throttle.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/storage_test_support.hpp"

namespace frontdoor::app {
namespace {

using storage::Transaction;

// (Built with append rather than "literal" + std::string, which trips a GCC 12
// -Wrestrict false positive at -O3.)
std::string numbered_key(std::string_view prefix, int n) {
  std::string key(prefix);
  key.append(std::to_string(n));
  return key;
}

class SessionsThrottleTest : public ::testing::Test {
 protected:
  Status check(const SignInThrottle& throttle, std::string_view key) {
    return check_in(store.db(), throttle, key);
  }
  Status check_in(storage::Database& db, const SignInThrottle& throttle, std::string_view key) {
    Status result = ok_status();
    const Status read = db.read([&](Transaction& tx) -> Status {
      result = throttle.check(tx, key, clock.now());
      return ok_status();
    });
    EXPECT_TRUE(read.ok()) << read.error().message;
    return result;
  }
  void fail(const SignInThrottle& throttle, std::string_view key) {
    const Status s = store.db().write(
        [&](Transaction& tx) { return throttle.record_failure(tx, key, clock.now()); });
    EXPECT_TRUE(s.ok()) << s.error().message;
  }
  void succeed(std::string_view key) {
    const Status s =
        store.db().write([&](Transaction& tx) { return SignInThrottle::record_success(tx, key); });
    EXPECT_TRUE(s.ok()) << s.error().message;
  }
  std::int64_t tracked() {
    std::int64_t n = -1;
    EXPECT_TRUE(store.db()
                    .read([&](Transaction& tx) -> Status {
                      FD_ASSIGN_OR_RETURN(n, SignInThrottle::tracked(tx));
                      return ok_status();
                    })
                    .ok());
    return n;
  }

  storage::testing::TempDatabase store;
  ManualClock clock{utc(2026, 3, 2, 9, 0)};
};

TEST_F(SessionsThrottleTest, LocksAfterFiveFailuresWithinFifteenMinutes) {
  SignInThrottle throttle;
  for (int i = 0; i < 4; ++i) {
    fail(throttle, "user:alice");
    clock.advance(std::chrono::minutes(1));
    EXPECT_TRUE(check(throttle, "user:alice").ok()) << i;
  }
  fail(throttle, "user:alice");
  const Status s = check(throttle, "user:alice");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(s.error().message,
            "There have been too many attempts to sign in. Try again in 5 minutes");
  EXPECT_TRUE(check(throttle, "user:bob").ok());  // keys are independent
  clock.advance(std::chrono::seconds(4 * 60 + 1));
  EXPECT_EQ(check(throttle, "user:alice").error().message,
            "There have been too many attempts to sign in. Try again in 1 minute");
  clock.advance(std::chrono::minutes(1));
  EXPECT_TRUE(check(throttle, "user:alice").ok());
}

TEST_F(SessionsThrottleTest, FailuresOutsideTheWindowDoNotCount) {
  SignInThrottle throttle;
  for (int i = 0; i < 4; ++i) fail(throttle, "address:192.0.2.1");
  clock.advance(std::chrono::minutes(15) + std::chrono::milliseconds(1));
  fail(throttle, "address:192.0.2.1");
  EXPECT_TRUE(check(throttle, "address:192.0.2.1").ok());
  // Four more within the window (five in all since the old ones expired) lock it.
  for (int i = 0; i < 3; ++i) fail(throttle, "address:192.0.2.1");
  EXPECT_TRUE(check(throttle, "address:192.0.2.1").ok());
  fail(throttle, "address:192.0.2.1");
  EXPECT_FALSE(check(throttle, "address:192.0.2.1").ok());
}

TEST_F(SessionsThrottleTest, EachLockLastsLongerUpToTheCap) {
  SignInThrottle throttle(
      ThrottlePolicy{.first_lock = std::chrono::minutes(5), .max_lock = std::chrono::minutes(30)});
  const std::vector<int> expected_minutes = {5, 10, 20, 30, 30};
  for (int minutes : expected_minutes) {
    for (int i = 0; i < 5; ++i) fail(throttle, "user:alice");
    clock.advance(std::chrono::minutes(minutes) - std::chrono::seconds(1));
    EXPECT_FALSE(check(throttle, "user:alice").ok()) << minutes;
    clock.advance(std::chrono::seconds(1));
    EXPECT_TRUE(check(throttle, "user:alice").ok()) << minutes;
  }
}

TEST_F(SessionsThrottleTest, LockHistoryIsForgottenAfterAQuietDay) {
  SignInThrottle throttle;
  for (int i = 0; i < 5; ++i) fail(throttle, "user:alice");
  clock.advance(std::chrono::hours(25));
  for (int i = 0; i < 5; ++i) fail(throttle, "user:alice");
  EXPECT_EQ(check(throttle, "user:alice").error().message,
            "There have been too many attempts to sign in. Try again in 5 minutes");
}

TEST_F(SessionsThrottleTest, SuccessClearsTheKey) {
  SignInThrottle throttle;
  for (int i = 0; i < 4; ++i) fail(throttle, "user:alice");
  succeed("user:alice");
  EXPECT_EQ(tracked(), 0);
  fail(throttle, "user:alice");
  EXPECT_TRUE(check(throttle, "user:alice").ok());  // the count started again
  for (int i = 0; i < 4; ++i) fail(throttle, "user:alice");
  EXPECT_FALSE(check(throttle, "user:alice").ok());
  succeed("user:alice");
  EXPECT_TRUE(check(throttle, "user:alice").ok());
}

// The table holds only what still matters: a flood of one-off keys is gone
// once its window has passed, a key with a lock stays for a quiet day.
TEST_F(SessionsThrottleTest, StaleKeysAreDeletedAndLockedKeysSurviveAFlood) {
  SignInThrottle throttle;
  for (int i = 0; i < 5; ++i) fail(throttle, "user:victim");
  ASSERT_TRUE(
      store.db()
          .write([&](Transaction& tx) -> Status {
            for (int i = 0; i < 300; ++i) {
              FD_TRY(throttle.record_failure(tx, numbered_key("address:flood-", i), clock.now()));
            }
            return ok_status();
          })
          .ok());
  EXPECT_EQ(tracked(), 301);
  EXPECT_FALSE(check(throttle, "user:victim").ok());
  // After the window the flood's keys no longer matter; the victim's lock
  // history does (the next lock would be longer).
  clock.advance(std::chrono::minutes(16));
  fail(throttle, "user:other");
  EXPECT_EQ(tracked(), 2);
  clock.advance(std::chrono::hours(25));
  fail(throttle, "user:new");
  EXPECT_EQ(tracked(), 1);  // only the key just written
  EXPECT_TRUE(check(throttle, "user:victim").ok());
}

// Failures recorded at once through two handles on the store (as two
// processes would: SQLite's file lock, PostgreSQL's advisory lock) are all
// counted: with a limit of 41, forty leave the key open and one more locks it.
TEST_F(SessionsThrottleTest, FailuresFromTwoProcessesAtOnceAreAllCounted) {
  std::unique_ptr<storage::Database> second;
  if (store.postgres() != nullptr) {
    storage::PostgresOptions options;
    options.url = store.schema()->url();
    options.pool_size = 2;
    auto opened = storage::PostgresDatabase::open(options);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    second = std::move(opened).value();
  } else {
    auto opened = storage::SqliteDatabase::open(
        storage::SqliteOptions{store.dir() / "frontdoor.db", 2, true});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    second = std::move(opened).value();
  }
  const SignInThrottle throttle(ThrottlePolicy{.max_failures = 41});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    storage::Database& db = t % 2 == 0 ? store.db() : *second;
    threads.emplace_back([&, t, &db = db] {
      for (int i = 0; i < 10; ++i) {
        const Status s = db.write([&](Transaction& tx) -> Status {
          FD_TRY(throttle.record_failure(tx, "user:shared", clock.now()));
          return throttle.record_failure(tx, numbered_key("address:", t), clock.now());
        });
        EXPECT_TRUE(s.ok()) << s.error().message;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE(check_in(*second, throttle, "user:shared").ok());
  EXPECT_EQ(tracked(), 5);
  fail(throttle, "user:shared");
  EXPECT_FALSE(check_in(*second, throttle, "user:shared").ok());
  EXPECT_FALSE(check(throttle, "user:shared").ok());
}

}  // namespace
}  // namespace frontdoor::app
