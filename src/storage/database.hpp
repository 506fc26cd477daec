#pragma once
// The storage seam. Everything above this layer talks to a Database through
// transactions of SQL written in the common subset of SQLite and PostgreSQL
// (placeholders are written `?`; an engine rewrites them if it needs to).
// Engines: sqlite_database.cpp (embedded default) and postgres_database.cpp
// (production). Rules for the common subset:
// - ids are allocated as COALESCE(MAX(id), 0) + 1 inside the (serialised)
//   write transaction, not AUTOINCREMENT or sequences;
// - booleans are INTEGER 0/1, times are ISO-8601 UTC TEXT (compared as text);
// - upserts use INSERT ... ON CONFLICT (...) DO NOTHING / DO UPDATE SET;
// - a NULL parameter takes its type from its context (a column it is stored
//   in or compared with); where there is none, write CAST(? AS TEXT);
// - ORDER BY on a column that may be NULL says where NULLs go, e.g.
//   CASE WHEN x IS NULL THEN 0 ELSE 1 END, x  (the engines differ).
// - text sorts byte-wise on SQLite: create the PostgreSQL database with
//   LC_COLLATE 'C.UTF-8' for the same order.
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace frontdoor::storage {

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

// Helpers to build parameter lists from optional values.
inline Value opt(const std::optional<std::string>& v) {
  return v ? Value{*v} : Value{nullptr};
}
inline Value opt(const std::optional<std::int64_t>& v) {
  return v ? Value{*v} : Value{nullptr};
}

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  bool is_null(std::size_t i) const {
    return std::holds_alternative<std::nullptr_t>(values_.at(i));
  }
  std::int64_t integer(std::size_t i) const;
  double real(std::size_t i) const;
  std::string text(std::size_t i) const;  // "" when NULL
  std::optional<std::string> opt_text(std::size_t i) const;
  std::optional<std::int64_t> opt_integer(std::size_t i) const;
  const Value& operator[](std::size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

using Params = std::vector<Value>;

// One unit of work. Statements run in the transaction that was opened for it;
// nothing is visible to others until the engine commits it durably.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual Status exec(std::string_view sql, const Params& params = {}) = 0;
  virtual Result<std::vector<Row>> query(std::string_view sql, const Params& params = {}) = 0;
  // Rows changed by the last exec.
  virtual std::int64_t changes() const = 0;
  // The first row, if any.
  Result<std::optional<Row>> query_one(std::string_view sql, const Params& params = {});

  // Set by the event store when this transaction appends events; when it
  // commits, the engine wakes every process's ChangeFeed.
  void mark_events_appended() { events_appended_ = true; }
  bool events_appended() const { return events_appended_; }
  void clear_events_appended() { events_appended_ = false; }

 private:
  bool events_appended_ = false;
};

// Wakes a process when events have been committed, by it or by another
// process on the same store, so that what it keeps in memory (the person
// index, live figures) follows the shared event log without waiting for a
// request. PostgreSQL: LISTEN/NOTIFY on a connection of its own. SQLite: the
// engine's own commits wake it at once; other processes' commits are seen by
// polling the event log's last sequence number. Wake-ups may be spurious: the
// follower reads the log after its last sequence number either way.
class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;
  // true when woken by a change (or when changes may have been missed, e.g.
  // after a reconnection); false when `timeout` passed with none.
  virtual Result<bool> wait(std::chrono::milliseconds timeout) = 0;
  // Makes a wait in progress (or the next one) return at once.
  virtual void interrupt() = 0;
};

enum class Engine { kSqlite, kPostgres };

class Database {
 public:
  virtual ~Database() = default;
  // Runs `work` in one write transaction and commits durably if it returns OK;
  // rolls back otherwise. Writers are serialised. A storage failure (disk
  // full, I/O error) comes back as ErrorCode::kUnavailable.
  virtual Status write(const std::function<Status(Transaction&)>& work) = 0;
  // Runs `work` in a read-only snapshot. Reads run concurrently with writes.
  virtual Status read(const std::function<Status(Transaction&)>& work) = 0;
  virtual Engine engine() const = 0;
  // A feed of commit wake-ups (see ChangeFeed). It must not outlive the
  // database.
  virtual Result<std::unique_ptr<ChangeFeed>> change_feed() = 0;
};

}  // namespace frontdoor::storage
