// The crash battery (docs/RELIABILITY.md, battery 1). Prepares a store with
// the real CLI, then for each cycle: a `frontdoor serve` (started if none is
// running), a few clients writing through the JSON API, and at a random
// moment (after the cycle's n-th acknowledged request, n random, plus a
// random delay) a fault: SIGKILL of the server, or on PostgreSQL every other cycle
// `pg_ctl stop -m immediate` and a restart of the database under the running
// server (which must then recover by itself). Every few cycles and at the
// end the store is read directly and checked against every answer the
// clients received (crash_check.cpp). See crash_battery.hpp.
//
//   crash_battery --frontdoor PATH --engine sqlite|postgres [--cycles N]
//                 [--seed S] [--clients N] [--check-every N] [--max-acks N]
//                 [--max-delay-ms N] [--work DIR] [--keep] [--self-test]
//
// --cycles defaults to $FRONTDOOR_CRASH_CYCLES, else 100 on SQLite and 30 on
// PostgreSQL. PostgreSQL needs scripts/with-postgres.sh around it (it reads
// FRONTDOOR_TEST_POSTGRES_URL, FRONTDOOR_TEST_PG_DATA, FRONTDOOR_TEST_PG_BIN
// and FRONTDOOR_TEST_PG_AS_SERVER). The seed is printed; the same seed
// replays the same schedule of faults and operations (thread timing differs).
// --self-test (SQLite) then plants faults in the store and in the record of
// answers, and fails unless the checker reports each (crash_selftest.cpp).
// A summary of the figures goes to standard output and, when
// FRONTDOOR_BATTERY_SUMMARY_DIR is set, to crash-<engine>.txt in it.
// Exit status 0 when nothing was lost or half-written, 1 otherwise, 2 for
// bad options.
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <numeric>
#include <random>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "crash_battery.hpp"
#include "diskfull_server.hpp"
#include "storage/postgres_database.hpp"
#include "storage/postgres_test_schema.hpp"
#include "storage/sqlite_database.hpp"
#include "storage/verify.hpp"

namespace fs = std::filesystem;
using namespace frontdoor;
using namespace frontdoor::crash;

namespace {

constexpr const char* kPassword = "a long enough crash battery passphrase";
constexpr const char* kWorker = "crash_worker";
constexpr const char* kManager = "crash_manager";
constexpr const char* kPartner = "crash_police";

struct Options {
  fs::path frontdoor;
  std::string engine;
  int cycles = 0;
  std::uint64_t seed = 0;
  int clients = 4;
  int check_every = 25;
  // The fault comes after the cycle's n-th acknowledged request, n from 1 to
  // max_acks, plus 0 to max_delay_ms: so that every cycle writes something
  // and the fault lands among requests in flight, however slow the machine.
  int max_acks = 16;
  int max_delay_ms = 150;
  fs::path work;
  bool keep = false;
  bool self_test = false;  // SQLite: then plant faults and demand the checker find each
};

const char* usage =
    "usage: crash_battery --frontdoor PATH --engine sqlite|postgres [--cycles N] [--seed S]\n"
    "                     [--clients N] [--check-every N] [--max-acks N] [--max-delay-ms N]\n"
    "                     [--work DIR] [--keep] [--self-test]\n";

bool parse(int argc, char** argv, Options& o) {
  bool seeded = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--frontdoor") {
      o.frontdoor = next();
    } else if (a == "--engine") {
      o.engine = next();
    } else if (a == "--cycles") {
      o.cycles = std::stoi(next());
    } else if (a == "--seed") {
      o.seed = std::stoull(next());
      seeded = true;
    } else if (a == "--clients") {
      o.clients = std::stoi(next());
    } else if (a == "--check-every") {
      o.check_every = std::stoi(next());
    } else if (a == "--max-delay-ms") {
      o.max_delay_ms = std::stoi(next());
    } else if (a == "--max-acks") {
      o.max_acks = std::stoi(next());
    } else if (a == "--work") {
      o.work = next();
    } else if (a == "--keep") {
      o.keep = true;
    } else if (a == "--self-test") {
      o.self_test = true;
    } else {
      throw std::invalid_argument("unknown option " + a);
    }
  }
  if (o.frontdoor.empty() || (o.engine != "sqlite" && o.engine != "postgres")) return false;
  if (o.cycles <= 0) {
    const char* env = std::getenv("FRONTDOOR_CRASH_CYCLES");
    o.cycles = env != nullptr && *env != '\0' ? std::stoi(env) : (o.engine == "sqlite" ? 100 : 30);
  }
  if (!seeded) o.seed = std::random_device{}();
  if (o.clients < 1 || o.check_every < 1 || o.max_acks < 1 || o.max_delay_ms < 0) return false;
  if (o.self_test && o.engine != "sqlite") return false;
  return o.cycles > 0;
}

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

// The throwaway cluster of scripts/with-postgres.sh, and a schema of our own in it.
struct Postgres {
  std::unique_ptr<storage::testing::PostgresTestSchema> schema;
  fs::path data;
  fs::path bin;
  std::vector<std::string> as_server;

  void ctl(const std::vector<std::string>& args, const fs::path& log) const {
    std::vector<std::string> argv = as_server;
    argv.push_back((bin / "pg_ctl").string());
    argv.insert(argv.end(), {"-D", data.string()});
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run_command(argv, "", log);
    if (r.exit_status != 0) {
      throw std::runtime_error("pg_ctl " + args.back() + " failed; see " + log.string());
    }
  }
  void stop_immediately(const fs::path& log) const { ctl({"-m", "immediate", "-w", "stop"}, log); }
  // recovery_init_sync_method=syncfs: after a crash PostgreSQL first flushes
  // its data folder; one syncfs() of the file system instead of an fsync()
  // of each file gives the same guarantee and took 0.5-2 s instead of 7-9 s
  // on a busy test machine.
  void start(const fs::path& log) const {
    ctl({"-l", (data.parent_path() / "server.log").string(), "-o",
         "-c recovery_init_sync_method=syncfs", "-w", "-t", "60", "start"},
        log);
  }
};

class Battery {
 public:
  explicit Battery(Options o) : o_(std::move(o)), rng_(o_.seed) {}
  ~Battery() { kill_server(); }  // never leave a server behind, even on an exception
  Battery(const Battery&) = delete;
  Battery& operator=(const Battery&) = delete;

  int run() {
    const auto started = std::chrono::steady_clock::now();
    prepare();
    for (int cycle = 0; cycle < o_.cycles; ++cycle) {
      run_cycle(cycle);
      if (cycle + 1 >= next_check_ && !server_running()) {
        check("after cycle " + std::to_string(cycle + 1));
        next_check_ += o_.check_every;
      }
      if ((cycle + 1) % 10 == 0 || cycle + 1 == o_.cycles) progress(cycle + 1);
    }
    if (server_running()) kill_server();
    const auto previous_checkpoint = context_.checkpoint;
    const CheckFigures final_figures = check("at the end");
    run_verify_command(previous_checkpoint);
    std::ostringstream server_output;
    server_output << std::ifstream(server_log_).rdbuf();
    if (const auto report = reliability::sanitizer_report(server_output.str()); !report.empty()) {
      failures_.push_back("a sanitizer report in " + server_log_.string() + ": " + report);
    }
    if (o_.self_test && failures_.empty()) run_self_test();
    duration_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string summary = summarise(final_figures);
    std::cout << summary << std::flush;
    if (const auto dir = env_or_empty("FRONTDOOR_BATTERY_SUMMARY_DIR"); !dir.empty()) {
      const std::string name = o_.self_test ? "crash-selftest" : "crash-" + o_.engine;
      std::ofstream(fs::path(dir) / (name + ".txt")) << summary;
    }
    const bool passed = failures_.empty();
    if (!passed) {
      std::cout << failures_.size() << " failure(s); the first:\n";
      for (std::size_t i = 0; i < failures_.size() && i < 30; ++i) {
        std::cout << "  " << failures_[i] << "\n";
      }
      std::cout << "work folder kept: " << o_.work.string() << "\n";
    } else if (!o_.keep) {
      std::error_code ec;
      fs::remove_all(o_.work, ec);
    }
    return passed ? 0 : 1;
  }

 private:
  bool postgres() const { return o_.engine == "postgres"; }
  bool server_running() { return server_ && server_->alive(); }

  // SIGKILL, and reaped.
  void kill_server() {
    if (!server_) return;
    ::kill(server_->pid(), SIGKILL);
    server_->stop();  // reaps it (a SIGTERM to a dying process changes nothing)
    server_.reset();
  }

  std::string cli(std::vector<std::string> args, const std::string& input = "") {
    std::string shown = "frontdoor";
    for (const auto& a : args) shown += " " + a;
    args.insert(args.begin(), o_.frontdoor.string());
    args.insert(args.end(), {"--data", data_.string()});
    const auto r = run_command(args, input, cli_log_);
    if (r.exit_status != 0) {
      throw std::runtime_error(shown + " failed; see " + cli_log_.string());
    }
    return r.out;
  }

  std::unique_ptr<storage::Database> open_store() {
    if (postgres()) {
      storage::PostgresOptions options;
      options.url = pg_.schema->url();
      options.pool_size = 1;
      auto db = storage::PostgresDatabase::open(options);
      if (!db.ok()) throw std::runtime_error("opening PostgreSQL: " + db.error().message);
      return std::move(db).value();
    }
    storage::SqliteOptions options;
    options.path = data_ / "frontdoor.db";
    options.readers = 1;
    auto db = storage::SqliteDatabase::open(options);
    if (!db.ok()) throw std::runtime_error("opening SQLite: " + db.error().message);
    return std::move(db).value();
  }

  // A data folder (and on PostgreSQL a schema) made ready with the CLI, as
  // an administrator would: migrate, two agencies, two users, two API tokens.
  void prepare() {
    if (o_.work.empty()) {
      std::string pattern = (fs::temp_directory_path() / "frontdoor-crash-XXXXXX").string();
      if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
      o_.work = pattern;
    }
    data_ = o_.work / "data";
    server_log_ = o_.work / "server.log";
    cli_log_ = o_.work / "cli.log";
    fs::create_directories(data_);
    ::unsetenv("FRONTDOOR_DATABASE_URL");  // frontdoor.json decides
    if (postgres()) {
      const auto url = storage::testing::postgres_test_url();
      pg_.data = env_or_empty("FRONTDOOR_TEST_PG_DATA");
      pg_.bin = env_or_empty("FRONTDOOR_TEST_PG_BIN");
      pg_.as_server = split_words(env_or_empty("FRONTDOOR_TEST_PG_AS_SERVER"));
      if (!url || pg_.data.empty() || pg_.bin.empty()) {
        throw std::runtime_error(
            "the PostgreSQL crash battery runs inside scripts/with-postgres.sh (it needs "
            "FRONTDOOR_TEST_POSTGRES_URL, FRONTDOOR_TEST_PG_DATA and FRONTDOOR_TEST_PG_BIN)");
      }
      pg_.schema = std::make_unique<storage::testing::PostgresTestSchema>(*url);
      std::ofstream(data_ / "frontdoor.json")
          << nlohmann::json{{"database_url", pg_.schema->url()}}.dump() << "\n";
    }
    model_.prefix = std::string(postgres() ? "P" : "S") + std::to_string(o_.seed % 100000) + "x";
    std::cout << "crash battery on " << engine_name() << ": " << o_.cycles << " cycles, "
              << o_.clients << " clients, seed " << o_.seed << " (replay with --seed " << o_.seed
              << "), work folder " << o_.work.string() << std::endl;
    cli({"migrate"});
    cli({"agency", "add", "--code", "CRASHLA", "--name", "Crash Borough Council", "--kind",
         "council"});
    cli({"agency", "add", "--code", "CRASHPOL", "--name", "Crash Constabulary", "--kind",
         "police"});
    cli({"user", "add", "--username", kWorker, "--name", "Crash Worker", "--email",
         "worker@crash.test", "--role", "mash_social_worker", "--agency", "CRASHLA"},
        std::string(kPassword) + "\n");
    cli({"user", "add", "--username", kManager, "--name", "Crash Manager", "--email",
         "manager@crash.test", "--role", "mash_team_manager", "--agency", "CRASHLA"},
        std::string(kPassword) + "\n");
    cli({"user", "add", "--username", kPartner, "--name", "PC Crash", "--email",
         "police@crash.test", "--role", "partner_referrer", "--agency", "CRASHPOL"},
        std::string(kPassword) + "\n");
    auto token = [&](const char* user) {
      std::string t = cli({"token", "issue", "--username", user});
      while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
      return t;
    };
    credentials_.worker_token = token(kWorker);
    credentials_.partner_token = token(kPartner);
    credentials_.manager_token = token(kManager);
    auto db = open_store();
    const Status found = db->read([&](storage::Transaction& tx) -> Status {
      FD_ASSIGN_OR_RETURN(auto row,
                          tx.query_one("SELECT id FROM agencies WHERE code = 'CRASHPOL'"));
      if (!row) return Error::not_found("agency CRASHPOL");
      context_.partner_agency_id = row->integer(0);
      return ok_status();
    });
    if (!found.ok()) throw std::runtime_error("reading the agency: " + found.error().message);
    context_.worker_username = kWorker;
    context_.mail_folder = data_ / "mail";  // FileMailer's: no SMTP server is configured
    next_check_ = o_.check_every;
  }

  std::string engine_name() const { return postgres() ? "PostgreSQL" : "SQLite"; }

  void ensure_server() {
    if (server_ && !server_->alive()) {
      failures_.push_back("the server exited by itself, status " + std::to_string(server_->stop()) +
                          " (see " + server_log_.string() + ")");
      server_.reset();
    }
    if (server_) return;
    const auto t0 = std::chrono::steady_clock::now();
    server_ = std::make_unique<reliability::ServedFrontdoor>(
        reliability::ServeCommand{o_.frontdoor, data_, server_log_, {}, {}});
    start_ms_.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }

  int random_ms(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }

  void run_cycle(int cycle) {
    ensure_server();
    Counters counters;
    WorkloadOptions options;
    options.port = server_->port();
    options.clients = o_.clients;
    options.seed = o_.seed + static_cast<std::uint64_t>(cycle) * 7919ULL;
    Workload workload(model_, counters, credentials_, options);
    workload.start();
    await_acknowledgements(counters, random_ms(1, o_.max_acks));
    std::this_thread::sleep_for(std::chrono::milliseconds{random_ms(0, o_.max_delay_ms)});
    const bool database_fault = postgres() && cycle % 2 == 1;
    const int in_flight = counters.in_flight.load();
    if (database_fault) {
      const auto down = std::chrono::steady_clock::now();
      pg_.stop_immediately(cli_log_);
      ++db_stops_;
      db_stops_in_flight_ += in_flight > 0 ? 1 : 0;
      std::this_thread::sleep_for(std::chrono::milliseconds{random_ms(0, 300)});
      pg_.start(cli_log_);
      outage_ms_.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - down)
              .count());
      await_recovery(counters);
    } else {
      kill_server();
      ++kills_;
      kills_in_flight_ += in_flight > 0 ? 1 : 0;
    }
    workload.stop();
    for (auto& f : workload.failures())
      failures_.push_back("cycle " + std::to_string(cycle + 1) + ": " + f);
    totals_.sent += counters.sent.load();
    totals_.acknowledged += counters.acknowledged.load();
    totals_.unknown += counters.unknown.load();
    totals_.not_sent += counters.not_sent.load();
    totals_.status_5xx += counters.status_5xx.load();
    totals_.timeouts += counters.timeouts.load();
    totals_.retries += counters.retries.load();
    if (counters.timeouts.load() > 0) {
      failures_.push_back("cycle " + std::to_string(cycle + 1) + ": " +
                          std::to_string(counters.timeouts.load()) +
                          " request(s) had no answer within the time-out");
    }
  }

  // Waits for the cycle's n-th acknowledged request (at most 60 seconds: a
  // server that acknowledges nothing for that long has failed).
  void await_acknowledgements(Counters& counters, int n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
    while (counters.acknowledged.load() < n) {
      if (std::chrono::steady_clock::now() > deadline || !server_running()) {
        failures_.push_back("the server acknowledged fewer than " + std::to_string(n) +
                            " requests in 60 s (or exited)");
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{2});
    }
  }

  // After the database restarts under it, the same server must acknowledge a
  // write sent after the restart, within 30 seconds.
  void await_recovery(Counters& counters) {
    const std::int64_t restarted = steady_ns();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
    while (counters.latest_acknowledged_send.load() < restarted) {
      if (std::chrono::steady_clock::now() > deadline || !server_running()) {
        failures_.push_back(
            "the server acknowledged no write within 30 s of PostgreSQL's restart (or exited)");
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
    }
    recovery_ms_.push_back(static_cast<double>(steady_ns() - restarted) / 1e6);
  }

  CheckFigures check(const std::string& when) {
    auto db = open_store();
    CheckFigures f = check_store(*db, model_, context_);
    for (const auto& failure : f.failures) failures_.push_back("check " + when + ": " + failure);
    if (f.checkpoint) context_.checkpoint = f.checkpoint;
    std::cout << "check " << when << ": " << f.events << " events, " << f.audit_entries
              << " audit entries, " << f.lost << " acknowledged writes lost, " << f.failures.size()
              << " problem(s)" << std::endl;
    return f;
  }

  // The operator's own check, `frontdoor verify`, against the checkpoint of
  // the check before the last when there was one.
  void run_verify_command(const std::optional<storage::Checkpoint>& checkpoint) {
    std::vector<std::string> argv{o_.frontdoor.string(), "verify", "--data", data_.string()};
    if (checkpoint) {
      const fs::path file = o_.work / "checkpoint.json";
      const Status written = storage::write_checkpoint(file, *checkpoint);
      if (!written.ok())
        throw std::runtime_error("writing a checkpoint: " + written.error().message);
      argv.insert(argv.end(), {"--checkpoint", file.string()});
    }
    const auto r = run_command(argv, "", cli_log_);
    verify_line_ = r.out;
    while (!verify_line_.empty() && verify_line_.back() == '\n') verify_line_.pop_back();
    std::cout << verify_line_ << std::endl;
    if (r.exit_status != 0) {
      failures_.push_back("frontdoor verify failed (status " + std::to_string(r.exit_status) +
                          "): " + r.out);
    }
  }

  void run_self_test() {
    auto db = open_store();
    const auto result = self_test(*db, model_, context_);
    for (const auto& m : result.missed) failures_.push_back("self-test: the checker missed " + m);
    self_test_line_ = "\n  self-test: " + std::to_string(result.planted) +
                      " faults planted in the store and in the record of answers, " +
                      std::to_string(result.planted - static_cast<int>(result.missed.size())) +
                      " reported by the checker";
  }

  void progress(int cycles) const {
    std::cout << "cycle " << cycles << "/" << o_.cycles << ": " << kills_ << " server kills, "
              << db_stops_ << " database stops, " << totals_.acknowledged
              << " requests acknowledged, " << totals_.unknown << " unknown" << std::endl;
  }

  static std::string mean_max(const std::vector<double>& ms) {
    if (ms.empty()) return "none";
    const double mean = std::accumulate(ms.begin(), ms.end(), 0.0) / static_cast<double>(ms.size());
    std::ostringstream out;
    out << static_cast<long>(mean) << " ms mean, "
        << static_cast<long>(*std::max_element(ms.begin(), ms.end())) << " ms max";
    return out.str();
  }

  std::string summarise(const CheckFigures& f) const {
    const std::int64_t acknowledged = f.contacts_acknowledged + f.people_acknowledged +
                                      f.links_acknowledged + f.screenings_acknowledged +
                                      f.decisions_acknowledged + f.sign_offs_acknowledged;
    const std::int64_t attempted = acknowledged + f.unknown_present + f.unknown_absent;
    std::ostringstream s;
    s << (o_.self_test ? "crash battery checker self-test on " : "crash battery on ")
      << engine_name() << ": " << (failures_.empty() ? "PASSED" : "FAILED") << "\n  cycles "
      << o_.cycles << ": server killed with SIGKILL " << kills_ << " times (" << kills_in_flight_
      << " with requests in flight)";
    if (postgres()) {
      s << ", PostgreSQL stopped with pg_ctl -m immediate and restarted " << db_stops_ << " times ("
        << db_stops_in_flight_ << " with requests in flight)";
    }
    s << "\n  writes attempted " << attempted << ": acknowledged " << acknowledged << ", lost "
      << f.lost << ", unknown-and-present " << f.unknown_present << ", unknown-and-absent "
      << f.unknown_absent << "; never sent (refused connection) " << f.not_sent << ", all absent"
      << "\n  acknowledged: " << f.contacts_acknowledged << " contacts (" << totals_.retries
      << " resent with their idempotency key after an unknown outcome, each stored once), "
      << f.people_acknowledged << " people, " << f.links_acknowledged << " child links, "
      << f.screenings_acknowledged << " screenings, " << f.decisions_acknowledged << " decisions, "
      << f.sign_offs_acknowledged << " sign-offs (each with its notices); " << f.views_acknowledged
      << " audited reads, each with its audit entry"
      << "\n  outcome e-mails: " << f.emails_recorded_sent << " recorded as sent, each with its "
      << ".eml; " << f.email_files << " .eml files"
      << "\n  requests: " << totals_.sent << " sent, " << totals_.acknowledged << " answered 2xx, "
      << totals_.unknown << " without a definite answer (" << totals_.status_5xx << " of them 5xx, "
      << totals_.timeouts << " timed out)"
      << "\n  store: " << f.events << " events and " << f.audit_entries
      << " audit entries; hash chains verified at each check against the one before; every "
         "contact and person row equal to the fold of its events"
      << "\n  " << verify_line_ << "\n  server start-up " << mean_max(start_ms_);
    if (postgres()) {
      s << "; PostgreSQL down (stop, pause, start) " << mean_max(outage_ms_)
        << "; first write acknowledged after its restart " << mean_max(recovery_ms_);
    }
    s << self_test_line_;
    s << "\n  seed " << o_.seed << ", duration " << static_cast<long>(duration_s_) << " s\n";
    return s.str();
  }

  Options o_;
  std::mt19937_64 rng_;
  fs::path data_, server_log_, cli_log_;
  Postgres pg_;
  Credentials credentials_;
  CheckContext context_;
  Model model_;
  std::unique_ptr<reliability::ServedFrontdoor> server_;
  int next_check_ = 0;
  int kills_ = 0, kills_in_flight_ = 0, db_stops_ = 0, db_stops_in_flight_ = 0;
  struct {
    std::int64_t sent = 0, acknowledged = 0, unknown = 0, not_sent = 0, status_5xx = 0,
                 timeouts = 0, retries = 0;
  } totals_;
  std::vector<double> start_ms_, outage_ms_, recovery_ms_;
  std::vector<std::string> failures_;
  double duration_s_ = 0;
  std::string self_test_line_;
  std::string verify_line_;
};

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    if (!parse(argc, argv, options)) {
      std::cerr << usage;
      return 2;
    }
  } catch (const std::exception& e) {
    std::cerr << "crash_battery: " << e.what() << "\n" << usage;
    return 2;
  }
  try {
    Battery battery(options);
    return battery.run();
  } catch (const std::exception& e) {
    std::cerr << "crash_battery: " << e.what() << "\n";
    return 1;
  }
}
