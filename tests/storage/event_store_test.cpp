#include "storage/event_store.hpp"

#include <gtest/gtest.h>

#include "storage/audit_log.hpp"
#include "storage_test_support.hpp"

namespace frontdoor::storage {
namespace {

using testing::TempDatabase;
using testing::worker;

NewEvent ev(std::string type, nlohmann::json payload = nlohmann::json::object()) {
  NewEvent e;
  e.type = std::move(type);
  e.payload = std::move(payload);
  return e;
}

TEST(EventStore, AppendsInOrderWithVersionsAndActor) {
  TempDatabase t;
  const Instant now = utc(2026, 11, 23, 9, 0);
  ASSERT_TRUE(t.db()
                  .write([&](Transaction& tx) -> Status {
                    FD_TRY(EventStore::append(
                        tx, "contact/1", kNewStream, worker(),
                        {ev("ContactReceived", {{"n", 1}}), ev("ContactScreened")}, now));
                    return ok_status();
                  })
                  .ok());
  std::vector<StoredEvent> events;
  ASSERT_TRUE(t.db()
                  .read([&](Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(events, EventStore::read_stream(tx, "contact/1"));
                    return ok_status();
                  })
                  .ok());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].seq, 1);
  EXPECT_EQ(events[1].seq, 2);
  EXPECT_EQ(events[0].stream_version, 1);
  EXPECT_EQ(events[1].stream_version, 2);
  EXPECT_EQ(events[0].payload["n"], 1);
  EXPECT_EQ(events[0].actor.display_name, "Sam Worker");
  EXPECT_EQ(events[0].actor.role, domain::Role::kMashSocialWorker);
  EXPECT_EQ(events[0].recorded_at, now);
  EXPECT_EQ(events[1].prev_hash, events[0].hash);
  EXPECT_EQ(event_hash(events[1]), events[1].hash);
}

TEST(EventStore, StaleVersionIsAConflictAndWritesNothing) {
  TempDatabase t;
  const Instant now = utc(2026, 11, 23, 9, 0);
  ASSERT_TRUE(t.db()
                  .write([&](Transaction& tx) -> Status {
                    return EventStore::append(tx, "contact/1", 0, worker(), {ev("A")}, now).ok()
                               ? ok_status()
                               : Status{Error::internal("append failed")};
                  })
                  .ok());
  Status second = t.db().write([&](Transaction& tx) -> Status {
    FD_TRY(EventStore::append(tx, "contact/2", 0, worker(), {ev("B")}, now));
    // Read version 0 earlier, but the stream is at version 1 now.
    FD_TRY(EventStore::append(tx, "contact/1", 0, worker(), {ev("C")}, now));
    return ok_status();
  });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  std::int64_t last = -1;
  ASSERT_TRUE(t.db()
                  .read([&](Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(last, EventStore::last_seq(tx));
                    return ok_status();
                  })
                  .ok());
  EXPECT_EQ(last, 1) << "the whole transaction rolled back, including contact/2";
}

TEST(EventStore, EventsCannotBeUpdatedOrDeleted) {
  TempDatabase t;
  ASSERT_TRUE(t.db()
                  .write([&](Transaction& tx) -> Status {
                    FD_TRY(EventStore::append(tx, "person/1", 0, worker(), {ev("PersonRecorded")},
                                              utc(2026, 1, 1)));
                    return AuditLog::record(tx, worker(), utc(2026, 1, 1), "view", "person/1",
                                            "test", AuditOutcome::kAllowed);
                  })
                  .ok());
  EXPECT_FALSE(
      t.db().write([](Transaction& tx) { return tx.exec("UPDATE events SET type = 'X'"); }).ok());
  EXPECT_FALSE(
      t.db().write([](Transaction& tx) { return tx.exec("UPDATE audit SET basis = 'X'"); }).ok());
  EXPECT_FALSE(t.db().write([](Transaction& tx) { return tx.exec("DELETE FROM events"); }).ok());
  EXPECT_FALSE(t.db().write([](Transaction& tx) { return tx.exec("DELETE FROM audit"); }).ok());
}

TEST(EventStore, IdempotencyKeyIsUniqueAndFindable) {
  TempDatabase t;
  NewEvent e = ev("ContactReceived");
  e.idempotency_key = "police/PPN-1";
  ASSERT_TRUE(t.db()
                  .write([&](Transaction& tx) -> Status {
                    FD_TRY(EventStore::append(tx, "contact/1", 0, worker(), {e}, utc(2026, 1, 1)));
                    return ok_status();
                  })
                  .ok());
  Status again = t.db().write([&](Transaction& tx) -> Status {
    FD_TRY(EventStore::append(tx, "contact/2", 0, worker(), {e}, utc(2026, 1, 1)));
    return ok_status();
  });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(t.db()
                  .read([&](Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto found,
                                        EventStore::find_by_idempotency_key(tx, "police/PPN-1"));
                    EXPECT_TRUE(found.has_value());
                    EXPECT_EQ(found->stream, "contact/1");
                    return ok_status();
                  })
                  .ok());
}

TEST(EventStore, ReadsSeveralStreamsInCommitOrder) {
  TempDatabase t;
  ASSERT_TRUE(
      t.db()
          .write([&](Transaction& tx) -> Status {
            FD_TRY(EventStore::append(tx, "person/1", 0, worker(), {ev("P1")}, utc(2026, 1, 1)));
            FD_TRY(EventStore::append(tx, "contact/1", 0, worker(), {ev("C1")}, utc(2026, 1, 2)));
            FD_TRY(EventStore::append(tx, "contact/9", 0, worker(), {ev("X")}, utc(2026, 1, 2)));
            FD_TRY(EventStore::append(tx, "person/1", 1, worker(), {ev("P2")}, utc(2026, 1, 3)));
            return ok_status();
          })
          .ok());
  ASSERT_TRUE(t.db()
                  .read([&](Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto events,
                                        EventStore::read_streams(tx, {"person/1", "contact/1"}));
                    EXPECT_EQ(events.size(), 3u);
                    EXPECT_EQ(events[0].type, "P1");
                    EXPECT_EQ(events[1].type, "C1");
                    EXPECT_EQ(events[2].type, "P2");
                    return ok_status();
                  })
                  .ok());
}

TEST(AuditLog, RecordsChainedEntriesPerSubject) {
  TempDatabase t;
  ASSERT_TRUE(t.db()
                  .write([&](Transaction& tx) -> Status {
                    FD_TRY(AuditLog::record(tx, worker(), utc(2026, 1, 1), "view", "person/1",
                                            "MASH social worker", AuditOutcome::kAllowed));
                    FD_TRY(AuditLog::record(tx, worker(), utc(2026, 1, 1), "view", "person/2",
                                            "none", AuditOutcome::kRefused));
                    FD_TRY(AuditLog::record(tx, worker(), utc(2026, 1, 2), "view", "person/1",
                                            "MASH social worker", AuditOutcome::kAllowed));
                    return ok_status();
                  })
                  .ok());
  ASSERT_TRUE(t.db()
                  .read([&](Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto entries, AuditLog::for_subject(tx, "person/1"));
                    EXPECT_EQ(entries.size(), 2u);
                    FD_ASSIGN_OR_RETURN(auto all, AuditLog::all(tx, 0, 10));
                    EXPECT_EQ(all.size(), 3u);
                    EXPECT_EQ(all[1].outcome, AuditOutcome::kRefused);
                    EXPECT_EQ(all[1].prev_hash, all[0].hash);
                    EXPECT_EQ(all[2].prev_hash, all[1].hash);
                    EXPECT_EQ(audit_hash(all[2]), all[2].hash);
                    return ok_status();
                  })
                  .ok());
}

TEST(Database, IsDurableByConfiguration) {
  TempDatabase t;
  if (SqliteDatabase* sqlite = t.sqlite()) {
    auto level = sqlite->synchronous_level();
    ASSERT_TRUE(level.ok());
    EXPECT_EQ(*level, 2) << "synchronous=FULL";
    auto mode = sqlite->journal_mode();
    ASSERT_TRUE(mode.ok());
    EXPECT_EQ(*mode, "wal");
  } else {
    auto d = t.postgres()->durability();
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->fsync, "on");
    EXPECT_NE(d->synchronous_commit, "off");
    EXPECT_EQ(d->full_page_writes, "on");
    EXPECT_EQ(d->problem(), "");
  }
}

TEST(Migrations, AreAppliedOnceAndRecorded) {
  TempDatabase t;
  auto again = migrate(t.db(), "2026-01-02T00:00:00.000Z");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  auto version = schema_version(t.db());
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, static_cast<int>(migrations().back().version));
}

TEST(Database, ErrorInsideWorkRollsBack) {
  TempDatabase t;
  Status s = t.db().write([](Transaction& tx) -> Status {
    FD_TRY(tx.exec("INSERT INTO settings (name, value) VALUES ('a', '1')"));
    return Error::validation("stop");
  });
  EXPECT_FALSE(s.ok());
  ASSERT_TRUE(t.db()
                  .read([](Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT name FROM settings"));
                    EXPECT_TRUE(rows.empty());
                    return ok_status();
                  })
                  .ok());
}

}  // namespace
}  // namespace frontdoor::storage
