#pragma once
// The embedded engine: one SQLite file in WAL mode with synchronous=FULL, so
// an acknowledged (committed) write survives a crash or power loss. One
// writer connection (writers are serialised, as SQLite requires) and a pool
// of reader connections that read consistent snapshots concurrently. The
// WAL is copied back into the database file by a checkpointer thread on a
// connection of its own, never by a committing writer, so a commit never
// waits for a checkpoint's writes and fsync (SQLite's automatic checkpoint
// runs inside the commit that crosses its threshold, and held up every
// writer behind it: the load battery's writes p99 262 ms, maximum 678 ms).
#include <cstdint>
#include <filesystem>
#include <memory>

#include "storage/database.hpp"

namespace frontdoor::storage {

struct SqliteOptions {
  std::filesystem::path path;    // the database file
  int readers = 8;               // reader connections in the pool
  bool synchronous_full = true;  // never turn off outside benchmarks of the baseline
  // WAL pages after a commit at which the checkpointer thread is woken.
  int checkpoint_pages = 1000;
};

// What the checkpointer thread has done since the database was opened.
struct WalCheckpointStats {
  std::uint64_t runs = 0;      // checkpoints attempted
  std::uint64_t failures = 0;  // of them, ones the engine refused (retried later)
  std::uint64_t restarts = 0;  // of them, ones that let the next write start the WAL again
  // As the last successful one found the WAL: its frames, and of them the
  // ones now in the database (all of them once no reader needs the older).
  std::uint64_t wal_frames = 0;
  std::uint64_t copied_frames = 0;
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
  // The writer's own automatic checkpoint threshold (0: it never checkpoints).
  Result<int> writer_autocheckpoint_pages();
  WalCheckpointStats wal_checkpoint_stats() const;

  struct Impl;

 private:
  explicit SqliteDatabase(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace frontdoor::storage
