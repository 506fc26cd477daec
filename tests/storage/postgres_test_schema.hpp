#pragma once
// When FRONTDOOR_TEST_POSTGRES_URL names a PostgreSQL database (see
// scripts/with-postgres.sh), the storage and application tests run against
// it: each test gets a fresh schema of its own, dropped when it ends.
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

#include "storage/postgres_database.hpp"

namespace frontdoor::storage::testing {

// The test server's URL, or nothing when the tests run on SQLite.
inline std::optional<std::string> postgres_test_url() {
  const char* v = std::getenv("FRONTDOOR_TEST_POSTGRES_URL");
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

// `url` with `search_path` set to `schema` (URI or key=value form).
inline std::string url_with_schema(const std::string& url, const std::string& schema) {
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           schema;
  }
  return url + " options='-csearch_path=" + schema + "'";
}

class PostgresTestSchema {
 public:
  explicit PostgresTestSchema(std::string base_url) : base_url_(std::move(base_url)) {
    std::random_device rd;
    name_ = "test_" + std::to_string(rd()) + "_" + std::to_string(rd());
    run("CREATE SCHEMA " + name_);
    url_ = url_with_schema(base_url_, name_);
  }
  ~PostgresTestSchema() {
    try {
      run("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    } catch (const std::exception&) {
      // Leaves a schema behind in a throwaway cluster; nothing to do.
    }
  }
  PostgresTestSchema(const PostgresTestSchema&) = delete;
  PostgresTestSchema& operator=(const PostgresTestSchema&) = delete;

  const std::string& name() const { return name_; }
  // A URL whose connections work in this schema.
  const std::string& url() const { return url_; }
  // Runs one statement on the server in the default schema.
  void run(const std::string& sql) const {
    PostgresOptions options;
    options.url = base_url_;
    options.pool_size = 1;
    auto db = PostgresDatabase::open(options);
    if (!db.ok()) throw std::runtime_error("test PostgreSQL: " + db.error().message);
    auto done = (*db)->write([&](Transaction& tx) { return tx.exec(sql); });
    if (!done.ok()) throw std::runtime_error("test PostgreSQL: " + done.error().message);
  }

 private:
  std::string base_url_;
  std::string name_;
  std::string url_;
};

}  // namespace frontdoor::storage::testing
