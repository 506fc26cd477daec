#pragma once
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "domain/actor.hpp"
#include "postgres_test_schema.hpp"
#include "storage/migrations.hpp"
#include "storage/postgres_database.hpp"
#include "storage/sqlite_database.hpp"

namespace frontdoor::storage::testing {

// A fresh, migrated database: SQLite in its own temporary folder, or, when
// FRONTDOOR_TEST_POSTGRES_URL is set, a schema of its own on that server.
class TempDatabase {
 public:
  TempDatabase() {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("frontdoor-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    if (auto url = postgres_test_url()) {
      schema_ = std::make_unique<PostgresTestSchema>(*url);
      PostgresOptions options;
      options.url = schema_->url();
      options.pool_size = 4;
      auto db = PostgresDatabase::open(options);
      if (!db.ok()) throw std::runtime_error(db.error().message);
      postgres_ = db->get();
      db_ = std::move(db).value();
    } else {
      auto db = SqliteDatabase::open(SqliteOptions{dir_ / "frontdoor.db", 4, true});
      if (!db.ok()) throw std::runtime_error(db.error().message);
      sqlite_ = db->get();
      db_ = std::move(db).value();
    }
    auto ran = migrate(*db_, "2026-01-01T00:00:00.000Z");
    if (!ran.ok()) throw std::runtime_error(ran.error().message);
  }
  ~TempDatabase() {
    db_.reset();
    schema_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  Database& db() { return *db_; }
  // The engine in use (exactly one is non-null).
  SqliteDatabase* sqlite() { return sqlite_; }
  PostgresDatabase* postgres() { return postgres_; }
  // The PostgreSQL schema, when on PostgreSQL.
  const PostgresTestSchema* schema() const { return schema_.get(); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<PostgresTestSchema> schema_;
  std::unique_ptr<Database> db_;
  SqliteDatabase* sqlite_ = nullptr;
  PostgresDatabase* postgres_ = nullptr;
};

// The MASH social worker the storage tests act as.
inline domain::Actor worker() {
  domain::Actor a;
  a.user_id = 7;
  a.username = "sam";
  a.display_name = "Sam Worker";
  a.role = domain::Role::kMashSocialWorker;
  a.agency_id = 1;
  a.agency_name = "Council";
  return a;
}

}  // namespace frontdoor::storage::testing
