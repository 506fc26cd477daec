#pragma once
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "storage/migrations.hpp"
#include "storage/sqlite_database.hpp"

namespace frontdoor::storage::testing {

// A fresh, migrated SQLite database in its own temporary folder.
class TempDatabase {
 public:
  TempDatabase() {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("frontdoor-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    auto db = SqliteDatabase::open(SqliteOptions{dir_ / "frontdoor.db", 4, true});
    if (!db.ok()) throw std::runtime_error(db.error().message);
    db_ = std::move(db).value();
    auto ran = migrate(*db_, "2026-01-01T00:00:00.000Z");
    if (!ran.ok()) throw std::runtime_error(ran.error().message);
  }
  ~TempDatabase() {
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  SqliteDatabase& db() { return *db_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<SqliteDatabase> db_;
};

}  // namespace frontdoor::storage::testing
