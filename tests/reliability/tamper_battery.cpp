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
// Writes its figures to $FRONTDOOR_BATTERY_SUMMARY_DIR/tamper.txt.
//
//   tamper_battery --frontdoor PATH [--keep]     (--keep: leave the scratch folder)
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include "storage/event_store.hpp"
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

// One way of tampering, and the first break `frontdoor verify` must name.
struct Case {
  std::string name;
  Chain chain;
  std::function<void(storage::SqliteDatabase&)> tamper;
  bool needs_checkpoint = false;
  std::string expect;  // e.g. "BROKEN: events seq 12: altered"
};

std::string expected(Chain chain, std::int64_t seq, const char* kind) {
  return "BROKEN: " + std::string(storage::chain_name(chain)) + " seq " + std::to_string(seq) +
         ": " + kind + ":";
}

void exec(storage::SqliteDatabase& db, const std::vector<std::string>& statements) {
  must(db.write([&](storage::Transaction& tx) -> Status {
    for (const auto& sql : statements) FD_TRY(tx.exec(sql));
    return ok_status();
  }),
       "tampering");
}

void drop_triggers(storage::SqliteDatabase& db, Chain chain) {
  const std::string table(storage::chain_name(chain));
  exec(db, {"DROP TRIGGER " + table + "_append_only_update",
            "DROP TRIGGER " + table + "_append_only_delete"});
}

std::function<void(storage::SqliteDatabase&)> sql(std::vector<std::string> statements) {
  return
      [statements = std::move(statements)](storage::SqliteDatabase& db) { exec(db, statements); };
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
void rehash_events(storage::SqliteDatabase& db, std::int64_t from, bool through) {
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

std::vector<Case> cases(const Facts& f) {
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
       [m](storage::SqliteDatabase& db) { rehash_events(db, m, false); }, false,
       expected(ev, m + 1, "relinked")},
      {"events: the last three deleted", ev,
       sql({"DELETE FROM events WHERE seq > " + std::to_string(f.events - 3)}), true,
       expected(ev, f.events - 2, "behind-checkpoint")},
      {"events: the table emptied", ev, sql({"DELETE FROM events"}), true,
       expected(ev, 1, "behind-checkpoint")},
      {"events: history rewritten and every hash recomputed", ev,
       [m](storage::SqliteDatabase& db) { rehash_events(db, m, true); }, true,
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
      {"audit: the table emptied", au, sql({"DELETE FROM audit"}), true,
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

void tamper_cases(const Battery& b, const Facts& f, Tally& tally) {
  auto live = open_store(b.live / "frontdoor.db");
  // The triggers stop anyone who has not dropped them.
  {
    const fs::path dir = b.work / "case-guarded";
    copy_store(*live, dir / "frontdoor.db");
    auto db = open_store(dir / "frontdoor.db");
    for (const Chain chain : {Chain::kEvents, Chain::kAudit}) {
      const std::string table(storage::chain_name(chain));
      for (const std::string& sql :
           {"DELETE FROM " + table + " WHERE seq = 1", "UPDATE " + table + " SET seq = seq"}) {
        const Status refused = db->write([&](storage::Transaction& tx) { return tx.exec(sql); });
        require(!refused.ok(), "the append-only trigger let through: " + sql);
      }
    }
    db.reset();
    fs::remove_all(dir);
  }
  int i = 0;
  for (const Case& c : cases(f)) {
    const fs::path dir = b.work / ("case-" + std::to_string(++i));
    copy_store(*live, dir / "frontdoor.db");
    {
      auto db = open_store(dir / "frontdoor.db");
      drop_triggers(*db, c.chain);
      c.tamper(*db);
    }
    expect_detected(b, c.name, dir, f.checkpoint, c.needs_checkpoint, c.expect, tally);
    fs::remove_all(dir);
  }
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

std::string summary(const Tally& t, const BackupFigures& f, double seconds) {
  std::ostringstream out;
  out << "tamper: " << t.tried << " tamperings tried, " << t.detected
      << " detected by frontdoor verify with the first break named (" << t.whole_without_checkpoint
      << " of those needing a checkpoint leave a whole chain without one, as designed)\n";
  for (const auto& line : t.lines) out << line << "\n";
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
  out << "tamper battery took " << static_cast<int>(seconds) << " s";
  return out.str();
}

}  // namespace
}  // namespace frontdoor::reliability

int main(int argc, char** argv) {
  using namespace frontdoor::reliability;
  namespace fs = std::filesystem;
  fs::path binary;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--frontdoor" && i + 1 < argc) {
      binary = argv[++i];
    } else if (arg == "--keep") {
      keep = true;
    } else {
      std::cerr << "usage: tamper_battery --frontdoor PATH [--keep]\n";
      return 2;
    }
  }
  if (binary.empty()) {
    std::cerr << "usage: tamper_battery --frontdoor PATH [--keep]\n";
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();
  const fs::path work =
      fs::temp_directory_path() / ("frontdoor-tamper-" + std::to_string(::getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  try {
    const Battery b = prepare(fs::absolute(binary), work);
    Ran ran = run({b.frontdoor.string(), "verify", "--data", b.live.string()});
    require(ran.status == 0 && ran.output.find("intact: events ") != std::string::npos,
            "frontdoor verify on the untouched store: " + ran.output);
    Facts facts;
    facts.checkpoint = work / "checkpoint-1.json";
    ran = run({b.frontdoor.string(), "checkpoint", "--data", b.live.string(), "--out",
               facts.checkpoint.string()});
    require(ran.status == 0, "frontdoor checkpoint: " + ran.output);
    {
      auto live = open_store(b.live / "frontdoor.db");
      facts.events = max_of(*live, "events", "seq");
      facts.audit = max_of(*live, "audit", "seq");
      require(facts.events >= 20 && facts.audit >= 10, "too few entries to tamper with");
      copy_store(*live, work / "old" / "frontdoor.db");
    }
    Tally tally;
    tamper_cases(b, facts, tally);
    const BackupFigures figures = backup_round_trip(b);
    older_copy_cases(b, work / "old", tally);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string text = summary(tally, figures, seconds);
    std::cout << text << std::endl;
    if (const char* dir = std::getenv("FRONTDOOR_BATTERY_SUMMARY_DIR"); dir != nullptr && *dir) {
      std::ofstream(fs::path(dir) / "tamper.txt") << text << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "tamper battery FAILED: " << e.what()
              << "\n(scratch folder kept: " << work.string() << ")\n";
    return 1;
  }
  if (!keep) fs::remove_all(work);
  return 0;
}
