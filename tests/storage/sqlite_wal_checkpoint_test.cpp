// The SQLite WAL is checkpointed by a thread of its own, never inside a
// writer's commit (the header of storage/sqlite_database.hpp says why).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite_database.hpp"

namespace frontdoor::storage {
namespace {

constexpr int kThresholdPages = 32;

class SqliteWalCheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("frontdoor-wal-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    SqliteOptions options{dir_ / "frontdoor.db", 2, true};
    options.checkpoint_pages = kThresholdPages;
    auto db = SqliteDatabase::open(options);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->write([](Transaction& tx) {
                     return tx.exec("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT)", {});
                   })
                    .ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // About one page a row, `rows` rows in one transaction.
  void write_rows(int rows) {
    const std::string body(3500, 'x');
    ASSERT_TRUE(db_->write([&](Transaction& tx) -> Status {
                     for (int i = 0; i < rows; ++i) {
                       FD_TRY(tx.exec("INSERT INTO blobs (body) VALUES (?)", {body}));
                     }
                     return ok_status();
                   })
                    .ok());
  }

  // Waits for a checkpoint after `runs_before` that found every frame copied.
  WalCheckpointStats wait_for_catch_up(std::uint64_t runs_before) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    WalCheckpointStats stats = db_->wal_checkpoint_stats();
    while (std::chrono::steady_clock::now() < deadline) {
      stats = db_->wal_checkpoint_stats();
      if (stats.runs > runs_before && stats.wal_frames > 0 &&
          stats.copied_frames == stats.wal_frames) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return stats;
  }

  std::uintmax_t wal_bytes() const { return std::filesystem::file_size(dir_ / "frontdoor.db-wal"); }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(SqliteWalCheckpointTest, TheWritersCommitNeverCheckpoints) {
  auto pages = db_->writer_autocheckpoint_pages();
  ASSERT_TRUE(pages.ok()) << pages.error().message;
  EXPECT_EQ(*pages, 0);
}

TEST_F(SqliteWalCheckpointTest, BelowTheThresholdTheCheckpointerIsNotWoken) {
  write_rows(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(db_->wal_checkpoint_stats().runs, 0U);
}

TEST_F(SqliteWalCheckpointTest, TheCheckpointerCopiesTheWalAndItIsReusedNotGrown) {
  // Each round writes twice the threshold, then lets the checkpointer catch
  // up. Were nothing copied, the WAL would grow to hold all 20 rounds.
  std::uint64_t runs = 0;
  std::uintmax_t largest = 0;
  for (int round = 0; round < 20; ++round) {
    write_rows(2 * kThresholdPages);
    const WalCheckpointStats stats = wait_for_catch_up(runs);
    ASSERT_GT(stats.runs, runs) << "round " << round << ": the checkpointer was not woken";
    ASSERT_GT(stats.wal_frames, 0U);
    ASSERT_EQ(stats.copied_frames, stats.wal_frames) << "round " << round;
    EXPECT_EQ(stats.failures, 0U);
    runs = stats.runs;
    largest = std::max(largest, wal_bytes());
  }
  const std::uintmax_t page = 4096;
  EXPECT_LT(largest, 6 * kThresholdPages * page) << "the WAL grew instead of being reused";

  int rows = 0;
  ASSERT_TRUE(db_->read([&](Transaction& tx) -> Status {
                   FD_ASSIGN_OR_RETURN(auto r, tx.query("SELECT COUNT(*) FROM blobs", {}));
                   rows = static_cast<int>(r.front().integer(0));
                   return ok_status();
                 })
                  .ok());
  EXPECT_EQ(rows, 20 * 2 * kThresholdPages);
}

TEST_F(SqliteWalCheckpointTest, TheWalStartsAgainUnderSteadyReadsAndWrites) {
  // Readers always in flight and writes back to back: a checkpoint that only
  // copied (never waiting for a moment without readers of older snapshots)
  // would leave the WAL to grow with every commit.
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (!stop) {
        (void)db_->read([](Transaction& tx) -> Status {
          FD_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT COUNT(*) FROM blobs", {}));
          return rows.empty() ? Status{Error::internal("no count")} : ok_status();
        });
        ++reads;
      }
    });
  }
  for (int round = 0; round < 400; ++round) write_rows(8);
  stop = true;
  for (auto& t : readers) t.join();
  const WalCheckpointStats stats = db_->wal_checkpoint_stats();
  EXPECT_GT(reads.load(), 0);
  EXPECT_GT(stats.restarts, 0U);
  EXPECT_EQ(stats.failures, 0U);
  // 3,200 pages were written; the WAL stays within a few thresholds.
  const std::uintmax_t page = 4096;
  EXPECT_LT(wal_bytes(), 24 * kThresholdPages * page) << "the WAL was never started again";
}

}  // namespace
}  // namespace frontdoor::storage
