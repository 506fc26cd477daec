// The chain verifier against each way of tampering with the event and audit
// logs, on SQLite and (with FRONTDOOR_TEST_POSTGRES_URL) on PostgreSQL. The
// logs are append-only by trigger (and on PostgreSQL by grants too), so each
// test first does what an attacker with the database file or the superuser's
// password would: drops the triggers (SQLite) or disables them (PostgreSQL,
// ALTER TABLE ... DISABLE TRIGGER ALL as the schema's owner).
#include "storage/verify.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "storage/audit_log.hpp"
#include "storage/event_store.hpp"
#include "storage_test_support.hpp"

namespace frontdoor::storage {
namespace {

using testing::TempDatabase;
using testing::worker;

constexpr std::int64_t kEvents = 12;
constexpr std::int64_t kAudit = 10;
const Instant kStart = utc(2026, 11, 23, 9, 0);

void must(const Status& s) {
  if (!s.ok()) throw std::runtime_error(s.error().message);
}

// `count` events over three streams and `count` audit entries, each a minute apart.
void append_events(Database& db, std::int64_t count, const std::string& tag = "a") {
  must(db.write([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(const std::int64_t last, EventStore::last_seq(tx));
    for (std::int64_t i = 0; i < count; ++i) {
      const std::int64_t n = last + i + 1;
      NewEvent e;
      e.type = "ContactNoted";
      e.payload = {{"n", n}, {"tag", tag}, {"note", "Synthetic note " + std::to_string(n)}};
      if (n % 4 == 0) e.reason = "correction " + std::to_string(n);
      FD_TRY(EventStore::append(tx, "contact/" + std::to_string(n % 3 + 1), kAnyVersion, worker(),
                                {std::move(e)}, kStart + std::chrono::minutes{n}));
    }
    return ok_status();
  }));
}

void append_audit(Database& db, std::int64_t count, const std::string& tag = "a") {
  must(db.write([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto last, AuditLog::all(tx, 0, 1000000));
    const auto base = static_cast<std::int64_t>(last.size());
    for (std::int64_t i = 0; i < count; ++i) {
      const std::int64_t n = base + i + 1;
      FD_TRY(AuditLog::record(tx, worker(), kStart + std::chrono::minutes{n}, "view",
                              "person/" + std::to_string(n), "MASH social worker " + tag,
                              n % 5 == 0 ? AuditOutcome::kRefused : AuditOutcome::kAllowed));
    }
    return ok_status();
  }));
}

void fill(Database& db) {
  append_events(db, kEvents);
  append_audit(db, kAudit);
}

// Runs statements against a log with its append-only triggers out of the
// way, as an attacker with file or superuser access would.
void tamper(TempDatabase& t, Chain chain, const std::vector<std::string>& statements) {
  const std::string table(chain_name(chain));
  must(t.db().write([&](Transaction& tx) -> Status {
    if (t.sqlite() != nullptr) {
      FD_TRY(tx.exec("DROP TRIGGER IF EXISTS " + table + "_append_only_update"));
      FD_TRY(tx.exec("DROP TRIGGER IF EXISTS " + table + "_append_only_delete"));
    } else {
      FD_TRY(tx.exec("ALTER TABLE " + table + " DISABLE TRIGGER ALL"));
    }
    for (const auto& sql : statements) FD_TRY(tx.exec(sql));
    if (t.postgres() != nullptr) FD_TRY(tx.exec("ALTER TABLE " + table + " ENABLE TRIGGER ALL"));
    return ok_status();
  }));
}

// Swaps two entries' sequence numbers, through a free one (a unique key is
// checked row by row on PostgreSQL).
std::vector<std::string> swap(Chain chain, std::int64_t a, std::int64_t b) {
  const std::string update = "UPDATE " + std::string(chain_name(chain)) + " SET seq = ";
  return {update + "-1 WHERE seq = " + std::to_string(a),
          update + std::to_string(a) + " WHERE seq = " + std::to_string(b),
          update + std::to_string(b) + " WHERE seq = -1"};
}

ChainReport verify(Database& db, Chain chain, const std::optional<ChainCheckpoint>& cp = {},
                   std::int64_t batch = 1000) {
  auto r = verify_chain(db, chain, cp, VerifyOptions{batch});
  if (!r.ok()) throw std::runtime_error(r.error().message);
  return std::move(r).value();
}

std::vector<Row> log_rows(Database& db, Chain chain) {
  std::vector<Row> rows;
  must(db.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(
        rows, tx.query(std::string("SELECT ") +
                       (chain == Chain::kEvents ? kEventColumns : kAuditColumns) + " FROM " +
                       std::string(chain_name(chain)) + " ORDER BY seq"));
    return ok_status();
  }));
  return rows;
}

void expect_break(const ChainReport& r, Chain chain, std::int64_t seq, BreakKind kind) {
  ASSERT_TRUE(r.first_break.has_value()) << chain_name(chain) << " verified intact";
  EXPECT_EQ(r.first_break->chain, chain);
  EXPECT_EQ(r.first_break->seq, seq) << r.first_break->describe();
  EXPECT_EQ(r.first_break->kind, kind) << r.first_break->describe();
}

class Verify : public ::testing::TestWithParam<Chain> {
 protected:
  Chain chain() const { return GetParam(); }
  std::string table() const { return std::string(chain_name(chain())); }
  std::int64_t size() const { return chain() == Chain::kEvents ? kEvents : kAudit; }
};

TEST_P(Verify, IntactChainVerifiesInAnyBatchSize) {
  TempDatabase t;
  fill(t.db());
  const auto rows = log_rows(t.db(), chain());
  for (const std::int64_t batch : {1, 3, 5, 1000}) {
    const auto r = verify(t.db(), chain(), std::nullopt, batch);
    EXPECT_TRUE(r.intact()) << r.first_break->describe();
    EXPECT_EQ(r.count, size());
    EXPECT_EQ(r.last_seq, size());
    EXPECT_EQ(r.last_hash, rows.back().text(rows.back().size() - 1));
    EXPECT_EQ(r.bad_entries, 0);
  }
}

TEST_P(Verify, EmptyChainIsIntact) {
  TempDatabase t;
  const auto r = verify(t.db(), chain());
  EXPECT_TRUE(r.intact());
  EXPECT_EQ(r.count, 0);
  EXPECT_EQ(r.last_hash, std::string(64, '0'));
}

TEST_P(Verify, TheLogsRefuseChangesUntilTheTriggersAreBypassed) {
  TempDatabase t;
  fill(t.db());
  const Status refused = t.db().write(
      [&](Transaction& tx) { return tx.exec("DELETE FROM " + table() + " WHERE seq = 3"); });
  EXPECT_FALSE(refused.ok());
  EXPECT_TRUE(verify(t.db(), chain()).intact());
}

TEST_P(Verify, EditedContentIsAlteredAtThatEntry) {
  TempDatabase t;
  fill(t.db());
  tamper(
      t, chain(),
      {chain() == Chain::kEvents
           ? "UPDATE events SET payload = '{\"n\":5,\"note\":\"nothing happened\",\"tag\":\"a\"}' "
             "WHERE seq = 5"
           : "UPDATE audit SET subject = 'person/999' WHERE seq = 5"});
  const auto r = verify(t.db(), chain());
  expect_break(r, chain(), 5, BreakKind::kAltered);
  // The walk goes on to the end: everything else is counted and sound.
  EXPECT_EQ(r.count, size());
  EXPECT_EQ(r.last_seq, size());
  EXPECT_EQ(r.bad_entries, 1);
}

TEST_P(Verify, EditedActorIsAltered) {
  TempDatabase t;
  fill(t.db());
  const std::string name_column = chain() == Chain::kEvents ? "actor_name" : "user_name";
  tamper(t, chain(),
         {"UPDATE " + table() + " SET " + name_column + " = 'Someone Else' WHERE seq = 4"});
  expect_break(verify(t.db(), chain()), chain(), 4, BreakKind::kAltered);
}

TEST_P(Verify, EditedAgencyIsAltered) {
  TempDatabase t;
  fill(t.db());
  const std::string column = chain() == Chain::kEvents ? "actor_agency" : "agency";
  tamper(t, chain(), {"UPDATE " + table() + " SET " + column + " = 'Police' WHERE seq = 2"});
  expect_break(verify(t.db(), chain()), chain(), 2, BreakKind::kAltered);
}

TEST_P(Verify, EditedTimeIsAltered) {
  TempDatabase t;
  fill(t.db());
  const std::string column = chain() == Chain::kEvents ? "recorded_at" : "at";
  tamper(t, chain(),
         {"UPDATE " + table() + " SET " + column + " = '2026-11-20T09:07:00.000Z' WHERE seq = 7"});
  expect_break(verify(t.db(), chain()), chain(), 7, BreakKind::kAltered);
}

TEST_P(Verify, TheSameInstantWrittenAnotherWayIsAltered) {
  TempDatabase t;
  fill(t.db());
  const std::string column = chain() == Chain::kEvents ? "recorded_at" : "at";
  // 09:03 UTC is 10:03 at +01:00: the same instant, but not what was written.
  tamper(t, chain(),
         {"UPDATE " + table() + " SET " + column +
          " = '2026-11-23T10:03:00.000+01:00' WHERE seq = 3"});
  const auto r = verify(t.db(), chain());
  expect_break(r, chain(), 3, BreakKind::kAltered);
  EXPECT_NE(r.first_break->detail.find("not as written"), std::string::npos);
}

TEST_P(Verify, DeletedMiddleEntryIsMissing) {
  TempDatabase t;
  fill(t.db());
  tamper(t, chain(), {"DELETE FROM " + table() + " WHERE seq = 6"});
  const auto r = verify(t.db(), chain());
  expect_break(r, chain(), 6, BreakKind::kMissing);
  EXPECT_EQ(r.count, size() - 1);
  EXPECT_EQ(r.last_seq, size());
}

TEST_P(Verify, DeletedRunOfEntriesIsNamed) {
  TempDatabase t;
  fill(t.db());
  tamper(t, chain(), {"DELETE FROM " + table() + " WHERE seq BETWEEN 1 AND 3"});
  const auto r = verify(t.db(), chain());
  expect_break(r, chain(), 1, BreakKind::kMissing);
  EXPECT_NE(r.first_break->detail.find("entries 1 to 3"), std::string::npos)
      << r.first_break->detail;
}

TEST_P(Verify, SwappedEntriesAreOutOfOrder) {
  TempDatabase t;
  fill(t.db());
  tamper(t, chain(), swap(chain(), 7, 8));
  for (const std::int64_t batch : {1, 7, 1000}) {
    const auto r = verify(t.db(), chain(), std::nullopt, batch);
    expect_break(r, chain(), 7, BreakKind::kOutOfOrder);
    EXPECT_NE(r.first_break->detail.find("now at seq 8"), std::string::npos)
        << r.first_break->detail;
  }
}

TEST_P(Verify, DeletedTailIsFoundOnlyWithACheckpoint) {
  TempDatabase t;
  fill(t.db());
  const auto checkpoint = verify(t.db(), chain()).checkpoint(kStart);
  tamper(t, chain(), {"DELETE FROM " + table() + " WHERE seq > " + std::to_string(size() - 2)});
  // What is left is a whole chain: only the checkpoint shows the loss.
  EXPECT_TRUE(verify(t.db(), chain()).intact());
  const auto r = verify(t.db(), chain(), checkpoint);
  expect_break(r, chain(), size() - 1, BreakKind::kBehindCheckpoint);
  EXPECT_NE(r.first_break->detail.find("recorded " + std::to_string(size()) + " entries"),
            std::string::npos)
      << r.first_break->detail;
}

TEST_P(Verify, TruncatedTableIsBehindTheCheckpoint) {
  TempDatabase t;
  fill(t.db());
  const auto checkpoint = verify(t.db(), chain()).checkpoint(kStart);
  tamper(t, chain(), {(t.postgres() != nullptr ? "TRUNCATE " : "DELETE FROM ") + table()});
  const auto r = verify(t.db(), chain(), checkpoint);
  expect_break(r, chain(), 1, BreakKind::kBehindCheckpoint);
  EXPECT_EQ(r.count, 0);
}

TEST_P(Verify, ReHashedEntryBreaksTheNextLink) {
  TempDatabase t;
  fill(t.db());
  // The attacker knows the algorithm and recomputes the changed entry's hash.
  const auto rows = log_rows(t.db(), chain());
  const Row& row = rows[4];  // seq 5
  std::string rehash;
  if (chain() == Chain::kEvents) {
    StoredEvent e = event_from_row(row);
    e.actor.display_name = "Someone Else";
    rehash = "UPDATE events SET actor_name = 'Someone Else', hash = '" + event_hash(e) +
             "' WHERE seq = 5";
  } else {
    AuditEntry e = audit_entry_from_row(row);
    e.actor.display_name = "Someone Else";
    rehash =
        "UPDATE audit SET user_name = 'Someone Else', hash = '" + audit_hash(e) + "' WHERE seq = 5";
  }
  tamper(t, chain(), {rehash});
  const auto r = verify(t.db(), chain());
  expect_break(r, chain(), 6, BreakKind::kRelinked);
  EXPECT_NE(r.first_break->detail.find("entry 5 was replaced or re-hashed"), std::string::npos)
      << r.first_break->detail;
}

TEST_P(Verify, RewrittenHistoryIsFoundOnlyWithACheckpoint) {
  TempDatabase t;
  fill(t.db());
  const auto checkpoint = verify(t.db(), chain()).checkpoint(kStart);
  // Change entry 3 and re-hash it and every entry after it.
  auto rows = log_rows(t.db(), chain());
  std::vector<std::string> statements;
  std::string prev = rows[1].text(rows[1].size() - 1);
  for (std::size_t i = 2; i < rows.size(); ++i) {
    std::string hash;
    if (chain() == Chain::kEvents) {
      StoredEvent e = event_from_row(rows[i]);
      if (i == 2) e.actor.display_name = "Someone Else";
      e.prev_hash = prev;
      hash = event_hash(e);
    } else {
      AuditEntry e = audit_entry_from_row(rows[i]);
      if (i == 2) e.actor.display_name = "Someone Else";
      e.prev_hash = prev;
      hash = audit_hash(e);
    }
    const std::string name_column = chain() == Chain::kEvents ? "actor_name" : "user_name";
    statements.push_back("UPDATE " + table() + " SET prev_hash = '" + prev + "', hash = '" + hash +
                         "'" + (i == 2 ? ", " + name_column + " = 'Someone Else'" : "") +
                         " WHERE seq = " + std::to_string(i + 1));
    prev = hash;
  }
  tamper(t, chain(), statements);
  EXPECT_TRUE(verify(t.db(), chain()).intact());
  expect_break(verify(t.db(), chain(), checkpoint), chain(), size(), BreakKind::kDiverged);
}

// Another store holding the same log entries as `from` (an older copy of the
// database, once more is written to `from`).
void copy_logs(Database& from, Database& to) {
  for (const Chain chain : {Chain::kEvents, Chain::kAudit}) {
    const auto rows = log_rows(from, chain);
    const std::string columns = chain == Chain::kEvents ? kEventColumns : kAuditColumns;
    std::string marks;
    for (std::size_t i = 0; i < rows.front().size(); ++i) marks += i == 0 ? "?" : ", ?";
    must(to.write([&](Transaction& tx) -> Status {
      for (const Row& r : rows) {
        Params params;
        for (std::size_t i = 0; i < r.size(); ++i) params.push_back(r[i]);
        FD_TRY(tx.exec("INSERT INTO " + std::string(chain_name(chain)) + " (" + columns +
                           ") VALUES (" + marks + ")",
                       params));
      }
      return ok_status();
    }));
  }
}

TEST_P(Verify, OlderCopyRestoredIsBehindTheCheckpoint) {
  TempDatabase live;
  fill(live.db());
  TempDatabase old;
  copy_logs(live.db(), old.db());
  EXPECT_TRUE(verify(old.db(), chain()).intact());
  // The live store goes on; a checkpoint is exported; then the old copy is
  // put back in its place.
  append_events(live.db(), 3);
  append_audit(live.db(), 3);
  const auto checkpoint = verify(live.db(), chain()).checkpoint(kStart);
  const auto r = verify(old.db(), chain(), checkpoint);
  expect_break(r, chain(), size() + 1, BreakKind::kBehindCheckpoint);
  // The old copy then written to until it is longer still differs.
  append_events(old.db(), 5, "b");
  append_audit(old.db(), 5, "b");
  expect_break(verify(old.db(), chain(), checkpoint), chain(), size() + 3, BreakKind::kDiverged);
  // And the live store itself passes its checkpoint, then and after more writes.
  EXPECT_TRUE(verify(live.db(), chain(), checkpoint).intact());
  append_events(live.db(), 2);
  append_audit(live.db(), 2);
  EXPECT_TRUE(verify(live.db(), chain(), checkpoint).intact());
}

INSTANTIATE_TEST_SUITE_P(BothChains, Verify, ::testing::Values(Chain::kEvents, Chain::kAudit),
                         [](const ::testing::TestParamInfo<Chain>& param) {
                           return std::string(chain_name(param.param));
                         });

// A Database that counts the read transactions and the largest result, to
// show the walk reads in bounded batches rather than the whole table.
class CountingDatabase final : public Database {
 public:
  explicit CountingDatabase(Database& inner) : inner_(inner) {}
  Status write(const std::function<Status(Transaction&)>& work) override {
    return inner_.write(work);
  }
  Status read(const std::function<Status(Transaction&)>& work) override {
    ++reads;
    return inner_.read([&](Transaction& tx) {
      Counting counting(tx, largest_result);
      return work(counting);
    });
  }
  Engine engine() const override { return inner_.engine(); }
  Result<std::unique_ptr<ChangeFeed>> change_feed() override { return inner_.change_feed(); }

  int reads = 0;
  std::size_t largest_result = 0;

 private:
  class Counting final : public Transaction {
   public:
    Counting(Transaction& inner, std::size_t& largest) : inner_(inner), largest_(largest) {}
    Status exec(std::string_view sql, const Params& params) override {
      return inner_.exec(sql, params);
    }
    Result<std::vector<Row>> query(std::string_view sql, const Params& params) override {
      auto rows = inner_.query(sql, params);
      if (rows.ok()) largest_ = std::max(largest_, rows->size());
      return rows;
    }
    std::int64_t changes() const override { return inner_.changes(); }

   private:
    Transaction& inner_;
    std::size_t& largest_;
  };
  Database& inner_;
};

TEST(VerifyChain, ReadsInBoundedBatches) {
  TempDatabase t;
  append_events(t.db(), 1000);
  CountingDatabase counting(t.db());
  const auto r = verify(counting, Chain::kEvents, std::nullopt, 64);
  EXPECT_TRUE(r.intact());
  EXPECT_EQ(r.count, 1000);
  EXPECT_LE(counting.largest_result, 64u);
  // One read for where to stop, then 16 batches (the last one short).
  EXPECT_EQ(counting.reads, 17);
}

TEST(VerifyAll, ReportsTheFirstBrokenChainAndBothCounts) {
  TempDatabase t;
  fill(t.db());
  auto intact = verify_all(t.db());
  ASSERT_TRUE(intact.ok());
  EXPECT_TRUE(intact->intact());
  EXPECT_EQ(intact->summary().rfind("intact: events 12 entries (last seq 12, hash ", 0), 0u)
      << intact->summary();
  EXPECT_NE(intact->summary().find("audit 10 entries (last seq 10"), std::string::npos);

  tamper(t, Chain::kAudit, {"DELETE FROM audit WHERE seq = 2"});
  auto broken = verify_all(t.db());
  ASSERT_TRUE(broken.ok());
  EXPECT_FALSE(broken->intact());
  ASSERT_NE(broken->first_break(), nullptr);
  EXPECT_EQ(broken->first_break()->chain, Chain::kAudit);
  EXPECT_EQ(broken->summary(),
            "BROKEN: audit seq 2: missing: entry 2 is missing (deleted): the "
            "next entry is seq 3");
  EXPECT_EQ(broken->chains[0].count, kEvents);
  EXPECT_EQ(broken->chains[1].count, kAudit - 1);
}

TEST(VerifyAll, ChecksEachChainAgainstItsPartOfTheCheckpoint) {
  TempDatabase t;
  fill(t.db());
  auto report = verify_all(t.db());
  ASSERT_TRUE(report.ok());
  const Checkpoint checkpoint = report->checkpoint(kStart);
  ASSERT_EQ(checkpoint.chains.size(), 2u);
  tamper(t, Chain::kEvents, {"DELETE FROM events WHERE seq = 12"});
  auto behind = verify_all(t.db(), checkpoint);
  ASSERT_TRUE(behind.ok());
  ASSERT_NE(behind->first_break(), nullptr);
  EXPECT_EQ(behind->first_break()->chain, Chain::kEvents);
  EXPECT_EQ(behind->first_break()->kind, BreakKind::kBehindCheckpoint);
  EXPECT_TRUE(behind->chains[1].intact());
}

TEST(Checkpoint, RoundTripsThroughJsonAndAFile) {
  Checkpoint c;
  c.chains.push_back({Chain::kEvents, 12, 12, std::string(64, 'a'), kStart});
  c.chains.push_back({Chain::kAudit, 0, 0, std::string(64, '0'), kStart});
  auto back = Checkpoint::from_json(c.to_json());
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->chains.size(), 2u);
  EXPECT_EQ(back->find(Chain::kEvents)->last_hash, std::string(64, 'a'));
  EXPECT_EQ(back->find(Chain::kEvents)->count, 12);
  EXPECT_EQ(back->find(Chain::kAudit)->taken_at, kStart);
  EXPECT_EQ(c.to_json()["chains"][0]["taken_at"], "2026-11-23T09:00:00.000Z");

  TempDatabase t;
  const auto file = t.dir() / "checkpoint.json";
  ASSERT_TRUE(write_checkpoint(file, c).ok());
  auto read = read_checkpoint(file);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->to_json(), c.to_json());
  EXPECT_FALSE(std::filesystem::exists(t.dir() / "checkpoint.json.partial"));
}

TEST(Checkpoint, RefusesAnythingElse) {
  Checkpoint c;
  c.chains.push_back({Chain::kEvents, 12, 12, std::string(64, 'a'), kStart});
  const nlohmann::json good = c.to_json();
  auto with = [&](const std::function<void(nlohmann::json&)>& change) {
    nlohmann::json j = good;
    change(j);
    return Checkpoint::from_json(j);
  };
  EXPECT_TRUE(with([](nlohmann::json&) {}).ok());
  for (const auto& bad : std::vector<std::function<void(nlohmann::json&)>>{
           [](nlohmann::json& j) { j["format"] = "something"; },
           [](nlohmann::json& j) { j["version"] = 2; },
           [](nlohmann::json& j) { j.erase("chains"); },
           [](nlohmann::json& j) { j["chains"][0]["chain"] = "people"; },
           [](nlohmann::json& j) { j["chains"][0]["count"] = -1; },
           [](nlohmann::json& j) { j["chains"][0]["last_seq"] = "12"; },
           [](nlohmann::json& j) { j["chains"][0]["last_hash"] = "abc"; },
           [](nlohmann::json& j) { j["chains"][0]["last_hash"] = std::string(64, 'A'); },
           [](nlohmann::json& j) { j["chains"][0]["taken_at"] = "yesterday"; },
           [](nlohmann::json& j) { j["chains"].push_back(j["chains"][0]); },
       }) {
    auto r = with(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  }
  TempDatabase t;
  EXPECT_FALSE(read_checkpoint(t.dir() / "absent.json").ok());
  std::ofstream(t.dir() / "bad.json") << "{not json";
  EXPECT_FALSE(read_checkpoint(t.dir() / "bad.json").ok());
}

}  // namespace
}  // namespace frontdoor::storage
