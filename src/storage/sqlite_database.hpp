#pragma once
// The embedded engine: one SQLite file in WAL mode with synchronous=FULL, so
// an acknowledged (committed) write survives a crash or power loss. One
// writer connection (writers are serialised, as SQLite requires) and a pool
// of reader connections that read consistent snapshots concurrently.
#include <filesystem>
#include <memory>

#include "storage/database.hpp"

namespace frontdoor::storage {

struct SqliteOptions {
  std::filesystem::path path;    // the database file
  int readers = 8;               // reader connections in the pool
  bool synchronous_full = true;  // never turn off outside benchmarks of the baseline
};

class SqliteDatabase final : public Database {
 public:
  static Result<std::unique_ptr<SqliteDatabase>> open(const SqliteOptions& options);
  ~SqliteDatabase() override;

  Status write(const std::function<Status(Transaction&)>& work) override;
  Status read(const std::function<Status(Transaction&)>& work) override;
  Engine engine() const override { return Engine::kSqlite; }
  Result<std::unique_ptr<ChangeFeed>> change_feed() override;

  // What the engine reports for PRAGMA synchronous (2 = FULL) and journal_mode.
  Result<int> synchronous_level();
  Result<std::string> journal_mode();
  // Online backup to another file (sqlite3_backup), consistent while serving.
  Status backup_to(const std::filesystem::path& target);

  struct Impl;

 private:
  explicit SqliteDatabase(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace frontdoor::storage
