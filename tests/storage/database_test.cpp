// The storage seam's promises, on whichever engine the tests run against:
// SQLite by default, PostgreSQL under scripts/with-postgres.sh.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <set>
#include <thread>

#include "storage/audit_log.hpp"
#include "storage/event_store.hpp"
#include "storage_test_support.hpp"

namespace frontdoor::storage {
namespace {

using testing::TempDatabase;
using testing::worker;

NewEvent ev(std::string type) {
  NewEvent e;
  e.type = std::move(type);
  e.payload = nlohmann::json{{"t", e.type}};
  return e;
}

// A second, independent handle on the same store, as another process would
// have: its own connections, pool and in-process locks.
std::unique_ptr<Database> second_handle(TempDatabase& t) {
  if (t.sqlite() != nullptr) {
    auto db = SqliteDatabase::open(SqliteOptions{t.dir() / "frontdoor.db", 2, true});
    if (!db.ok()) throw std::runtime_error(db.error().message);
    return std::move(db).value();
  }
  PostgresOptions options;
  options.url = t.schema()->url();
  options.pool_size = 2;
  auto db = PostgresDatabase::open(options);
  if (!db.ok()) throw std::runtime_error(db.error().message);
  return std::move(db).value();
}

TEST(PostgresPlaceholders, AreNumberedOutsideQuotesAndComments) {
  int n = 0;
  EXPECT_EQ(postgres_placeholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)", n),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(n, 3);
  EXPECT_EQ(postgres_placeholders("SELECT '?', 'it''s ?', \"odd?name\" FROM t WHERE x = ?", n),
            "SELECT '?', 'it''s ?', \"odd?name\" FROM t WHERE x = $1");
  EXPECT_EQ(n, 1);
  EXPECT_EQ(postgres_placeholders("SELECT 1 -- why?\n, ? /* what? /* nested? */ */", n),
            "SELECT 1 -- why?\n, $1 /* what? /* nested? */ */");
  EXPECT_EQ(n, 1);
  EXPECT_EQ(postgres_placeholders("SELECT $$a ? b$$, $t$?$t$, ?", n),
            "SELECT $$a ? b$$, $t$?$t$, $1");
  EXPECT_EQ(n, 1);
  EXPECT_EQ(postgres_placeholders("SELECT 'unterminated ?", n), "SELECT 'unterminated ?");
  EXPECT_EQ(n, 0);
}

TEST(PostgresDurability, NamesEachUnsafeSetting) {
  PostgresDurability safe{"on", "on", "on"};
  EXPECT_EQ(safe.problem(), "");
  PostgresDurability local{"on", "local", "on"};
  EXPECT_EQ(local.problem(), "") << "local still flushes this server's WAL before acknowledging";
  PostgresDurability unsafe{"off", "off", "off"};
  EXPECT_EQ(unsafe.problem(), "fsync is off, synchronous_commit is off, full_page_writes is off");
}

TEST(PostgresUrl, IsRecognised) {
  EXPECT_TRUE(is_postgres_url("postgresql://u@/db?host=/tmp/x"));
  EXPECT_TRUE(is_postgres_url("postgres://u@localhost:5432/db"));
  EXPECT_TRUE(is_postgres_url("host=/tmp/x dbname=frontdoor"));
  EXPECT_FALSE(is_postgres_url(""));
  EXPECT_FALSE(is_postgres_url("data/frontdoor.db"));
}

TEST(PostgresGrants, QuoteNamesAndKeepLogsAppendOnly) {
  const std::string sql = postgres_app_grants("front\"door", "app");
  EXPECT_NE(sql.find("GRANT USAGE ON SCHEMA \"front\"\"door\" TO \"app\";"), std::string::npos);
  EXPECT_NE(sql.find("REVOKE UPDATE, DELETE, TRUNCATE ON \"front\"\"door\".events FROM \"app\";"),
            std::string::npos);
  EXPECT_NE(sql.find("REVOKE UPDATE, DELETE, TRUNCATE ON \"front\"\"door\".audit FROM \"app\";"),
            std::string::npos);
}

TEST(Database, ValuesRoundTripWithTheirTypes) {
  TempDatabase t;
  const std::string text = "Zoë \"Ng\" O'Brien ? 😀";
  ASSERT_TRUE(t.db()
                  .write([&](Transaction& tx) -> Status {
                    FD_TRY(tx.exec("INSERT INTO settings (name, value) VALUES (?, ?)",
                                   {std::string("a"), text}));
                    FD_TRY(tx.exec("INSERT INTO settings (name, value) VALUES (?, ?)",
                                   {std::string("b"), text}));
                    FD_TRY(tx.exec("UPDATE settings SET value = ? WHERE name IN (?, ?)",
                                   {std::string("x"), std::string("a"), std::string("b")}));
                    EXPECT_EQ(tx.changes(), 2);
                    return ok_status();
                  })
                  .ok());
  ASSERT_TRUE(
      t.db()
          .read([&](Transaction& tx) -> Status {
            FD_ASSIGN_OR_RETURN(
                auto row,
                tx.query_one(
                    "SELECT ?, ?, ?, CAST(? AS TEXT), '?', COUNT(*) FROM settings WHERE value = ?",
                    {std::int64_t{9007199254740993}, 2.5, text, nullptr, std::string("x")}));
            EXPECT_TRUE(row.has_value());
            EXPECT_TRUE(std::holds_alternative<std::int64_t>((*row)[0]));
            EXPECT_EQ(row->integer(0), 9007199254740993);
            EXPECT_TRUE(std::holds_alternative<double>((*row)[1]));
            EXPECT_DOUBLE_EQ(row->real(1), 2.5);
            EXPECT_EQ(row->text(2), text);
            EXPECT_TRUE(row->is_null(3));
            EXPECT_EQ(row->text(4), "?");
            EXPECT_EQ(row->integer(5), 2);
            FD_ASSIGN_OR_RETURN(auto none, tx.query("SELECT name FROM settings WHERE name = ?",
                                                    {std::string("missing")}));
            EXPECT_TRUE(none.empty());
            return ok_status();
          })
          .ok());
}

TEST(Database, DuplicateKeyIsAConflictAndOtherFailuresHideTheirDetail) {
  TempDatabase t;
  ASSERT_TRUE(t.db()
                  .write([](Transaction& tx) {
                    return tx.exec("INSERT INTO settings (name, value) VALUES ('k', '1')");
                  })
                  .ok());
  Status dup = t.db().write([](Transaction& tx) {
    return tx.exec("INSERT INTO settings (name, value) VALUES ('k', '2')");
  });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  Status direct;
  (void)t.db().read([&](Transaction& tx) -> Status {
    direct = tx.exec("SELECT nope FROM settings");
    return ok_status();
  });
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.error().code, ErrorCode::kInternal);
  EXPECT_EQ(direct.error().message, "storage failure") << "no SQL or engine text for clients";
}

TEST(Database, ReadsCannotWrite) {
  TempDatabase t;
  Status s = t.db().read([](Transaction& tx) {
    return tx.exec("INSERT INTO settings (name, value) VALUES ('r', '1')");
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

TEST(Database, ReadSeesOneSnapshot) {
  TempDatabase t;
  auto other = second_handle(t);
  ASSERT_TRUE(t.db()
                  .read([&](Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto before, tx.query_one("SELECT COUNT(*) FROM settings"));
                    // Another process commits while this read is open.
                    EXPECT_TRUE(
                        other
                            ->write([](Transaction& w) {
                              return w.exec(
                                  "INSERT INTO settings (name, value) VALUES ('late', '1')");
                            })
                            .ok());
                    FD_ASSIGN_OR_RETURN(auto after, tx.query_one("SELECT COUNT(*) FROM settings"));
                    EXPECT_EQ(before->integer(0), after->integer(0));
                    return ok_status();
                  })
                  .ok());
  ASSERT_TRUE(t.db()
                  .read([](Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto now, tx.query_one("SELECT COUNT(*) FROM settings"));
                    EXPECT_EQ(now->integer(0), 1);
                    return ok_status();
                  })
                  .ok());
}

// A write begun while every reader connection is busy (here, from inside the
// only one) still gets the writer connection instead of waiting forever.
TEST(Database, WriteFromInsideAReadDoesNotWaitForAReader) {
  TempDatabase t;
  std::unique_ptr<Database> one_reader;
  if (t.sqlite() != nullptr) {
    one_reader =
        std::move(SqliteDatabase::open(SqliteOptions{t.dir() / "frontdoor.db", 1, true})).value();
  } else {
    PostgresOptions options;
    options.url = t.schema()->url();
    options.pool_size = 1;
    one_reader = std::move(PostgresDatabase::open(options)).value();
  }
  ASSERT_TRUE(one_reader
                  ->read([&](Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto before, tx.query_one("SELECT COUNT(*) FROM settings"));
                    FD_TRY(one_reader->write([](Transaction& w) {
                      return w.exec("INSERT INTO settings (name, value) VALUES ('nested', '1')");
                    }));
                    FD_ASSIGN_OR_RETURN(auto after, tx.query_one("SELECT COUNT(*) FROM settings"));
                    EXPECT_EQ(before->integer(0), after->integer(0))
                        << "the read keeps its snapshot";
                    return ok_status();
                  })
                  .ok());
  if (auto* pg = dynamic_cast<PostgresDatabase*>(one_reader.get())) {
    EXPECT_EQ(pg->open_connections(), 2) << "one reader and one writer";
  }
}

// Two handles on one store (two processes) appending at once: every append
// lands, sequence numbers have no gaps and the hash chain is unbroken.
TEST(Database, WritersOfTwoProcessesAreSerialisedAndTheChainHolds) {
  TempDatabase t;
  auto other = second_handle(t);
  Database* handles[] = {&t.db(), other.get()};
  constexpr int kThreads = 4;
  constexpr int kAppends = 15;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Database& db = *handles[i % 2];
      for (int k = 0; k < kAppends; ++k) {
        Status s = db.write([&](Transaction& tx) -> Status {
          const std::string stream = "contact/" + std::to_string(i * 1000 + k);
          FD_TRY(EventStore::append(tx, stream, kNewStream, worker(), {ev("A"), ev("B")},
                                    utc(2026, 1, 1)));
          return AuditLog::record(tx, worker(), utc(2026, 1, 1), "view", stream, "test",
                                  AuditOutcome::kAllowed);
        });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(other
                  ->read([&](Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto events, EventStore::read_after(tx, 0, 1000));
                    EXPECT_EQ(events.size(), static_cast<std::size_t>(kThreads * kAppends * 2));
                    std::string prev(64, '0');
                    for (std::size_t i = 0; i < events.size(); ++i) {
                      EXPECT_EQ(events[i].seq, static_cast<std::int64_t>(i + 1));
                      EXPECT_EQ(events[i].prev_hash, prev);
                      EXPECT_EQ(event_hash(events[i]), events[i].hash);
                      prev = events[i].hash;
                    }
                    FD_ASSIGN_OR_RETURN(auto audit, AuditLog::all(tx, 0, 1000));
                    EXPECT_EQ(audit.size(), static_cast<std::size_t>(kThreads * kAppends));
                    std::string prev_audit(64, '0');
                    for (std::size_t i = 0; i < audit.size(); ++i) {
                      EXPECT_EQ(audit[i].seq, static_cast<std::int64_t>(i + 1));
                      EXPECT_EQ(audit[i].prev_hash, prev_audit);
                      EXPECT_EQ(audit_hash(audit[i]), audit[i].hash);
                      prev_audit = audit[i].hash;
                    }
                    return ok_status();
                  })
                  .ok());
}

// Two processes that read the same version of a record and both try to
// change it: exactly one change is stored, the other is a conflict.
TEST(Database, SameVersionFromTwoProcessesOnlyOneWins) {
  TempDatabase t;
  auto other = second_handle(t);
  ASSERT_TRUE(t.db()
                  .write([](Transaction& tx) -> Status {
                    FD_TRY(EventStore::append(tx, "contact/1", kNewStream, worker(),
                                              {ev("ContactReceived")}, utc(2026, 1, 1)));
                    return ok_status();
                  })
                  .ok());
  Database* handles[] = {&t.db(), other.get()};
  std::barrier sync(2);
  Status results[2];
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      std::int64_t seen = -1;
      (void)handles[i]->read([&](Transaction& tx) -> Status {
        FD_ASSIGN_OR_RETURN(seen, EventStore::stream_version(tx, "contact/1"));
        return ok_status();
      });
      sync.arrive_and_wait();  // both have read version 1
      results[i] = handles[i]->write([&](Transaction& tx) -> Status {
        FD_TRY(EventStore::append(tx, "contact/1", seen, worker(), {ev("ContactScreened")},
                                  utc(2026, 1, 2)));
        return ok_status();
      });
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_NE(results[0].ok(), results[1].ok()) << "exactly one succeeds";
  for (const auto& r : results) {
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    }
  }
  ASSERT_TRUE(t.db()
                  .read([](Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto events, EventStore::read_stream(tx, "contact/1"));
                    EXPECT_EQ(events.size(), 2u);
                    return ok_status();
                  })
                  .ok());
}

// The logs cannot be rewritten: triggers on both engines; on PostgreSQL also
// TRUNCATE, and the application's role can be denied UPDATE and DELETE.
TEST(Database, LogsCannotBeRewrittenByTheApplication) {
  TempDatabase t;
  ASSERT_TRUE(t.db()
                  .write([](Transaction& tx) -> Status {
                    FD_TRY(EventStore::append(tx, "person/1", 0, worker(), {ev("PersonRecorded")},
                                              utc(2026, 1, 1)));
                    return AuditLog::record(tx, worker(), utc(2026, 1, 1), "view", "person/1",
                                            "test", AuditOutcome::kAllowed);
                  })
                  .ok());
  for (const char* sql : {"UPDATE events SET type = 'X'", "DELETE FROM events",
                          "UPDATE audit SET outcome = 'refused'", "DELETE FROM audit"}) {
    EXPECT_FALSE(t.db().write([&](Transaction& tx) { return tx.exec(sql); }).ok()) << sql;
  }
  if (t.postgres() != nullptr) {
    for (const char* sql : {"TRUNCATE events", "TRUNCATE audit"}) {
      EXPECT_FALSE(t.db().write([&](Transaction& tx) { return tx.exec(sql); }).ok()) << sql;
    }
    // A role with the documented grants: may append, may not rewrite.
    const std::string role = t.schema()->name() + "_app";
    t.schema()->run("CREATE ROLE " + role);
    const std::string grants = postgres_app_grants(t.schema()->name(), role);
    Status granted = t.db().write([&](Transaction& tx) -> Status {
      std::size_t start = 0;
      for (std::size_t end; (end = grants.find(";\n", start)) != std::string::npos; start = end + 2)
        FD_TRY(tx.exec(grants.substr(start, end - start)));
      return ok_status();
    });
    EXPECT_TRUE(granted.ok());
    Status appended = t.db().write([&](Transaction& tx) -> Status {
      FD_TRY(tx.exec("SET LOCAL ROLE " + role));
      FD_TRY(
          EventStore::append(tx, "person/1", 1, worker(), {ev("PersonUpdated")}, utc(2026, 1, 2)));
      FD_TRY(tx.exec("UPDATE settings SET value = 'v' WHERE name = 'none'"));
      return ok_status();
    });
    EXPECT_TRUE(appended.ok()) << "the application's role can append and update projections";
    for (const char* table : {"events", "audit"}) {
      for (const char* privilege : {"UPDATE", "DELETE", "TRUNCATE"}) {
        ASSERT_TRUE(t.db()
                        .read([&](Transaction& tx) -> Status {
                          FD_ASSIGN_OR_RETURN(auto row,
                                              tx.query_one("SELECT has_table_privilege(?, ?, ?)",
                                                           {role, t.schema()->name() + "." + table,
                                                            std::string(privilege)}));
                          EXPECT_EQ(row->integer(0), 0) << table << " " << privilege;
                          return ok_status();
                        })
                        .ok());
      }
    }
    t.schema()->run("DROP OWNED BY " + role);
    t.schema()->run("DROP ROLE " + role);
  }
}

TEST(Database, UnsafeDurabilityIsDetected) {
  TempDatabase t;
  if (t.sqlite() != nullptr) {
    auto relaxed = SqliteDatabase::open(SqliteOptions{t.dir() / "relaxed.db", 1, false});
    ASSERT_TRUE(relaxed.ok());
    auto level = (*relaxed)->synchronous_level();
    ASSERT_TRUE(level.ok());
    EXPECT_LT(*level, 2) << "what Application::open refuses";
  } else {
    PostgresOptions options;
    options.url = testing::url_with_schema(*testing::postgres_test_url(), t.schema()->name()) +
                  "%20-csynchronous_commit%3Doff";
    auto refused = PostgresDatabase::open(options);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(refused.error().message.find("synchronous_commit is off"), std::string::npos)
        << refused.error().message;
  }
}

// A lost connection is kUnavailable with a fixed message, and the next
// transaction gets a working connection.
TEST(Database, StorageFailureIsUnavailableAndServiceResumes) {
  TempDatabase t;
  if (t.postgres() != nullptr) {
    Status lost = t.db().write(
        [](Transaction& tx) { return tx.exec("SELECT pg_terminate_backend(pg_backend_pid())"); });
    ASSERT_FALSE(lost.ok());
    EXPECT_EQ(lost.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(lost.error().message.find("terminat"), std::string::npos);
    // Idle pooled connections killed by the server are replaced as well.
    std::set<std::int64_t> pids;
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(t.db()
                      .read([&](Transaction& tx) -> Status {
                        FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT pg_backend_pid()"));
                        pids.insert(row->integer(0));
                        return ok_status();
                      })
                      .ok());
    }
    auto other = second_handle(t);
    for (auto pid : pids) {
      ASSERT_TRUE(
          other
              ->read([&](Transaction& tx) {
                return tx.query("SELECT pg_terminate_backend(CAST(? AS INTEGER))", {pid}).ok()
                           ? ok_status()
                           : Status{Error::internal("x")};
              })
              .ok());
    }
  } else {
    // SQLite's equivalent: a write that fails (here, on a missing table)
    // rolls back and the connection serves the next write.
    Status failed =
        t.db().write([](Transaction& tx) { return tx.exec("INSERT INTO nowhere VALUES (1)"); });
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().message, "storage failure");
  }
  ASSERT_TRUE(t.db()
                  .write([](Transaction& tx) {
                    return tx.exec("INSERT INTO settings (name, value) VALUES ('after', '1')");
                  })
                  .ok());
  ASSERT_TRUE(t.db()
                  .read([](Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT name FROM settings"));
                    EXPECT_EQ(rows.size(), 1u);
                    return ok_status();
                  })
                  .ok());
}

// A storage failure inside a write fails the whole write with kUnavailable
// (503), even when the work carries on regardless (as code that reads any
// failure as "not found" does): later statements are not run (SQLite) or
// only hear that the transaction is aborted (PostgreSQL), the COMMIT is not
// an internal error, and nothing of the write is stored.
TEST(Database, AStorageFailureTheWorkSwallowsFailsTheWholeWrite) {
  TempDatabase t;
  Status swallowed = ok_status();
  const Status write = t.db().write([&](Transaction& tx) -> Status {
    FD_TRY(tx.exec("INSERT INTO settings (name, value) VALUES ('first', '1')"));
    if (t.postgres() != nullptr) {
      // A statement cancelled by its time-out (SQLSTATE 57014).
      FD_TRY(tx.exec("SET LOCAL statement_timeout = 1"));
      auto slept = tx.query("SELECT pg_sleep(1)");
      swallowed = slept.ok() ? ok_status() : Status{slept.error()};
    } else {
      // The file may not grow: the next page it needs finds the disk full.
      FD_ASSIGN_OR_RETURN(auto pages, tx.query_one("PRAGMA page_count"));
      FD_TRY(tx.exec("PRAGMA max_page_count = " + std::to_string(pages->integer(0))));
      swallowed = tx.exec("INSERT INTO settings (name, value) VALUES ('big', ?)",
                          {std::string(64 * 1024, 'x')});
    }
    (void)tx.exec("INSERT INTO settings (name, value) VALUES ('second', '1')");
    return ok_status();
  });
  ASSERT_FALSE(swallowed.ok()) << "the storage failure did not happen";
  EXPECT_EQ(swallowed.error().code, ErrorCode::kUnavailable) << swallowed.error().message;
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code, ErrorCode::kUnavailable) << write.error().message;
  if (t.sqlite() != nullptr) {
    ASSERT_TRUE(
        t.db()
            .write([](Transaction& tx) { return tx.exec("PRAGMA max_page_count = 1073741823"); })
            .ok());
  }
  ASSERT_TRUE(t.db()
                  .read([](Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT name FROM settings"));
                    EXPECT_TRUE(rows.empty());
                    return ok_status();
                  })
                  .ok());
  EXPECT_TRUE(t.db()
                  .write([](Transaction& tx) {
                    return tx.exec("INSERT INTO settings (name, value) VALUES ('after', '1')");
                  })
                  .ok());
}

}  // namespace
}  // namespace frontdoor::storage
