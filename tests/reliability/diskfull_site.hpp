#pragma once
// What both halves of the disk-full and I/O-error battery share: a data
// folder with a police partner system and a MASH social worker (API tokens),
// a child's record to read, the list of failures found, and the final check
// after the faults: a clean stop, a restart, every acknowledged write read
// back, every served read of the child audited, no sanitizer report, and
// both hash chains intact (`frontdoor verify`).
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "diskfull_load.hpp"
#include "diskfull_server.hpp"

namespace frontdoor::reliability {

// Failures collected along the way; the battery fails if there is any.
class Verdict {
 public:
  void require(bool ok, const std::string& what);
  void add_problems(const std::vector<std::string>& problems);
  bool passed() const { return failures_.empty(); }
  // Prints each failure (at most `limit`, then a count) to standard error.
  void print(const std::string& battery, std::size_t limit = 25) const;

 private:
  std::vector<std::string> failures_;
};

// Creates the agencies, the two users and their API tokens in the store of
// `data` (a new SQLite data folder, or the empty PostgreSQL database at
// `database_url`), in this process, before any server runs there. Fills in
// the tokens and the internal text no reply may show.
Site prepare_site(const std::filesystem::path& data, const std::string& database_url);

// Records the child whose reads are audited, through `site`'s server.
void create_child(Site& site, Verdict& verdict);

// The SQLite store of the data folder `data`, opened in this process.
std::unique_ptr<storage::Database> open_sqlite_store(const std::filesystem::path& data);

// Runs `command` (argv[0] looked up in PATH); its exit status, or 128 + the
// signal that ended it; -1 if it could not be run.
int run_command(const std::vector<std::string>& command);

struct FinalCheck {
  std::size_t acknowledged = 0;
  std::size_t lost = 0;
  std::int64_t child_views_audited = 0;
  bool chains_intact = false;  // frontdoor verify passed
};

// Stops `server` (it must exit with status 0), starts `plain` (the same
// data folder, no faults) and reads back every acknowledged write, stops it,
// then checks the log, the stored audit and keys (in the store `open`
// returns) and both hash chains. Adds what fails to `verdict`.
FinalCheck final_check(ServedFrontdoor& server, const ServeCommand& plain, Site site,
                       const Ledger& ledger, Verdict& verdict,
                       const std::function<std::unique_ptr<storage::Database>()>& open);

// Writes `text` to $FRONTDOOR_BATTERY_SUMMARY_DIR/<name>.txt when that is
// set, and to standard output.
void write_summary(const std::string& name, const std::string& text);

// The value given to option `name` on the command line ("" when absent).
std::string option_value(int argc, char** argv, const std::string& name);

// A new, empty folder under the temporary directory.
std::filesystem::path scratch_folder(const std::string& prefix);

}  // namespace frontdoor::reliability
