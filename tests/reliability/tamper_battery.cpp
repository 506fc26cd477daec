// Battery 7 of docs/RELIABILITY.md, audit tampering, end to end through the
// real `frontdoor` binary:
//   1. a store with the demo council, then a server run that reads contacts
//      (audited) and records more; `frontdoor verify` passes and
//      `frontdoor checkpoint` exports the chains;
//   2. each kind of tampering, on its own copy of that store, done as an
//      attacker with the file would (the append-only triggers dropped, then
//      SQL; for the re-hashing cases the hashes recomputed as Frontdoor does):
//      `frontdoor verify` must fail with status 3 and name the first break:
//      which chain, which entry, what is wrong;
//   3. `frontdoor backup` while a server is writing, `frontdoor restore`, and
//      the restored store compared record by record (tamper_backup.cpp);
//   4. an older copy of the whole database put back, checked against a
//      checkpoint taken after the writes it lacks.
// With --engine postgres (under scripts/with-postgres.sh) the store is a
// schema of the test cluster, named to every `frontdoor` by
// FRONTDOOR_DATABASE_URL: steps 1 and 2 as the schema's owner (triggers
// disabled rather than dropped), and backup and restore must refuse and point
// to pg_dump. Writes its figures to $FRONTDOOR_BATTERY_SUMMARY_DIR/tamper.txt
// (tamper-postgres.txt).
//
//   tamper_battery --frontdoor PATH [--engine sqlite|postgres] [--keep]
//   (--keep: leave the scratch folder)
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include "storage/event_store.hpp"
#include "storage/postgres_database.hpp"
#include "storage/postgres_test_schema.hpp"
#include "storage/verify.hpp"
#include "tamper_backup.hpp"
#include "tamper_support.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include "http_test_client.hpp"
#pragma GCC diagnostic pop

namespace frontdoor::reliability {
namespace {

namespace fs = std::filesystem;
using storage::Chain;

void must(const Status& s, const std::string& what) {
  if (!s.ok()) throw BatteryFailure(what + ": " + s.error().message);
}

std::string last_line(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::string last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

Ran frontdoor(const Battery& b, std::vector<std::string> args) {
  args.insert(args.begin(), b.frontdoor.string());
  return run(args);
}

// The demo council, API tokens for a partner and a MASH worker, and a server
// run that reads (audited) and records contacts.
Battery prepare(const fs::path& binary, const fs::path& work) {
  Battery b{binary, work, work / "live", "", ""};
  Ran ran = frontdoor(b, {"demo", "--data", b.live.string(), "--families", "12", "--weeks", "1",
                          "--contacts-per-day", "4"});
  require(ran.status == 0, "frontdoor demo: " + ran.output);
  ran = frontdoor(b, {"token", "issue", "--data", b.live.string(), "--username", "pc.jones"});
  require(ran.status == 0, "frontdoor token issue: " + ran.output);
  b.writer_token = last_line(ran.output);
  ran = frontdoor(b, {"token", "issue", "--data", b.live.string(), "--username", "sam.worker"});
  require(ran.status == 0, "frontdoor token issue: " + ran.output);
  b.reader_token = last_line(ran.output);

  Server server(b.frontdoor, b.live);
  testing::HttpClient reader(server.port());
  reader.set_default_header("Authorization", "Bearer " + b.reader_token);
  for (int id = 1; id <= 12; ++id) {
    const auto reply = reader.get("/api/v1/contacts/" + std::to_string(id));
    require(reply.status == 200, "reading contact " + std::to_string(id) + ": " +
                                     std::to_string(reply.status) + " " + reply.body);
  }
  require(server.stop() == 0, "frontdoor serve did not stop cleanly");
  return b;
}

struct Facts {
  std::int64_t events = 0;  // entries in each chain
  std::int64_t audit = 0;
  fs::path checkpoint;
};

using Tamper = std::function<void(storage::Database&)>;

// One way of tampering, and the first break `frontdoor verify` must name.
struct Case {
  std::string name;
  Chain chain;
  Tamper tamper;
  bool needs_checkpoint = false;
  std::string expect;  // e.g. "BROKEN: events seq 12: altered"
};

std::string expected(Chain chain, std::int64_t seq, const char* kind) {
  return "BROKEN: " + std::string(storage::chain_name(chain)) + " seq " + std::to_string(seq) +
         ": " + kind + ":";
}

void exec(storage::Database& db, const std::vector<std::string>& statements) {
  must(db.write([&](storage::Transaction& tx) -> Status {
    for (const auto& sql : statements) FD_TRY(tx.exec(sql));
    return ok_status();
  }),
       "tampering");
}

Tamper sql(std::vector<std::string> statements) {
  return [statements = std::move(statements)](storage::Database& db) { exec(db, statements); };
}

std::vector<std::string> swap(Chain chain, std::int64_t a, std::int64_t b) {
  const std::string update = "UPDATE " + std::string(storage::chain_name(chain)) + " SET seq = ";
  return {update + "-1 WHERE seq = " + std::to_string(a),
          update + std::to_string(a) + " WHERE seq = " + std::to_string(b),
          update + std::to_string(b) + " WHERE seq = -1"};
}

// Renames the actor of event `from` and recomputes its hash as Frontdoor
// does; with `through`, re-links and re-hashes every event after it as well,
// leaving a chain that is whole again.
void rehash_events(storage::Database& db, std::int64_t from, bool through) {
  must(db.write([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto rows, tx.query(std::string("SELECT ") + storage::kEventColumns +
                                                " FROM events WHERE seq >= ? ORDER BY seq",
                                            {from}));
    std::string prev = rows.front().text(16);
    for (const auto& row : rows) {
      storage::StoredEvent e = storage::event_from_row(row);
      if (e.seq == from) e.actor.display_name = "Someone Else";
      e.prev_hash = prev;
      e.hash = storage::event_hash(e);
      FD_TRY(tx.exec("UPDATE events SET actor_name = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                     {e.actor.display_name, e.prev_hash, e.hash, e.seq}));
      prev = e.hash;
      if (!through) break;
    }
    return ok_status();
  }),
       "re-hashing events");
}

std::vector<Case> cases(const Facts& f, storage::Engine engine) {
  const std::string empty = engine == storage::Engine::kPostgres ? "TRUNCATE " : "DELETE FROM ";
  const std::int64_t m = f.events / 2;
  const std::int64_t a = f.audit / 2;
  const Chain ev = Chain::kEvents;
  const Chain au = Chain::kAudit;
  return {
      {"events: a payload edited", ev,
       sql({"UPDATE events SET payload = '{\"concerns\":\"nothing to see\"}' WHERE seq = " +
            std::to_string(m)}),
       false, expected(ev, m, "altered")},
      {"events: the actor's name edited", ev,
       sql({"UPDATE events SET actor_name = 'Someone Else' WHERE seq = " + std::to_string(m + 1)}),
       false, expected(ev, m + 1, "altered")},
      {"events: a time edited", ev,
       sql({"UPDATE events SET occurred_at = '2020-01-01T00:00:00.000Z' WHERE seq = " +
            std::to_string(m + 2)}),
       false, expected(ev, m + 2, "altered")},
      {"events: an entry deleted", ev, sql({"DELETE FROM events WHERE seq = " + std::to_string(m)}),
       false, expected(ev, m, "missing")},
      {"events: two entries reordered (seq swapped)", ev, sql(swap(ev, m, m + 1)), false,
       expected(ev, m, "out-of-order")},
      {"events: an entry edited and re-hashed", ev,
       [m](storage::Database& db) { rehash_events(db, m, false); }, false,
       expected(ev, m + 1, "relinked")},
      {"events: the last three deleted", ev,
       sql({"DELETE FROM events WHERE seq > " + std::to_string(f.events - 3)}), true,
       expected(ev, f.events - 2, "behind-checkpoint")},
      {"events: the table emptied", ev, sql({empty + "events"}), true,
       expected(ev, 1, "behind-checkpoint")},
      {"events: history rewritten and every hash recomputed", ev,
       [m](storage::Database& db) { rehash_events(db, m, true); }, true,
       expected(ev, f.events, "diverged")},
      {"audit: the reader's name edited", au,
       sql({"UPDATE audit SET user_name = 'Someone Else' WHERE seq = " + std::to_string(a)}), false,
       expected(au, a, "altered")},
      {"audit: an outcome flipped", au,
       sql({"UPDATE audit SET outcome = CASE outcome WHEN 'allowed' THEN 'refused' ELSE 'allowed' "
            "END WHERE seq = " +
            std::to_string(a + 1)}),
       false, expected(au, a + 1, "altered")},
      {"audit: an entry deleted", au, sql({"DELETE FROM audit WHERE seq = " + std::to_string(a)}),
       false, expected(au, a, "missing")},
      {"audit: two entries reordered (seq swapped)", au, sql(swap(au, a, a + 1)), false,
       expected(au, a, "out-of-order")},
      {"audit: the last two deleted", au,
       sql({"DELETE FROM audit WHERE seq > " + std::to_string(f.audit - 2)}), true,
       expected(au, f.audit - 1, "behind-checkpoint")},
      {"audit: the table emptied", au, sql({empty + "audit"}), true,
       expected(au, 1, "behind-checkpoint")},
  };
}

struct Tally {
  int tried = 0;
  int detected = 0;
  int whole_without_checkpoint = 0;  // of the checkpoint cases: a whole chain without one
  std::vector<std::string> lines;
};

// Runs `frontdoor verify` on `data` and checks it names the expected break.
void expect_detected(const Battery& b, const std::string& name, const fs::path& data,
                     const fs::path& checkpoint, bool needs_checkpoint, const std::string& expect,
                     Tally& tally) {
  ++tally.tried;
  std::vector<std::string> args{"verify", "--data", data.string()};
  if (needs_checkpoint) {
    args.emplace_back("--checkpoint");
    args.push_back(checkpoint.string());
  }
  const Ran ran = frontdoor(b, args);
  require(ran.status == 3 && ran.output.find(expect) != std::string::npos,
          name + ": frontdoor verify did not report \"" + expect + "\" (status " +
              std::to_string(ran.status) + "):\n" + ran.output);
  ++tally.detected;
  if (needs_checkpoint) {
    const Ran alone = frontdoor(b, {"verify", "--data", data.string()});
    if (alone.status == 0) ++tally.whole_without_checkpoint;
  }
  const auto at = ran.output.find(expect);
  const auto end = ran.output.find('\n', at);
  tally.lines.push_back("  " + name + ": " +
                        ran.output.substr(at, end == std::string::npos ? end : end - at));
}

// Where the tampering cases are done: a fresh store for each, and what an
// attacker does first to the append-only protection.
class Workbench {
 public:
  virtual ~Workbench() = default;
  // An untouched store for case `n`; the data folder `frontdoor verify` reads.
  virtual fs::path begin(int n) = 0;
  virtual storage::Database& db() = 0;
  virtual void bypass(Chain chain) = 0;
  virtual void end() = 0;
};

// SQLite: each case on its own copy of the live store; the triggers dropped.
class SqliteWorkbench final : public Workbench {
 public:
  explicit SqliteWorkbench(const Battery& b) : b_(b), live_(open_store(b.live / "frontdoor.db")) {}
  fs::path begin(int n) override {
    dir_ = b_.work / ("case-" + std::to_string(n));
    copy_store(*live_, dir_ / "frontdoor.db");
    db_ = open_store(dir_ / "frontdoor.db");
    return dir_;
  }
  storage::Database& db() override { return *db_; }
  void bypass(Chain chain) override {
    const std::string table(storage::chain_name(chain));
    exec(*db_, {"DROP TRIGGER " + table + "_append_only_update",
                "DROP TRIGGER " + table + "_append_only_delete"});
  }
  void end() override {
    db_.reset();
    fs::remove_all(dir_);
  }

 private:
  const Battery& b_;
  std::unique_ptr<storage::SqliteDatabase> live_;
  std::unique_ptr<storage::SqliteDatabase> db_;
  fs::path dir_;
};

// PostgreSQL: the cases take turns on the live schema, as its owner (a
// superuser here); the triggers disabled; both logs put back after each.
class PostgresWorkbench final : public Workbench {
 public:
  PostgresWorkbench(const Battery& b, const std::string& url) : live_(b.live) {
    storage::PostgresOptions options;
    options.url = url;
    options.pool_size = 1;
    auto db = storage::PostgresDatabase::open(options);
    if (!db.ok()) throw BatteryFailure("opening PostgreSQL: " + db.error().message);
    db_ = std::move(db).value();
    exec(*db_, {"CREATE TABLE pristine_events AS SELECT * FROM events",
                "CREATE TABLE pristine_audit AS SELECT * FROM audit"});
  }
  fs::path begin(int) override { return live_; }
  storage::Database& db() override { return *db_; }
  void bypass(Chain chain) override {
    exec(*db_, {"ALTER TABLE " + std::string(storage::chain_name(chain)) + " DISABLE TRIGGER ALL"});
  }
  void end() override {
    for (const std::string table : {"events", "audit"}) {
      exec(*db_, {"ALTER TABLE " + table + " DISABLE TRIGGER ALL", "DELETE FROM " + table,
                  "INSERT INTO " + table + " SELECT * FROM pristine_" + table,
                  "ALTER TABLE " + table + " ENABLE TRIGGER ALL"});
    }
  }

 private:
  fs::path live_;
  std::unique_ptr<storage::PostgresDatabase> db_;
};

void tamper_cases(const Battery& b, const Facts& f, Workbench& bench, storage::Engine engine,
                  Tally& tally) {
  // The triggers stop anyone who has not bypassed them.
  bench.begin(0);
  for (const Chain chain : {Chain::kEvents, Chain::kAudit}) {
    const std::string table(storage::chain_name(chain));
    for (const std::string& sql :
         {"DELETE FROM " + table + " WHERE seq = 1", "UPDATE " + table + " SET seq = seq"}) {
      const Status refused =
          bench.db().write([&](storage::Transaction& tx) { return tx.exec(sql); });
      require(!refused.ok(), "the append-only trigger let through: " + sql);
    }
  }
  bench.end();
  int i = 0;
  for (const Case& c : cases(f, engine)) {
    const fs::path data = bench.begin(++i);
    bench.bypass(c.chain);
    c.tamper(bench.db());
    expect_detected(b, c.name, data, f.checkpoint, c.needs_checkpoint, c.expect, tally);
    bench.end();
  }
  // Put back as it was, the store verifies again.
  const Ran ran = frontdoor(b, {"verify", "--data", bench.begin(++i).string()});
  bench.end();
  require(ran.status == 0, "the untouched store no longer verifies: " + ran.output);
}

// An older copy of the whole database put back in place of the live one,
// checked against a checkpoint taken after the writes it lacks; then the
// same copy after a server has written more to it than the checkpoint holds.
void older_copy_cases(const Battery& b, const fs::path& old, Tally& tally) {
  const fs::path checkpoint = b.work / "checkpoint-2.json";
  Ran ran = frontdoor(b, {"checkpoint", "--data", b.live.string(), "--out", checkpoint.string()});
  require(ran.status == 0, "frontdoor checkpoint: " + ran.output);
  auto cp = storage::read_checkpoint(checkpoint);
  require(cp.ok(), "reading the checkpoint");
  const auto* events = cp->find(Chain::kEvents);
  const std::int64_t old_events = max_of(*open_store(old / "frontdoor.db"), "events", "seq");
  require(old_events < events->last_seq, "the live store did not grow after the old copy");

  expect_detected(b, "an older copy of the database restored", old, checkpoint, true,
                  expected(Chain::kEvents, old_events + 1, "behind-checkpoint"), tally);
  {
    // The old copy, served again and written to until it is longer than
    // the checkpoint: a whole chain, but another history.
    auto db = open_store(old / "frontdoor.db");
    must(db->write([&](storage::Transaction& tx) -> Status {
      for (std::int64_t n = old_events; n <= events->last_seq; ++n) {
        domain::NewEvent e;
        e.type = "ContactNoted";
        e.payload = {{"note", "written after the old copy was put back"}};
        FD_TRY(storage::EventStore::append(tx, "contact/1", storage::kAnyVersion,
                                           domain::Actor::system(), {std::move(e)},
                                           utc(2026, 12, 1, 9, 0)));
      }
      return ok_status();
    }),
         "writing to the old copy");
  }
  expect_detected(b, "an older copy restored, then written to past the checkpoint", old, checkpoint,
                  true, expected(Chain::kEvents, events->last_seq, "diverged"), tally);
}

std::string tally_text(const std::string& engine, const Tally& t) {
  std::ostringstream out;
  out << "tamper (" << engine << "): " << t.tried << " tamperings tried, " << t.detected
      << " detected by frontdoor verify with the first break named (" << t.whole_without_checkpoint
      << " of those needing a checkpoint leave a whole chain without one, as designed)\n";
  for (const auto& line : t.lines) out << line << "\n";
  return out.str();
}

std::string backup_text(const BackupFigures& f) {
  std::ostringstream out;
  out << "backup while serving: " << f.writes_during_backup << " writes and "
      << f.reads_during_backup << " audited reads acknowledged during the "
      << static_cast<int>(f.backup_seconds * 1000) << " ms backup; " << f.writes_acknowledged
      << " writes in all, " << f.writes_before_backup_found
      << " acknowledged before it began, all in it\n";
  out << "restore compared record by record: " << f.tables << " tables, "
      << f.rows_backup_vs_restored << " rows of the backup identical in the restored store; "
      << f.rows_backup_vs_source << " identical in the source (" << f.backup_events << " events, "
      << f.backup_audit << " audit entries), " << f.rows_written_after
      << " source rows written after the backup's moment (";
  bool first = true;
  for (const auto& [table, rows] : f.written_after_by_table) {
    out << (first ? "" : ", ") << table << " " << rows;
    first = false;
  }
  out << ")\n";
  out << "refused as they should be: a broken backup restored, a broken store backed up, a "
         "folder without a store verified ("
      << f.refusals << " checks); restore --force kept the store it replaced\n";
  return out.str();
}

// The demo store, verified and checkpointed; the facts the cases need.
Facts first_checkpoint(const Battery& b, storage::Database& db) {
  Ran ran = frontdoor(b, {"verify", "--data", b.live.string()});
  require(ran.status == 0 && ran.output.find("intact: events ") != std::string::npos,
          "frontdoor verify on the untouched store: " + ran.output);
  Facts facts;
  facts.checkpoint = b.work / "checkpoint-1.json";
  ran = frontdoor(b, {"checkpoint", "--data", b.live.string(), "--out", facts.checkpoint.string()});
  require(ran.status == 0, "frontdoor checkpoint: " + ran.output);
  facts.events = max_of(db, "events", "seq");
  facts.audit = max_of(db, "audit", "seq");
  require(facts.events >= 20 && facts.audit >= 10, "too few entries to tamper with");
  return facts;
}

std::string sqlite_battery(const Battery& b) {
  Facts facts;
  {
    auto live = open_store(b.live / "frontdoor.db");
    facts = first_checkpoint(b, *live);
    copy_store(*live, b.work / "old" / "frontdoor.db");
  }
  Tally tally;
  {
    SqliteWorkbench bench(b);
    tamper_cases(b, facts, bench, storage::Engine::kSqlite, tally);
  }
  const BackupFigures figures = backup_round_trip(b);
  older_copy_cases(b, b.work / "old", tally);
  return tally_text("SQLite", tally) + backup_text(figures);
}

std::string postgres_battery(const Battery& b, const std::string& url) {
  storage::PostgresOptions options;
  options.url = url;
  options.pool_size = 1;
  auto db = storage::PostgresDatabase::open(options);
  require(db.ok(), "opening PostgreSQL");
  const Facts facts = first_checkpoint(b, **db);
  Tally tally;
  {
    PostgresWorkbench bench(b, url);
    tamper_cases(b, facts, bench, storage::Engine::kPostgres, tally);
  }
  // No pretending: backup and restore send PostgreSQL to its own tools.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"backup", "--data", b.live.string(), "--to",
                                 (b.work / "backup.db").string()},
        std::vector<std::string>{"restore", "--from", (b.work / "backup.db").string(), "--data",
                                 b.live.string(), "--force"}}) {
    const Ran ran = frontdoor(b, args);
    require(ran.status == 1 && ran.output.find("pg_dump") != std::string::npos &&
                ran.output.find("docs/POSTGRESQL.md") != std::string::npos,
            "frontdoor " + args[0] + " on PostgreSQL did not point to pg_dump: " + ran.output);
  }
  return tally_text("PostgreSQL", tally) +
         "frontdoor backup and restore refuse PostgreSQL and point to pg_dump and base backups\n";
}

}  // namespace
}  // namespace frontdoor::reliability

int main(int argc, char** argv) {
  using namespace frontdoor::reliability;
  namespace fs = std::filesystem;
  const char* usage =
      "usage: tamper_battery --frontdoor PATH [--engine sqlite|postgres] [--keep]\n";
  fs::path binary;
  std::string engine = "sqlite";
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--frontdoor" && i + 1 < argc) {
      binary = argv[++i];
    } else if (arg == "--engine" && i + 1 < argc) {
      engine = argv[++i];
    } else if (arg == "--keep") {
      keep = true;
    } else {
      std::cerr << usage;
      return 2;
    }
  }
  if (binary.empty() || (engine != "sqlite" && engine != "postgres")) {
    std::cerr << usage;
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();
  const fs::path work =
      fs::temp_directory_path() / ("frontdoor-tamper-" + std::to_string(::getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  try {
    std::string text;
    if (engine == "postgres") {
      const auto url = frontdoor::storage::testing::postgres_test_url();
      require(url.has_value(),
              "FRONTDOOR_TEST_POSTGRES_URL is not set: run under scripts/with-postgres.sh");
      const frontdoor::storage::testing::PostgresTestSchema schema(*url);
      // Every `frontdoor` this battery runs works in that schema.
      ::setenv("FRONTDOOR_DATABASE_URL", schema.url().c_str(), 1);
      text = postgres_battery(prepare(fs::absolute(binary), work), schema.url());
    } else {
      text = sqlite_battery(prepare(fs::absolute(binary), work));
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    text +=
        "tamper battery (" + engine + ") took " + std::to_string(static_cast<int>(seconds)) + " s";
    std::cout << text << std::endl;
    if (const char* dir = std::getenv("FRONTDOOR_BATTERY_SUMMARY_DIR"); dir != nullptr && *dir) {
      std::ofstream(fs::path(dir) / (engine == "sqlite" ? "tamper.txt" : "tamper-postgres.txt"))
          << text << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "tamper battery FAILED: " << e.what()
              << "\n(scratch folder kept: " << work.string() << ")\n";
    return 1;
  }
  if (!keep) fs::remove_all(work);
  return 0;
}
