#include "diskfull_site.hpp"

#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <fstream>
#include <iostream>
#include <stdexcept>

#include "app/application.hpp"
#include "storage/sqlite_database.hpp"

extern char** environ;

namespace frontdoor::reliability {

using testing::HttpClient;

void Verdict::require(bool ok, const std::string& what) {
  if (!ok) failures_.push_back(what);
}

void Verdict::add_problems(const std::vector<std::string>& problems) {
  failures_.insert(failures_.end(), problems.begin(), problems.end());
}

void Verdict::print(const std::string& battery, std::size_t limit) const {
  for (std::size_t i = 0; i < failures_.size() && i < limit; ++i) {
    std::cerr << battery << ": FAILED: " << failures_[i] << "\n";
  }
  if (failures_.size() > limit) {
    std::cerr << battery << ": ... and " << failures_.size() - limit << " more failures\n";
  }
}

Site prepare_site(const std::filesystem::path& data, const std::string& database_url) {
  SystemClock clock;
  app::Config config;
  config.data_dir = data;
  config.database_url = database_url;
  config.council_name = "Battery Borough Council";
  config.passwords = app::PasswordParams{1, 8192, 1};  // the users never sign in with it
  auto opened = app::Application::open(config, clock);
  if (!opened.ok())
    throw std::runtime_error("cannot prepare the data folder: " + opened.error().message);
  auto& accounts = (*opened)->accounts();
  auto agency = [&](const char* code, const char* name, domain::AgencyKind kind) {
    app::Agency a;
    a.code = code;
    a.name = name;
    a.kind = kind;
    if (!accounts.create_agency(a).ok()) throw std::runtime_error("cannot add an agency");
  };
  agency("LA", "Battery Borough Children's Services", domain::AgencyKind::kCouncil);
  agency("POL", "Battery Constabulary", domain::AgencyKind::kPolice);
  auto token_for = [&](const char* username, const char* name, domain::Role role,
                       const char* agency_code) {
    app::NewUser u{username, name,        std::string(username) + "@battery.test",
                   role,     agency_code, "a long enough battery passphrase"};
    auto user = accounts.create_user(u);
    if (!user.ok()) throw std::runtime_error("cannot add a user: " + user.error().message);
    auto token = accounts.issue_api_token(user->id);
    if (!token.ok()) throw std::runtime_error("cannot issue a token");
    return *token;
  };
  Site site;
  site.writer_token = token_for("police", "PC Battery", domain::Role::kPartnerReferrer, "POL");
  site.reader_token = token_for("worker", "Sam Battery", domain::Role::kMashSocialWorker, "LA");
  site.internal_text = {"sqlite",
                        "disk i/o error",
                        "database or disk is full",
                        "database is locked",
                        "frontdoor.db",
                        "errno",
                        "no such table",
                        "input/output",
                        "no space left",
                        data.string()};
  return site;
}

void create_child(Site& site, Verdict& verdict) {
  HttpClient c(site.port);
  c.set_default_header("Authorization", "Bearer " + site.reader_token);
  site.child_name = "Ottilie";
  auto created = c.post_json("/api/v1/people", {{"kind", "child"},
                                                {"given_name", site.child_name},
                                                {"family_name", "Diskfull"},
                                                {"date_of_birth", "2019-07-01"}});
  const auto j = created.json();
  verdict.require(created.status == 201 && j.is_object() && j.contains("id"),
                  "the child's record could not be created: " + created.body.substr(0, 300));
  if (created.status == 201) site.child_id = j["id"].get<std::int64_t>();
}

std::unique_ptr<storage::Database> open_sqlite_store(const std::filesystem::path& data) {
  auto db = storage::SqliteDatabase::open(storage::SqliteOptions{data / "frontdoor.db", 1, true});
  if (!db.ok()) throw std::runtime_error("cannot open the SQLite store: " + db.error().message);
  return std::move(db).value();
}

int run_command(const std::vector<std::string>& command) {
  std::vector<std::string> args = command;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (::posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  if (::waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

FinalCheck final_check(ServedFrontdoor& server, const ServeCommand& plain, Site site,
                       const Ledger& ledger, Verdict& verdict,
                       const std::function<std::unique_ptr<storage::Database>()>& open) {
  FinalCheck check;
  const int stopped = server.stop();
  verdict.require(stopped == 0, "frontdoor serve exited with status " + std::to_string(stopped) +
                                    " when stopped after the faults:\n" + tail(server.log(), 20));
  {
    ServedFrontdoor again(plain);
    site.port = again.port();
    const auto lost = missing_writes(site, ledger);
    check.acknowledged = ledger.acknowledged_writes().size();
    check.lost = lost.size();
    for (const auto& key : lost) verdict.require(false, "acknowledged write lost: " + key);
    const int status = again.stop();
    verdict.require(status == 0,
                    "the restarted server exited with status " + std::to_string(status));
    const std::string report = sanitizer_report(again.log());
    verdict.require(report.empty(), "sanitizer report: " + report);
  }
  const std::string report = sanitizer_report(server.log());
  verdict.require(report.empty(), "sanitizer report: " + report);

  std::set<std::string> keys;
  for (const auto& [key, id] : ledger.acknowledged_writes()) keys.insert(key);
  const auto facts = stored_facts(*open(), site.child_id, keys);
  check.child_views_audited = facts.child_views_audited;
  verdict.require(
      facts.child_views_audited == ledger.child_reads_served(),
      "reads of the child's record served: " + std::to_string(ledger.child_reads_served()) +
          ", audited: " + std::to_string(facts.child_views_audited) + " (they must be equal)");
  verdict.require(facts.stored_keys.size() == keys.size(),
                  "acknowledged writes stored under their Idempotency-Key: " +
                      std::to_string(facts.stored_keys.size()) + " of " +
                      std::to_string(keys.size()));
  // Both hash chains (events and audit) intact after the faults.
  const int verified = run_command({plain.frontdoor.string(), "verify", "--data", plain.data});
  check.chains_intact = verified == 0;
  verdict.require(check.chains_intact,
                  "frontdoor verify failed (status " + std::to_string(verified) + ")");
  return check;
}

void write_summary(const std::string& name, const std::string& text) {
  std::cout << text << std::endl;
  const char* dir = std::getenv("FRONTDOOR_BATTERY_SUMMARY_DIR");
  if (dir == nullptr || *dir == '\0') return;
  std::ofstream out(std::filesystem::path(dir) / (name + ".txt"));
  out << text << "\n";
}

std::string option_value(int argc, char** argv, const std::string& name) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return "";
}

std::filesystem::path scratch_folder(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

}  // namespace frontdoor::reliability
