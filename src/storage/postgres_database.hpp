#pragma once
// The production engine: PostgreSQL (15 or later) through libpq, behind the
// same Database interface as SQLite.
//
// - A pool of reader connections and one writer connection per process.
//   read() runs in a REPEATABLE READ READ ONLY transaction (one consistent
//   snapshot); write() runs in a READ COMMITTED transaction that first takes
//   a transaction-scoped advisory lock, so that
//   writers are serialised across every process using the same schema, as the
//   interface promises: the event and audit logs are hash chains with gapless
//   sequence numbers, which need one writer at a time. A serialisation failure
//   or deadlock is retried a bounded number of times.
// - SQL is written with `?` placeholders; they are rewritten to $1, $2, ...
//   outside quoted strings, quoted identifiers and comments.
// - Errors are mapped as for SQLite: a unique violation is kConflict; a lost
//   connection, full disk, I/O error, shutdown or time-out is kUnavailable
//   with a fixed message (details go to the log, never to a client).
// - open() refuses a server that could lose acknowledged writes: fsync,
//   synchronous_commit or full_page_writes off.
//
// The schema is the first one on the connection's search_path, which a URL
// can set with  options=-csearch_path%3Dname  (tests give each test its own).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "storage/database.hpp"

namespace frontdoor::storage {

struct PostgresOptions {
  // A libpq connection URI or key=value string, e.g.
  // postgresql://frontdoor@/frontdoor?host=/run/postgresql
  std::string url;
  int pool_size = 8;              // reader connections kept open at most (plus one writer)
  int serialization_retries = 5;  // retries of a write after 40001/40P01
  int lock_timeout_ms = 15000;    // a writer waiting longer fails with kUnavailable
};

// What the server says about the settings that make a commit durable.
struct PostgresDurability {
  std::string fsync;
  std::string synchronous_commit;
  std::string full_page_writes;
  // Empty when every setting is safe; otherwise why not.
  std::string problem() const;
};

class PostgresDatabase final : public Database {
 public:
  static Result<std::unique_ptr<PostgresDatabase>> open(const PostgresOptions& options);
  ~PostgresDatabase() override;

  Status write(const std::function<Status(Transaction&)>& work) override;
  Status read(const std::function<Status(Transaction&)>& work) override;
  Engine engine() const override { return Engine::kPostgres; }
  // LISTEN/NOTIFY: every write that appends events sends NOTIFY on the
  // channel frontdoor_events with the schema as payload, delivered at commit.
  Result<std::unique_ptr<ChangeFeed>> change_feed() override;

  Result<PostgresDurability> durability();
  // The schema that holds Frontdoor's tables (current_schema()).
  const std::string& schema() const;
  // Connections open now (readers idle or in use, and the writer).
  int open_connections() const;

  struct Impl;

 private:
  explicit PostgresDatabase(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Rewrites `?` placeholders to $1, $2, ... outside '...' strings, "..."
// identifiers, $tag$...$tag$ bodies and comments. Sets `count` to the number
// of placeholders.
std::string postgres_placeholders(std::string_view sql, int& count);

// Whether a URL names PostgreSQL (postgres:// or postgresql://, or a libpq
// key=value string) rather than being empty (SQLite).
bool is_postgres_url(std::string_view url);

}  // namespace frontdoor::storage
