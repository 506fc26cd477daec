// record_bench: durable contact recording against a bare SQLite insert with
// the same durability, in one process, in the same run.
//
//   record_bench --data COUNCIL --work DIR [--count N] [--rounds R]
//
// COUNCIL's database is copied into DIR (emptied first), so the contacts are
// recorded into the full demo council without changing it. Then, in R rounds
// (interleaved, so a change in the disk's speed during the run hits both
// sides alike), N/R contacts are recorded through app::Contacts::record as a
// signed-in MASH social worker, and N/R rows are inserted with bare SQLite
// into DIR/bare.db. Both sides commit one transaction per item with WAL and
// synchronous=FULL (and the same WAL auto-checkpoint). The bare row holds the
// JSON payload of a contact the application recorded, so the two write rows of
// the same content; the application also writes its event envelope and hash
// chain, the contacts projection row and its indexes.
//
// Prints each side's rate and latency percentiles, then one line
//   RESULT record app_rate=... bare_rate=... ratio=...
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "app/application.hpp"
#include "storage/event_store.hpp"

namespace fs = std::filesystem;
using namespace frontdoor;
using Steady = std::chrono::steady_clock;

namespace {

[[noreturn]] void die(const std::string& what) {
  std::cerr << "record_bench: " << what << "\n";
  std::exit(1);
}

struct Timings {
  std::vector<double> ms;  // one per item
  double seconds = 0;      // wall time of the timed loops
  void add(Steady::time_point a, Steady::time_point b) {
    const double d = std::chrono::duration<double>(b - a).count();
    ms.push_back(d * 1000.0);
    seconds += d;
  }
  double rate() const { return seconds > 0 ? static_cast<double>(ms.size()) / seconds : 0.0; }
  double percentile(double p) const {
    if (ms.empty()) return 0;
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1));
    return sorted[i];
  }
};

// Contacts as a MASH social worker would record them from a phone call.
class ContactMaker {
 public:
  ContactMaker(app::Agency police, std::uint64_t seed) : police_(std::move(police)), rng_(seed) {}

  domain::ContactDetails next(Instant now) {
    static constexpr std::array<const char*, 12> kGiven{"Amara",  "Bobby", "Cerys", "Dev",
                                                        "Esme",   "Fin",   "Gwen",  "Hamza",
                                                        "Imogen", "Jude",  "Kezia", "Lorcan"};
    static constexpr std::array<const char*, 10> kFamily{
        "Ashworth", "Bramley", "Castell", "Dunmore", "Ellery",
        "Fairley",  "Gorton",  "Hebden",  "Ilkley",  "Jessop"};
    domain::ContactDetails d;
    d.channel = domain::ContactChannel::kPhone;
    d.source_code = "2A";
    d.received_at = now - std::chrono::minutes{static_cast<long>(rng_() % 90)};
    d.referrer = domain::Referrer{"PC Dana Whitlock",
                                  "Police constable",
                                  police_.id,
                                  police_.name,
                                  "dana.whitlock@police.demo.example.org",
                                  "01632 960" + std::to_string(100 + rng_() % 900)};
    const std::string family = kFamily[rng_() % kFamily.size()];
    const int children = 1 + static_cast<int>(rng_() % 3);
    for (int c = 0; c < children; ++c) {
      domain::ChildOnContact child;
      child.given_name = kGiven[rng_() % kGiven.size()];
      child.family_name = family;
      child.date_of_birth =
          std::chrono::sys_days{std::chrono::year{2012 + static_cast<int>(rng_() % 12)} /
                                std::chrono::month{1 + static_cast<unsigned>(rng_() % 12)} /
                                std::chrono::day{1 + static_cast<unsigned>(rng_() % 28)}};
      child.sex.assign(1, rng_() % 2 == 0 ? '1' : '2');
      d.children.push_back(std::move(child));
    }
    d.adults.push_back(
        domain::AdultOnContact{"Rowan", family, "Mother", std::nullopt, "", std::nullopt});
    d.address_line = std::to_string(1 + rng_() % 150) + " Canal Side, Demo Town";
    d.postcode = "DB4 " + std::to_string(rng_() % 10) + "QX";
    d.concerns =
        "Police were called to the family home at 23:40 after neighbours heard shouting and "
        "breaking glass. Mother had a cut to her hand; her partner had left before officers "
        "arrived. The children were awake and upstairs. Mother says this is the second "
        "incident this month and she does not want to support a prosecution.";
    d.child_views = "The eldest child told the officer she hides with her brother when it is loud.";
    d.family_aware = domain::FamilyAware::kYes;
    d.consent = domain::ConsentStatus::kGiven;
    return d;
  }

 private:
  app::Agency police_;
  std::mt19937_64 rng_;
};

class BareSqlite {
 public:
  explicit BareSqlite(const fs::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK)
      die("cannot open " + path.string());
    // The application's writer settings: WAL, synchronous=FULL, the same
    // auto-checkpoint.
    exec(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=4000;"
        "CREATE TABLE IF NOT EXISTS contacts_bare (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    if (sqlite3_prepare_v3(db_, "INSERT INTO contacts_bare (body) VALUES (?)", -1,
                           SQLITE_PREPARE_PERSISTENT, &insert_, nullptr) != SQLITE_OK)
      die(sqlite3_errmsg(db_));
  }
  ~BareSqlite() {
    sqlite3_finalize(insert_);
    sqlite3_close_v2(db_);
  }
  BareSqlite(const BareSqlite&) = delete;
  BareSqlite& operator=(const BareSqlite&) = delete;

  int synchronous() {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, "PRAGMA synchronous", -1, &s, nullptr);
    int level = -1;
    if (sqlite3_step(s) == SQLITE_ROW) level = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return level;
  }

  // One durable transaction holding one row.
  void insert(const std::string& body) {
    exec("BEGIN IMMEDIATE");
    sqlite3_bind_text64(insert_, 1, body.data(), body.size(), SQLITE_STATIC, SQLITE_UTF8);
    if (sqlite3_step(insert_) != SQLITE_DONE) die(sqlite3_errmsg(db_));
    sqlite3_reset(insert_);
    exec("COMMIT");
  }

 private:
  void exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string m = message != nullptr ? message : "?";
      sqlite3_free(message);
      die(m);
    }
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

void print_side(const char* name, const Timings& t) {
  std::printf("record: %-4s n=%zu rate=%.1f/s p50=%.2fms p99=%.2fms max=%.2fms\n", name,
              t.ms.size(), t.rate(), t.percentile(50), t.percentile(99), t.percentile(100));
}

}  // namespace

int main(int argc, char** argv) {
  fs::path council;
  fs::path work;
  int count = 2000;
  int rounds = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--data") {
      council = value();
    } else if (a == "--work") {
      work = value();
    } else if (a == "--count") {
      count = std::atoi(value().c_str());
    } else if (a == "--rounds") {
      rounds = std::atoi(value().c_str());
    } else {
      die("usage: record_bench --data COUNCIL --work DIR [--count N] [--rounds R]");
    }
  }
  if (council.empty() || work.empty() || count <= 0 || rounds <= 0 || count % rounds != 0)
    die("usage: record_bench --data COUNCIL --work DIR [--count N] [--rounds R] (R divides N)");
  if (!fs::exists(council / "frontdoor.db")) die("no council in " + council.string());

  fs::remove_all(work);
  fs::create_directories(work);
  for (const char* f : {"frontdoor.db", "frontdoor.db-wal"}) {
    if (fs::exists(council / f)) fs::copy_file(council / f, work / f);
  }
  // Write the copy out now, so its write-back does not slow the timed commits.
  ::sync();

  SystemClock clock;
  auto config = app::Config::load(work);
  if (!config.ok()) die(config.error().message);
  auto opened = app::Application::open(std::move(config).value(), clock);
  if (!opened.ok()) die(opened.error().message);
  app::Application& app = **opened;
  // Application::open refuses to start unless SQLite runs with synchronous=FULL.
  auto signed_in = app.accounts().sign_in("sam.worker", "frontdoor-demo-2026", "127.0.0.1");
  if (!signed_in.ok()) die("sign-in as sam.worker: " + signed_in.error().message);
  const app::Principal& worker = signed_in->principal;
  auto police = app.accounts().agency_by_code("police");
  if (!police.ok()) die(police.error().message);
  ContactMaker maker(*police, 42);

  std::int64_t existing = 0;
  (void)app.db().read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT COUNT(*) FROM contacts"));
    existing = row->integer(0);
    return ok_status();
  });

  // Warm up both sides; the application's recorded payloads become the bare rows.
  std::vector<std::string> bodies;
  for (int i = 0; i < 20; ++i) {
    auto c = app.contacts().record(worker, maker.next(clock.now()));
    if (!c.ok()) die("record: " + c.error().message);
    (void)app.db().read([&](storage::Transaction& tx) -> Status {
      FD_ASSIGN_OR_RETURN(auto events,
                          storage::EventStore::read_stream(tx, app::contact_stream(c->id)));
      for (const auto& e : events) bodies.push_back(e.payload.dump());
      return ok_status();
    });
  }
  std::size_t body_bytes = 0;
  for (const auto& b : bodies) body_bytes += b.size();
  BareSqlite bare(work / "bare.db");
  if (bare.synchronous() != 2) die("bare SQLite is not at synchronous=FULL");
  for (int i = 0; i < 20; ++i) bare.insert(bodies[static_cast<std::size_t>(i) % bodies.size()]);

  std::printf(
      "record: %d contacts into a council of %lld contacts, %d rounds; bare rows of %zu "
      "bytes on average (a recorded contact's payload)\n",
      count, static_cast<long long>(existing), rounds, body_bytes / bodies.size());
  std::fflush(stdout);
  Timings app_t;
  Timings bare_t;
  const int per_round = count / rounds;
  std::size_t next_body = 0;
  for (int r = 0; r < rounds; ++r) {
    for (int i = 0; i < per_round; ++i) {
      auto details = maker.next(clock.now());
      const auto a = Steady::now();
      auto c = app.contacts().record(worker, std::move(details));
      const auto b = Steady::now();
      if (!c.ok()) die("record: " + c.error().message);
      app_t.add(a, b);
    }
    for (int i = 0; i < per_round; ++i) {
      const std::string& body = bodies[next_body++ % bodies.size()];
      const auto a = Steady::now();
      bare.insert(body);
      const auto b = Steady::now();
      bare_t.add(a, b);
    }
  }
  print_side("app", app_t);
  print_side("bare", bare_t);
  std::printf(
      "RESULT record app_rate=%.1f bare_rate=%.1f ratio=%.3f app_p99_ms=%.2f "
      "bare_p99_ms=%.2f\n",
      app_t.rate(), bare_t.rate(), app_t.rate() / bare_t.rate(), app_t.percentile(99),
      bare_t.percentile(99));
  return 0;
}
