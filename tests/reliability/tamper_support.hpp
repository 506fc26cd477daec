#pragma once
// What the audit-tampering battery (tamper_battery.cpp) needs around the real
// `frontdoor` binary: running a subcommand and reading its output, a
// `frontdoor serve` process, opening and copying SQLite stores, and reading
// every row of every table to compare two stores.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/sqlite_database.hpp"

namespace frontdoor::reliability {

// A check of the battery failed: the message says which and why.
struct BatteryFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};
void require(bool condition, const std::string& what);

struct Ran {
  int status = -1;     // exit status, or 128 + the signal that ended it
  std::string output;  // standard output and standard error, interleaved
};
// Runs `argv` (argv[0] a path) to completion.
Ran run(const std::vector<std::string>& argv);

// `frontdoor serve --port 0 --data DIR`, its output in DIR/../serve-N.log.
class Server {
 public:
  Server(const std::filesystem::path& frontdoor, const std::filesystem::path& data);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  unsigned short port() const { return port_; }
  // SIGTERM, and waits for the exit (SIGKILL after 30 s); the exit status.
  int stop();

 private:
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  std::filesystem::path log_;
};

// A store file opened as it is (never migrated); throws when it cannot be.
std::unique_ptr<storage::SqliteDatabase> open_store(const std::filesystem::path& file);
// A consistent copy of `from` at `to` (SQLite's online backup), into a new folder.
void copy_store(storage::SqliteDatabase& from, const std::filesystem::path& to);

// Every table's rows, each row written out with the type of each value, sorted.
using Tables = std::map<std::string, std::vector<std::string>>;
Tables read_tables(storage::Database& db);
std::int64_t row_count(const Tables& tables);

// What comparing a store with the copy taken of it found.
struct Comparison {
  std::int64_t rows_compared = 0;   // rows of the copy looked up in the store
  std::int64_t rows_differing = 0;  // rows of the copy that the store does not hold as they are
  std::int64_t rows_only_in_store = 0;
  std::map<std::string, std::int64_t> only_in_store_by_table;
  std::string first_difference;  // "table: row" of the first copy row not in the store
};
// Every row of every table of `copy` must be in `store` exactly (as a
// multiset); rows only in `store` are counted by table.
Comparison compare(const Tables& copy, const Tables& store);

// The largest value of an integer column (0 for an empty table).
std::int64_t max_of(storage::Database& db, const std::string& table, const std::string& column);

}  // namespace frontdoor::reliability
