#include "storage/sqlite_database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

namespace frontdoor::storage {
namespace {

constexpr const char* kUnavailableMessage =
    "The service cannot save or read records right now. Try again shortly.";

Error error_from_sqlite(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (primary) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
      std::cerr << "storage: " << what << ": " << detail << "\n";
      return Error::unavailable(kUnavailableMessage);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      // Also what SQLite reports when the disk fails a read (EIO). Nothing a
      // request can change: the service is unavailable until the disk reads
      // again or the database is restored (check it with `frontdoor verify`).
      std::cerr << "storage: " << what << ": " << detail
                << " (a failing disk, or a damaged database file: run frontdoor verify)\n";
      return Error::unavailable(kUnavailableMessage);
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Error::conflict("That record already exists or was changed by someone else");
      }
      [[fallthrough]];
    default:
      std::cerr << "storage: " << what << ": " << detail << " (rc " << rc << ")\n";
      return Error::internal("storage failure");
  }
}

// One connection with its cache of prepared statements.
class Connection final : public Transaction {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    if (db_ != nullptr) sqlite3_close_v2(db_);
  }

  Status open(const std::filesystem::path& path, bool read_only) {
    const int flags =
        (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
        SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) return error_from_sqlite(db_, rc, "open");
    sqlite3_busy_timeout(db_, 5000);
    sqlite3_extended_result_codes(db_, 1);
    return ok_status();
  }

  Status exec_script(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string detail = message != nullptr ? message : "";
      sqlite3_free(message);
      std::cerr << "storage: script failed: " << detail << "\n";
      return error_from_sqlite(db_, rc, sql);
    }
    return ok_status();
  }

  Status exec(std::string_view sql, const Params& params) override {
    FD_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, prepare(sql, params));
    int rc = sqlite3_step(stmt);
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return failed(error_from_sqlite(db_, rc, sql));
    changes_ = sqlite3_changes64(db_);
    return ok_status();
  }

  Result<std::vector<Row>> query(std::string_view sql, const Params& params) override {
    FD_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, prepare(sql, params));
    std::vector<Row> rows;
    const int columns = sqlite3_column_count(stmt);
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt, c));
            break;
          case SQLITE_NULL:
            values.emplace_back(nullptr);
            break;
          default: {
            const auto* text = sqlite3_column_text(stmt, c);
            const int len = sqlite3_column_bytes(stmt, c);
            values.emplace_back(
                std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(len)));
          }
        }
      }
      rows.emplace_back(std::move(values));
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return failed(error_from_sqlite(db_, rc, sql));
    return rows;
  }

  std::int64_t changes() const override { return changes_; }
  sqlite3* handle() const { return db_; }

  // Our transaction on this connection: begin(), the work, then commit() or
  // rollback(). Once the storage has failed in it (a full disk, an I/O
  // error), the transaction has failed, whatever the work makes of the
  // failure: later statements are not run and failure() says so. After such
  // errors SQLite may also have rolled the whole transaction back by itself
  // (https://sqlite.org/lang_transaction.html), leaving the connection in
  // autocommit mode, where each later statement would commit on its own or
  // read another snapshot.
  Status begin(const char* sql) {
    FD_TRY(exec_script(sql));
    in_transaction_ = true;
    failure_.reset();
    return ok_status();
  }
  Status failure() const {
    if (failure_) return *failure_;
    if (in_transaction_ && sqlite3_get_autocommit(db_) != 0) {
      return Error::unavailable(kUnavailableMessage);
    }
    return ok_status();
  }
  Status commit() {
    Status committed = exec_script("COMMIT");
    if (!committed.ok()) rollback();
    in_transaction_ = false;
    return committed;
  }
  void rollback() {
    if (sqlite3_get_autocommit(db_) == 0) (void)exec_script("ROLLBACK");
    in_transaction_ = false;
  }

 private:
  Error failed(Error e) {
    if (in_transaction_ && e.code == ErrorCode::kUnavailable && !failure_) failure_ = e;
    return e;
  }

  Result<sqlite3_stmt*> prepare(std::string_view sql, const Params& params) {
    if (Status f = failure(); !f.ok()) {
      std::cerr << "storage: not run, the transaction has failed: " << sql << "\n";
      return f.error();
    }
    sqlite3_stmt* stmt = nullptr;
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) return failed(error_from_sqlite(db_, rc, sql));
      cache_.emplace(std::string(sql), stmt);
    }
    sqlite3_clear_bindings(stmt);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      std::cerr << "storage: parameter count mismatch for: " << sql << "\n";
      return Error::internal("storage failure");
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(v)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(stmt, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return error_from_sqlite(db_, rc, sql);
    }
    return stmt;
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  std::int64_t changes_ = 0;
  bool in_transaction_ = false;
  std::optional<Error> failure_;  // the storage failure that ended this transaction
};

constexpr const char* kWriterPragmas =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA foreign_keys=ON;";

}  // namespace

struct SqliteDatabase::Impl {
  std::filesystem::path path;
  std::mutex write_mutex;
  std::unique_ptr<Connection> writer;
  std::mutex pool_mutex;
  std::condition_variable pool_cv;
  std::vector<std::unique_ptr<Connection>> idle_readers;
  // Commits that appended events, counted for the change feeds.
  std::mutex feed_mutex;
  std::condition_variable feed_cv;
  std::uint64_t event_commits = 0;
  // The WAL checkpointer (see the header): woken by the writer's WAL hook.
  int checkpoint_pages = 1000;
  std::unique_ptr<Connection> checkpoint_conn;
  mutable std::mutex checkpoint_mutex;
  std::condition_variable checkpoint_cv;
  bool checkpoint_wanted = false;
  bool checkpoint_stopping = false;
  WalCheckpointStats checkpoint_stats;
  std::thread checkpointer;

  void stop_checkpointer() {
    {
      std::lock_guard lock(checkpoint_mutex);
      checkpoint_stopping = true;
    }
    checkpoint_cv.notify_all();
    if (checkpointer.joinable()) checkpointer.join();
  }
};

namespace {

// The writer's WAL hook, run after each commit with the WAL's size in pages.
// Setting it turns off SQLite's automatic checkpoint on that connection.
int wake_checkpointer(void* arg, sqlite3* /*db*/, const char* /*schema*/, int pages) {
  auto* impl = static_cast<SqliteDatabase::Impl*>(arg);
  if (pages >= impl->checkpoint_pages) {
    {
      std::lock_guard lock(impl->checkpoint_mutex);
      impl->checkpoint_wanted = true;
    }
    impl->checkpoint_cv.notify_one();
  }
  return SQLITE_OK;
}

// The checkpoint's busy handler: waits up to kRestartWaitMs for readers of
// older snapshots to finish, 1 ms at a time, while the writers wait for it.
constexpr int kRestartWaitMs = 50;
int bounded_busy(void* /*arg*/, int attempts) {
  if (attempts >= kRestartWaitMs) return 0;
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return 1;
}

// Each round has two steps.
// 1. A PASSIVE checkpoint, while writers and readers go on: it copies the
//    bulk of the WAL into the database file and syncs it. It never blocks,
//    but alone it can never let the WAL start again from its beginning: that
//    happens only when a write begins with every frame copied, and under a
//    steady stream of writes there is always a newer commit (the WAL grew to
//    2.8 GB in a minute of the load battery, and reads slowed with it).
// 2. With the writers held (this process's write mutex), a RESTART
//    checkpoint copies the few frames committed during step 1 and waits, at
//    most kRestartWaitMs, for readers of older snapshots to finish, so that
//    the next write starts the WAL again. When a reader outlasts the wait it
//    gives up, and the next round tries again.
// A checkpoint that fails (a full disk, an I/O error) loses nothing, as the
// WAL still holds every commit: it is tried again on the next commit past the
// threshold, at most once a second.
void run_checkpointer(SqliteDatabase::Impl& impl) {
  constexpr std::chrono::seconds kBackOff{1};
  sqlite3* db = impl.checkpoint_conn->handle();
  sqlite3_busy_handler(db, bounded_busy, nullptr);
  std::unique_lock lock(impl.checkpoint_mutex);
  for (;;) {
    impl.checkpoint_cv.wait(lock,
                            [&] { return impl.checkpoint_wanted || impl.checkpoint_stopping; });
    if (impl.checkpoint_stopping) return;
    impl.checkpoint_wanted = false;
    lock.unlock();
    int wal_frames = 0;
    int copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, &wal_frames, &copied);
    bool restarted = false;
    if (rc == SQLITE_BUSY) {
      rc = SQLITE_OK;  // another connection's checkpoint is running
    } else if (rc == SQLITE_OK) {
      std::lock_guard writers(impl.write_mutex);
      rc = sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_RESTART, &wal_frames, &copied);
      restarted = rc == SQLITE_OK;
      // Another process's writer or a long reader outlasted the wait.
      if (rc == SQLITE_BUSY) rc = SQLITE_OK;
    }
    lock.lock();
    ++impl.checkpoint_stats.runs;
    if (rc == SQLITE_OK) {
      if (restarted) ++impl.checkpoint_stats.restarts;
      impl.checkpoint_stats.wal_frames = static_cast<std::uint64_t>(std::max(wal_frames, 0));
      impl.checkpoint_stats.copied_frames = static_cast<std::uint64_t>(std::max(copied, 0));
      continue;
    }
    ++impl.checkpoint_stats.failures;
    std::cerr << "storage: WAL checkpoint: " << sqlite3_errmsg(db) << " (rc " << rc
              << "); the WAL keeps every commit, tried again later\n";
    impl.checkpoint_cv.wait_for(lock, kBackOff, [&] { return impl.checkpoint_stopping; });
  }
}

// This process's commits of events wake the feed at once; another process's
// are seen by polling the last sequence number of the event log on the
// feed's own connection while waiting.
class SqliteChangeFeed final : public ChangeFeed {
 public:
  static constexpr std::chrono::milliseconds kPoll{200};

  SqliteChangeFeed(SqliteDatabase::Impl& impl, std::unique_ptr<Connection> conn)
      : impl_(impl), conn_(std::move(conn)) {
    std::lock_guard lock(impl_.feed_mutex);
    seen_ = impl_.event_commits;
  }

  Status start() {
    FD_ASSIGN_OR_RETURN(last_seq_, read_last_seq());
    return ok_status();
  }

  Result<bool> wait(std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      bool ours = false;
      {
        std::unique_lock lock(impl_.feed_mutex);
        const auto woken = [&] { return interrupted_ || impl_.event_commits != seen_; };
        const auto now = std::chrono::steady_clock::now();
        const auto step = std::min<std::chrono::steady_clock::duration>(
            kPoll, std::max<std::chrono::steady_clock::duration>(deadline - now, {}));
        impl_.feed_cv.wait_for(lock, step, woken);
        if (interrupted_) {
          interrupted_ = false;
          return false;
        }
        ours = impl_.event_commits != seen_;
        seen_ = impl_.event_commits;
      }
      FD_ASSIGN_OR_RETURN(const std::int64_t last, read_last_seq());
      if (last != last_seq_ || ours) {
        last_seq_ = last;
        return true;
      }
      if (std::chrono::steady_clock::now() >= deadline) return false;
    }
  }

  void interrupt() override {
    {
      std::lock_guard lock(impl_.feed_mutex);
      interrupted_ = true;
    }
    impl_.feed_cv.notify_all();
  }

 private:
  Result<std::int64_t> read_last_seq() {
    FD_ASSIGN_OR_RETURN(auto rows, conn_->query("SELECT COALESCE(MAX(seq), 0) FROM events", {}));
    return rows.empty() ? std::int64_t{0} : rows.front().integer(0);
  }

  SqliteDatabase::Impl& impl_;
  std::unique_ptr<Connection> conn_;
  std::int64_t last_seq_ = 0;
  std::uint64_t seen_ = 0;
  bool interrupted_ = false;  // guarded by impl_.feed_mutex
};

}  // namespace

SqliteDatabase::SqliteDatabase(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteDatabase::~SqliteDatabase() {
  impl_->stop_checkpointer();
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const SqliteOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->path = options.path;
  impl->writer = std::make_unique<Connection>();
  FD_TRY(impl->writer->open(options.path, false));
  FD_TRY(impl->writer->exec_script(kWriterPragmas));
  FD_TRY(impl->writer->exec_script(options.synchronous_full ? "PRAGMA synchronous=FULL;"
                                                            : "PRAGMA synchronous=NORMAL;"));
  // Create the file's WAL before readers open it read-only.
  FD_TRY(impl->writer->exec_script("BEGIN IMMEDIATE; COMMIT;"));
  for (int i = 0; i < std::max(1, options.readers); ++i) {
    auto reader = std::make_unique<Connection>();
    FD_TRY(reader->open(options.path, false));
    FD_TRY(reader->exec_script("PRAGMA query_only=ON;"));
    impl->idle_readers.push_back(std::move(reader));
  }
  impl->checkpoint_pages = std::max(1, options.checkpoint_pages);
  impl->checkpoint_conn = std::make_unique<Connection>();
  FD_TRY(impl->checkpoint_conn->open(options.path, false));
  // A connection finds the WAL when it first reads; until then its
  // checkpoints would do nothing.
  FD_TRY(impl->checkpoint_conn->exec_script("SELECT COUNT(*) FROM sqlite_master;"));
  sqlite3_wal_hook(impl->writer->handle(), wake_checkpointer, impl.get());
  impl->checkpointer = std::thread(run_checkpointer, std::ref(*impl));
  return std::unique_ptr<SqliteDatabase>(new SqliteDatabase(std::move(impl)));
}

Status SqliteDatabase::write(const std::function<Status(Transaction&)>& work) {
  std::lock_guard lock(impl_->write_mutex);
  Connection& c = *impl_->writer;
  FD_TRY(c.begin("BEGIN IMMEDIATE"));
  c.clear_events_appended();
  Status result = ok_status();
  try {
    result = work(c);
  } catch (...) {
    c.rollback();
    throw;
  }
  // Whatever the work made of a storage failure, nothing of it is stored.
  if (Status failed = c.failure(); !failed.ok()) result = failed;
  if (!result.ok()) {
    c.rollback();
    return result;
  }
  // A COMMIT that fails (a full disk, a failed fsync) is never acknowledged.
  // SQLite has then rolled back and dropped its cache; the WAL frames it may
  // have written lie beyond the last commit and are overwritten by the next
  // one, so the connection can serve the next write.
  FD_TRY(c.commit());
  if (c.events_appended()) {
    {
      std::lock_guard feed_lock(impl_->feed_mutex);
      ++impl_->event_commits;
    }
    impl_->feed_cv.notify_all();
  }
  return ok_status();
}

Result<std::unique_ptr<ChangeFeed>> SqliteDatabase::change_feed() {
  auto conn = std::make_unique<Connection>();
  FD_TRY(conn->open(impl_->path, false));
  FD_TRY(conn->exec_script("PRAGMA query_only=ON;"));
  auto feed = std::make_unique<SqliteChangeFeed>(*impl_, std::move(conn));
  FD_TRY(feed->start());
  return std::unique_ptr<ChangeFeed>(std::move(feed));
}

Status SqliteDatabase::read(const std::function<Status(Transaction&)>& work) {
  std::unique_ptr<Connection> c;
  {
    std::unique_lock lock(impl_->pool_mutex);
    impl_->pool_cv.wait(lock, [&] { return !impl_->idle_readers.empty(); });
    c = std::move(impl_->idle_readers.back());
    impl_->idle_readers.pop_back();
  }
  struct ReturnToPool {
    Impl* impl;
    std::unique_ptr<Connection>& conn;
    ~ReturnToPool() {
      {
        std::lock_guard lock(impl->pool_mutex);
        impl->idle_readers.push_back(std::move(conn));
      }
      impl->pool_cv.notify_one();
    }
  } guard{impl_.get(), c};
  FD_TRY(c->begin("BEGIN"));
  Status result = ok_status();
  try {
    result = work(*c);
  } catch (...) {
    c->rollback();
    throw;
  }
  if (Status failed = c->failure(); !failed.ok()) result = failed;
  c->rollback();  // a read has nothing to commit
  return result;
}

Result<int> SqliteDatabase::synchronous_level() {
  std::lock_guard lock(impl_->write_mutex);
  FD_ASSIGN_OR_RETURN(auto rows, impl_->writer->query("PRAGMA synchronous", {}));
  if (rows.empty()) return Error::internal("no synchronous pragma");
  return static_cast<int>(rows.front().integer(0));
}

Result<std::string> SqliteDatabase::journal_mode() {
  std::lock_guard lock(impl_->write_mutex);
  FD_ASSIGN_OR_RETURN(auto rows, impl_->writer->query("PRAGMA journal_mode", {}));
  if (rows.empty()) return Error::internal("no journal_mode pragma");
  return rows.front().text(0);
}

Result<int> SqliteDatabase::writer_autocheckpoint_pages() {
  std::lock_guard lock(impl_->write_mutex);
  FD_ASSIGN_OR_RETURN(auto rows, impl_->writer->query("PRAGMA wal_autocheckpoint", {}));
  if (rows.empty()) return Error::internal("no wal_autocheckpoint pragma");
  return static_cast<int>(rows.front().integer(0));
}

WalCheckpointStats SqliteDatabase::wal_checkpoint_stats() const {
  std::lock_guard lock(impl_->checkpoint_mutex);
  return impl_->checkpoint_stats;
}

Status SqliteDatabase::backup_to(const std::filesystem::path& target) {
  std::lock_guard lock(impl_->write_mutex);
  sqlite3* dest = nullptr;
  int rc =
      sqlite3_open_v2(target.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    Error e = error_from_sqlite(dest, rc, "backup open");
    sqlite3_close_v2(dest);
    return e;
  }
  sqlite3_backup* b = sqlite3_backup_init(dest, "main", impl_->writer->handle(), "main");
  if (b == nullptr) {
    Error e = error_from_sqlite(dest, sqlite3_errcode(dest), "backup init");
    sqlite3_close_v2(dest);
    return e;
  }
  rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  Status result =
      rc == SQLITE_DONE ? ok_status() : Status{error_from_sqlite(dest, rc, "backup step")};
  sqlite3_close_v2(dest);
  return result;
}

}  // namespace frontdoor::storage
