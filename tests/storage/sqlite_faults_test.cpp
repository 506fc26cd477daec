// SQLite under storage faults: a disk that fills, an fsync that fails and a
// read that fails, injected by a VFS that wraps SQLite's own and is made the
// default for the length of each test. What the storage seam promises:
// a failed write is kUnavailable with a message that shows no detail, is
// never acknowledged, leaves nothing behind, and the next write works
// without reopening anything.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <random>

#include "storage/migrations.hpp"
#include "storage/sqlite_database.hpp"

namespace frontdoor::storage {
namespace {

// --- a VFS that fails on demand -----------------------------------------------

struct Faults {
  std::atomic<int> write_rc{SQLITE_OK};  // what every xWrite returns, when not OK
  std::atomic<int> sync_rc{SQLITE_OK};   // what every xSync returns, when not OK
  std::atomic<int> read_rc{SQLITE_OK};   // what every xRead returns, when not OK
  std::atomic<int> injected{0};          // failures returned so far
};
Faults g_faults;
sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;

struct FaultyFile {
  sqlite3_file base;
  sqlite3_file* real;
};

sqlite3_file* real_of(sqlite3_file* f) {
  return reinterpret_cast<FaultyFile*>(f)->real;
}

int injected(std::atomic<int>& rc) {
  const int value = rc.load();
  if (value != SQLITE_OK) ++g_faults.injected;
  return value;
}

int x_close(sqlite3_file* f) {
  return real_of(f)->pMethods->xClose(real_of(f));
}
int x_read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
  if (const int rc = injected(g_faults.read_rc); rc != SQLITE_OK) return rc;
  return real_of(f)->pMethods->xRead(real_of(f), buf, amount, offset);
}
int x_write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
  if (const int rc = injected(g_faults.write_rc); rc != SQLITE_OK) return rc;
  return real_of(f)->pMethods->xWrite(real_of(f), buf, amount, offset);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
  if (const int rc = injected(g_faults.sync_rc); rc != SQLITE_OK) return rc;
  return real_of(f)->pMethods->xSync(real_of(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int x_lock(sqlite3_file* f, int level) {
  return real_of(f)->pMethods->xLock(real_of(f), level);
}
int x_unlock(sqlite3_file* f, int level) {
  return real_of(f)->pMethods->xUnlock(real_of(f), level);
}
int x_check_reserved_lock(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) {
  return real_of(f)->pMethods->xSectorSize(real_of(f));
}
int x_device_characteristics(sqlite3_file* f) {
  return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) {
  real_of(f)->pMethods->xShmBarrier(real_of(f));
}
int x_shm_unmap(sqlite3_file* f, int delete_flag) {
  return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag);
}
int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return real_of(f)->pMethods->xFetch(real_of(f), offset, amount, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  return real_of(f)->pMethods->xUnfetch(real_of(f), offset, page);
}

const sqlite3_io_methods kFaultyMethods = {3,
                                           x_close,
                                           x_read,
                                           x_write,
                                           x_truncate,
                                           x_sync,
                                           x_file_size,
                                           x_lock,
                                           x_unlock,
                                           x_check_reserved_lock,
                                           x_file_control,
                                           x_sector_size,
                                           x_device_characteristics,
                                           x_shm_map,
                                           x_shm_lock,
                                           x_shm_barrier,
                                           x_shm_unmap,
                                           x_fetch,
                                           x_unfetch};

int x_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  auto* faulty = reinterpret_cast<FaultyFile*>(file);
  faulty->real = reinterpret_cast<sqlite3_file*>(faulty + 1);
  const int rc = g_real->xOpen(g_real, name, faulty->real, flags, out_flags);
  faulty->base.pMethods = faulty->real->pMethods != nullptr ? &kFaultyMethods : nullptr;
  return rc;
}

// Makes the faulty VFS SQLite's default while it lives; every fault off.
class FaultyVfs {
 public:
  FaultyVfs() {
    g_real = sqlite3_vfs_find(nullptr);
    g_vfs = *g_real;
    g_vfs.zName = "frontdoor-faulty";
    g_vfs.szOsFile = static_cast<int>(sizeof(FaultyFile)) + g_real->szOsFile;
    g_vfs.xOpen = x_open;
    g_vfs.pNext = nullptr;
    sqlite3_vfs_register(&g_vfs, 1);
    heal();
  }
  ~FaultyVfs() {
    heal();
    sqlite3_vfs_unregister(&g_vfs);
    sqlite3_vfs_register(g_real, 1);
  }
  FaultyVfs(const FaultyVfs&) = delete;
  FaultyVfs& operator=(const FaultyVfs&) = delete;

  static void heal() {
    g_faults.write_rc = SQLITE_OK;
    g_faults.sync_rc = SQLITE_OK;
    g_faults.read_rc = SQLITE_OK;
  }
};

// --- the tests ----------------------------------------------------------------

class SqliteFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("frontdoor-faults-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    db_ = open();
    ASSERT_TRUE(migrate(*db_, "2026-01-01T00:00:00.000Z").ok());
  }
  void TearDown() override {
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::unique_ptr<SqliteDatabase> open() {
    auto db = SqliteDatabase::open(SqliteOptions{dir_ / "frontdoor.db", 2, true});
    if (!db.ok()) throw std::runtime_error(db.error().message);
    return std::move(db).value();
  }

  static Status put(Database& db, const std::string& name) {
    return db.write([&](Transaction& tx) {
      return tx.exec("INSERT INTO settings (name, value) VALUES (?, '1')", {name});
    });
  }

  static std::set<std::string> names(Database& db) {
    std::set<std::string> out;
    const Status read = db.read([&](Transaction& tx) -> Status {
      FD_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT name FROM settings"));
      for (const auto& r : rows) out.insert(r.text(0));
      return ok_status();
    });
    EXPECT_TRUE(read.ok());
    return out;
  }

  static void expect_unavailable(const Status& status) {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kUnavailable) << status.error().message;
    EXPECT_EQ(status.error().message,
              "The service cannot save or read records right now. Try again shortly.");
  }

  FaultyVfs vfs_;
  std::filesystem::path dir_;
  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(SqliteFaults, DiskFullAtCommitIsUnavailableKeepsNothingAndTheNextWriteWorks) {
  ASSERT_TRUE(put(*db_, "before").ok());
  const int injected_before = g_faults.injected;
  g_faults.write_rc = SQLITE_FULL;
  expect_unavailable(put(*db_, "refused"));
  EXPECT_GT(g_faults.injected, injected_before);
  EXPECT_EQ(names(*db_), (std::set<std::string>{"before"}));
  FaultyVfs::heal();
  ASSERT_TRUE(put(*db_, "after").ok());
  db_.reset();
  db_ = open();
  EXPECT_EQ(names(*db_), (std::set<std::string>{"before", "after"}));
}

// After a failed fsync the kernel may already have dropped the pages it could
// not write: the commit must be reported as failed, never as done.
TEST_F(SqliteFaults, FailedFsyncAtCommitIsNeverAcknowledged) {
  const int injected_before = g_faults.injected;
  g_faults.sync_rc = SQLITE_IOERR_FSYNC;
  expect_unavailable(put(*db_, "unsynced"));
  EXPECT_GT(g_faults.injected, injected_before);
  FaultyVfs::heal();
  EXPECT_TRUE(names(*db_).empty());
  ASSERT_TRUE(put(*db_, "after").ok());
  db_.reset();
  db_ = open();
  EXPECT_EQ(names(*db_), (std::set<std::string>{"after"}));
}

// An I/O error in the middle of a transaction makes SQLite roll the whole
// transaction back by itself. Work that carries on after the failed
// statement (as code that treats one missing row as "skip it" does) must not
// then write outside any transaction, where each statement would commit on
// its own: the rest is refused, and the write is kUnavailable, not a
// COMMIT-without-a-transaction internal error.
TEST_F(SqliteFaults, AfterSqliteRollsBackByItselfNothingRunsOutsideTheTransaction) {
  // Pages the writer has not cached: another handle writes them.
  {
    auto other = open();
    ASSERT_TRUE(other
                    ->write([](Transaction& tx) -> Status {
                      for (int i = 0; i < 200; ++i) {
                        FD_TRY(tx.exec("INSERT INTO settings (name, value) VALUES (?, ?)",
                                       {"bulk-" + std::to_string(i), std::string(400, 'x')}));
                      }
                      return ok_status();
                    })
                    .ok());
  }
  bool read_failed = false;
  Status after_rollback = ok_status();
  const Status write = db_->write([&](Transaction& tx) -> Status {
    FD_TRY(tx.exec("INSERT INTO settings (name, value) VALUES ('first', '1')"));
    g_faults.read_rc = SQLITE_IOERR_READ;
    auto rows = tx.query("SELECT SUM(LENGTH(value)) FROM settings WHERE name LIKE 'bulk-%'");
    FaultyVfs::heal();
    read_failed = !rows.ok();
    // Carries on regardless.
    after_rollback = tx.exec("INSERT INTO settings (name, value) VALUES ('second', '1')");
    return ok_status();
  });
  ASSERT_TRUE(read_failed) << "the injected read error did not reach the statement";
  EXPECT_FALSE(after_rollback.ok()) << "a statement ran outside the rolled-back transaction";
  expect_unavailable(write);
  const auto stored = names(*db_);
  EXPECT_EQ(stored.count("first"), 0U);
  EXPECT_EQ(stored.count("second"), 0U);
  ASSERT_TRUE(put(*db_, "after").ok());
  EXPECT_EQ(names(*db_).count("after"), 1U);
}

// A disk that fails a read with EIO is reported by SQLite as a damaged
// database (SQLITE_CORRUPT, "database disk image is malformed"), which does
// not end its transaction. It is still a storage failure (503, not 500), and
// work that swallows it (as a user lookup that reads "not found" into any
// failure does) must not go on to commit: the write fails as a whole.
TEST_F(SqliteFaults, AStorageFailureTheWorkIgnoresStillFailsTheWrite) {
  {
    auto other = open();
    ASSERT_TRUE(other
                    ->write([](Transaction& tx) -> Status {
                      for (int i = 0; i < 200; ++i) {
                        FD_TRY(tx.exec("INSERT INTO settings (name, value) VALUES (?, ?)",
                                       {"bulk-" + std::to_string(i), std::string(400, 'x')}));
                      }
                      return ok_status();
                    })
                    .ok());
  }
  Status lookup = ok_status();
  Status after = ok_status();
  const Status write = db_->write([&](Transaction& tx) -> Status {
    FD_TRY(tx.exec("INSERT INTO settings (name, value) VALUES ('first', '1')"));
    g_faults.read_rc = SQLITE_IOERR_CORRUPTFS;  // what SQLite's own VFS returns for EIO
    auto rows = tx.query("SELECT SUM(LENGTH(value)) FROM settings WHERE name LIKE 'bulk-%'");
    FaultyVfs::heal();
    lookup = rows.ok() ? ok_status() : Status{rows.error()};
    after = tx.exec("INSERT INTO settings (name, value) VALUES ('second', '1')");
    return ok_status();  // "not found": carries on
  });
  ASSERT_FALSE(lookup.ok()) << "the injected read error did not reach the statement";
  EXPECT_EQ(lookup.error().code, ErrorCode::kUnavailable) << lookup.error().message;
  EXPECT_FALSE(after.ok());
  expect_unavailable(write);
  const auto stored = names(*db_);
  EXPECT_EQ(stored.count("first"), 0U);
  EXPECT_EQ(stored.count("second"), 0U);
}

// The same in a read: a failed statement ends SQLite's read transaction, and
// what the work reads after it would come from another snapshot.
TEST_F(SqliteFaults, AReadCarriesOnInNoOtherSnapshot) {
  ASSERT_TRUE(put(*db_, "one").ok());
  EXPECT_EQ(names(*db_).size(), 1U);  // the reader has the schema
  {
    auto other = open();
    ASSERT_TRUE(put(*other, "two").ok());
  }
  Status second = ok_status();
  const Status read = db_->read([&](Transaction& tx) -> Status {
    g_faults.read_rc = SQLITE_IOERR_READ;
    auto first = tx.query("SELECT COUNT(*) FROM settings");
    FaultyVfs::heal();
    EXPECT_FALSE(first.ok()) << "the injected read error did not reach the statement";
    second =
        tx.query("SELECT COUNT(*) FROM settings").ok() ? ok_status() : Status{Error::internal("x")};
    return first.ok() ? ok_status() : Status{first.error()};
  });
  expect_unavailable(read);
  EXPECT_FALSE(second.ok());
  EXPECT_EQ(names(*db_), (std::set<std::string>{"one", "two"}));
}

}  // namespace
}  // namespace frontdoor::storage
