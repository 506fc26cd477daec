// The change feed wakes a process when events are committed by it or by
// another process on the same store (PostgreSQL: LISTEN/NOTIFY; SQLite: its
// own commits and PRAGMA data_version), and not for writes without events.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "storage/audit_log.hpp"
#include "storage/event_store.hpp"
#include "storage_test_support.hpp"

namespace frontdoor::storage {
namespace {

using namespace std::chrono_literals;
using testing::TempDatabase;
using testing::worker;

// A second process's view of the same store.
std::unique_ptr<Database> open_again(TempDatabase& t) {
  if (t.postgres() != nullptr) {
    PostgresOptions options;
    options.url = t.schema()->url();
    options.pool_size = 2;
    auto db = PostgresDatabase::open(options);
    if (!db.ok()) throw std::runtime_error(db.error().message);
    return std::move(db).value();
  }
  auto db = SqliteDatabase::open(SqliteOptions{t.dir() / "frontdoor.db", 2, true});
  if (!db.ok()) throw std::runtime_error(db.error().message);
  return std::move(db).value();
}

Status append_one(Database& db, const std::string& stream) {
  return db.write([&](Transaction& tx) -> Status {
    NewEvent e;
    e.type = "Tested";
    FD_TRY(EventStore::append(tx, stream, kAnyVersion, worker(), {e}, utc(2026, 12, 1, 9, 0)));
    return ok_status();
  });
}

// Waits for a wake-up for at most `limit`, in short waits, as the follower does.
bool woken_within(ChangeFeed& feed, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = feed.wait(100ms);
    if (!r.ok()) throw std::runtime_error(r.error().message);
    if (*r) return true;
  }
  return false;
}

TEST(ChangeFeed, TimesOutWhenNothingIsCommitted) {
  TempDatabase t;
  auto feed = t.db().change_feed();
  ASSERT_TRUE(feed.ok()) << feed.error().message;
  const auto started = std::chrono::steady_clock::now();
  auto r = (*feed)->wait(300ms);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 250ms);
}

TEST(ChangeFeed, ThisProcessesCommitOfEventsWakesIt) {
  TempDatabase t;
  auto feed = t.db().change_feed();
  ASSERT_TRUE(feed.ok()) << feed.error().message;
  ASSERT_TRUE(append_one(t.db(), "contact/1").ok());
  EXPECT_TRUE(woken_within(**feed, 2s));
}

TEST(ChangeFeed, AnotherProcessesCommitWakesIt) {
  TempDatabase t;
  auto other = open_again(t);
  auto feed = t.db().change_feed();
  ASSERT_TRUE(feed.ok()) << feed.error().message;
  // Wait in a thread, as the follower does, while the other process writes.
  std::atomic<bool> woken{false};
  std::thread waiter([&] { woken = woken_within(**feed, 5s); });
  std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(append_one(*other, "contact/2").ok());
  waiter.join();
  EXPECT_TRUE(woken.load());
}

TEST(ChangeFeed, AWriteWithoutEventsOrARolledBackOneDoesNotWakeIt) {
  TempDatabase t;
  auto feed = t.db().change_feed();
  ASSERT_TRUE(feed.ok()) << feed.error().message;
  // A rolled-back append: its notification must not be delivered.
  Status failed = t.db().write([&](Transaction& tx) -> Status {
    NewEvent e;
    e.type = "Tested";
    FD_TRY(EventStore::append(tx, "contact/3", kAnyVersion, worker(), {e}, utc(2026, 12, 1, 9, 0)));
    return Error::validation("changed my mind");
  });
  ASSERT_FALSE(failed.ok());
  // A commit with only an audit entry (a read of a record) has no events.
  ASSERT_TRUE(t.db()
                  .write([&](Transaction& tx) -> Status {
                    return AuditLog::record(tx, worker(), utc(2026, 12, 1, 9, 0), "view",
                                            "person/1", "test", AuditOutcome::kAllowed);
                  })
                  .ok());
  auto r = (*feed)->wait(400ms);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
}

TEST(ChangeFeed, InterruptEndsAWaitAtOnce) {
  TempDatabase t;
  auto feed = t.db().change_feed();
  ASSERT_TRUE(feed.ok()) << feed.error().message;
  const auto started = std::chrono::steady_clock::now();
  std::thread stopper([&] {
    std::this_thread::sleep_for(100ms);
    (*feed)->interrupt();
  });
  auto r = (*feed)->wait(10s);
  stopper.join();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

}  // namespace
}  // namespace frontdoor::storage
