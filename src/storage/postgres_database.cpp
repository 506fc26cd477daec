#include "storage/postgres_database.hpp"

#include <libpq-fe.h>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <optional>
#include <vector>

namespace frontdoor::storage {
namespace {

// Type OIDs from the server's catalogue (pg_type), stable across versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

constexpr std::string_view kChannel = "frontdoor_events";

constexpr const char* kUnavailableMessage =
    "The service cannot save or read records right now. Try again shortly.";

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Maps a failed statement to the interface's errors. `sqlstate` is empty when
// the server sent none (the connection was lost before it could).
Error error_from_postgres(std::string_view sqlstate, std::string_view detail,
                          std::string_view what) {
  const auto log = [&] {
    std::cerr << "storage: postgres: " << what << ": " << detail
              << (sqlstate.empty() ? std::string() : " (SQLSTATE " + std::string(sqlstate) + ")")
              << "\n";
  };
  if (sqlstate == "23505")
    return Error::conflict("That record already exists or was changed by someone else");
  if (sqlstate.empty() || starts_with(sqlstate, "08") ||  // connection exception
      starts_with(sqlstate, "53") ||                 // insufficient resources: disk full, memory
      starts_with(sqlstate, "57") ||                 // shutdown, crash, cancelled by time-out
      starts_with(sqlstate, "58") ||                 // I/O error
      sqlstate == "40001" || sqlstate == "40P01" ||  // serialisation failure, deadlock
      sqlstate == "55P03" ||                         // lock not available (lock_timeout)
      sqlstate == "55006" ||                         // object in use
      sqlstate == "25P03") {                         // idle-in-transaction time-out
    log();
    return Error::unavailable(kUnavailableMessage);
  }
  if (sqlstate == "22021" || sqlstate == "22P05") {
    // Text that is not valid UTF-8: bad input, not a storage failure.
    log();
    return Error::validation("The text contains characters that cannot be stored");
  }
  log();
  return Error::internal("storage failure");
}

std::string format_double(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  if (ec != std::errc{}) return "NaN";
  std::string s(buf, end);
  if (s == "inf") return "Infinity";
  if (s == "-inf") return "-Infinity";
  if (s == "nan" || s == "-nan") return "NaN";
  return s;
}

void on_notice(void*, const char* message) {
  std::cerr << "storage: postgres: " << message;
}

// One connection; also the Transaction handed to work while it is in use.
class PgConnection final : public Transaction {
 public:
  PgConnection() = default;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection() override {
    if (conn_ != nullptr) PQfinish(conn_);
  }

  Status connect(const PostgresOptions& options) {
    // The URL comes first and is expanded; the keywords after it override it.
    const char* keywords[] = {"dbname", "client_encoding", "application_name", "connect_timeout",
                              nullptr};
    const char* values[] = {options.url.c_str(), "UTF8", "frontdoor", "10", nullptr};
    conn_ = PQconnectdbParams(keywords, values, 1);
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
      std::cerr << "storage: postgres: cannot connect: "
                << (conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory\n");
      return Error::unavailable(kUnavailableMessage);
    }
    PQsetNoticeProcessor(conn_, on_notice, nullptr);
    FD_TRY(command("SET client_min_messages = warning"));
    FD_TRY(command(("SET lock_timeout = " + std::to_string(options.lock_timeout_ms)).c_str()));
    return ok_status();
  }

  // A statement without parameters or rows (BEGIN, COMMIT, SET ...).
  Status command(const char* sql) {
    PgResult r(PQexec(conn_, sql));
    return check(r.get(), sql);
  }

  // COMMIT, which reports a transaction that had already failed as a
  // successful "ROLLBACK": that must not look like a commit.
  Status commit() {
    PgResult r(PQexec(conn_, "COMMIT"));
    FD_TRY(check(r.get(), "COMMIT"));
    if (std::strcmp(PQcmdStatus(r.get()), "COMMIT") != 0) {
      std::cerr << "storage: postgres: the transaction had failed and was rolled back\n";
      return Error::internal("storage failure");
    }
    return ok_status();
  }

  Status exec(std::string_view sql, const Params& params) override {
    FD_ASSIGN_OR_RETURN(PgResult r, run(sql, params));
    const char* tuples = PQcmdTuples(r.get());
    changes_ = (tuples != nullptr && *tuples != '\0') ? std::atoll(tuples) : 0;
    return ok_status();
  }

  Result<std::vector<Row>> query(std::string_view sql, const Params& params) override {
    FD_ASSIGN_OR_RETURN(PgResult r, run(sql, params));
    const int rows = PQntuples(r.get());
    const int columns = PQnfields(r.get());
    std::vector<Oid> types(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) types[static_cast<std::size_t>(c)] = PQftype(r.get(), c);
    std::vector<Row> out;
    out.reserve(static_cast<std::size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(r.get(), i, c) != 0) {
          values.emplace_back(nullptr);
          continue;
        }
        const char* text = PQgetvalue(r.get(), i, c);
        const auto len = static_cast<std::size_t>(PQgetlength(r.get(), i, c));
        switch (types[static_cast<std::size_t>(c)]) {
          case kInt2Oid:
          case kInt4Oid:
          case kInt8Oid:
          case kOidOid: {
            std::int64_t n = 0;
            std::from_chars(text, text + len, n);
            values.emplace_back(n);
            break;
          }
          case kFloat4Oid:
          case kFloat8Oid:
          case kNumericOid:
            values.emplace_back(std::strtod(text, nullptr));
            break;
          case kBoolOid:
            values.emplace_back(std::int64_t{text[0] == 't' ? 1 : 0});
            break;
          default:
            values.emplace_back(std::string(text, len));
        }
      }
      out.emplace_back(std::move(values));
    }
    return out;
  }

  std::int64_t changes() const override { return changes_; }

  PGconn* raw() const { return conn_; }
  bool healthy() const { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }
  bool idle() const { return PQtransactionStatus(conn_) == PQTRANS_IDLE; }
  // The SQLSTATE of the failure that ended the transaction in progress (its
  // first storage failure), or of the last error.
  const std::string& last_sqlstate() const { return failure_ ? failure_sqlstate_ : last_sqlstate_; }
  // The first storage failure (kUnavailable) of the transaction in progress.
  // PostgreSQL has then aborted the transaction, so whatever the work makes
  // of the failure, the transaction has failed with it; its later statements
  // only get "current transaction is aborted" (25P02), an internal error.
  Status failure() const { return failure_ ? Status{*failure_} : ok_status(); }
  void clear_sqlstate() {
    last_sqlstate_.clear();
    failure_.reset();
  }

 private:
  Result<PgResult> run(std::string_view sql, const Params& params) {
    int count = 0;
    const std::string text = postgres_placeholders(sql, count);
    if (count != static_cast<int>(params.size())) {
      std::cerr << "storage: parameter count mismatch for: " << sql << "\n";
      return Error::internal("storage failure");
    }
    std::vector<std::string> owned(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<Oid> types(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) continue;  // NULL, type inferred
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        owned[i] = std::to_string(*n);
        types[i] = kInt8Oid;
      } else if (const auto* d = std::get_if<double>(&v)) {
        owned[i] = format_double(*d);
        types[i] = kFloat8Oid;
      } else {
        owned[i] = std::get<std::string>(v);
        if (owned[i].find('\0') != std::string::npos) {
          return Error::validation("The text contains characters that cannot be stored");
        }
        types[i] = kTextOid;
      }
      values[i] = owned[i].c_str();
    }
    PgResult r(PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), types.data(),
                            values.data(), nullptr, nullptr, 0));
    FD_TRY(check(r.get(), sql));
    return r;
  }

  Status check(const PGresult* r, std::string_view what) {
    const ExecStatusType status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return ok_status();
    const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    last_sqlstate_ = state != nullptr ? state : "";
    // A lost connection has no SQLSTATE from the server; libpq may invent
    // one of class 08 or none.
    if (!healthy() && !starts_with(last_sqlstate_, "08")) last_sqlstate_.clear();
    const char* message = r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
    std::string detail = message != nullptr ? message : "";
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    Error e = error_from_postgres(last_sqlstate_, detail, what);
    if (!failure_ && e.code == ErrorCode::kUnavailable) {
      failure_ = e;
      failure_sqlstate_ = last_sqlstate_;
    }
    return e;
  }

  PGconn* conn_ = nullptr;
  std::int64_t changes_ = 0;
  std::string last_sqlstate_;
  std::optional<Error> failure_;
  std::string failure_sqlstate_;
};

std::int64_t lock_key_for(const std::string& schema) {
  // FNV-1a over a fixed prefix and the schema name: one writer lock per schema.
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : "frontdoor.writer/" + schema) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return static_cast<std::int64_t>(h);
}

bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

}  // namespace

std::string postgres_placeholders(std::string_view sql, int& count) {
  std::string out;
  out.reserve(sql.size() + 16);
  count = 0;
  const std::size_t n = sql.size();
  std::size_t i = 0;
  const auto copy_to = [&](std::size_t end) {
    end = std::min(end, n);
    out.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < n) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      // A doubled quote inside is an escaped quote: scanning on finds the
      // next quote, which the loop treats as the start of a new string.
      const std::size_t close = sql.find(c, i + 1);
      copy_to(close == std::string_view::npos ? n : close + 1);
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      const std::size_t eol = sql.find('\n', i);
      copy_to(eol == std::string_view::npos ? n : eol + 1);
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 0;
      std::size_t j = i;
      while (j < n) {
        if (sql.compare(j, 2, "/*") == 0) {
          ++depth;
          j += 2;
        } else if (sql.compare(j, 2, "*/") == 0) {
          j += 2;
          if (--depth == 0) break;
        } else {
          ++j;
        }
      }
      copy_to(j);
    } else if (c == '$' && (i == 0 || !identifier_char(sql[i - 1])) && i + 1 < n &&
               !(sql[i + 1] >= '0' && sql[i + 1] <= '9')) {
      std::size_t j = i + 1;
      while (j < n && identifier_char(sql[j]) && sql[j] != '$') ++j;
      if (j < n && sql[j] == '$') {
        const std::string_view tag = sql.substr(i, j - i + 1);
        const std::size_t close = sql.find(tag, j + 1);
        copy_to(close == std::string_view::npos ? n : close + tag.size());
      } else {
        out += c;
        ++i;
      }
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++count);
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

bool is_postgres_url(std::string_view url) {
  return starts_with(url, "postgresql://") || starts_with(url, "postgres://") ||
         url.find('=') != std::string_view::npos;
}

std::string PostgresDurability::problem() const {
  std::string out;
  const auto add = [&](const std::string& what) { out += out.empty() ? what : ", " + what; };
  if (fsync != "on") add("fsync is " + fsync);
  if (synchronous_commit == "off") add("synchronous_commit is off");
  if (full_page_writes != "on") add("full_page_writes is " + full_page_writes);
  return out;
}

struct PostgresDatabase::Impl {
  PostgresOptions options;
  std::string schema;
  std::int64_t lock_key = 0;
  // One writer connection per process, as for SQLite, outside the readers'
  // pool: a write started while every reader is busy (even from inside a
  // read) still gets a connection. Guarded by write_mutex.
  mutable std::mutex write_mutex;
  std::unique_ptr<PgConnection> writer;
  mutable std::mutex pool_mutex;
  std::condition_variable pool_cv;
  std::vector<std::unique_ptr<PgConnection>> idle;
  int open = 0;

  Result<std::unique_ptr<PgConnection>> acquire() {
    {
      std::unique_lock lock(pool_mutex);
      pool_cv.wait(lock, [&] { return !idle.empty() || open < std::max(1, options.pool_size); });
      if (!idle.empty()) {
        auto c = std::move(idle.back());
        idle.pop_back();
        return c;
      }
      ++open;
    }
    auto c = std::make_unique<PgConnection>();
    Status connected = c->connect(options);
    if (!connected.ok()) {
      {
        std::lock_guard lock(pool_mutex);
        --open;
      }
      pool_cv.notify_one();
      return std::move(connected).error();
    }
    return c;
  }

  void release(std::unique_ptr<PgConnection> c) {
    {
      std::lock_guard lock(pool_mutex);
      if (c->healthy() && c->idle()) {
        idle.push_back(std::move(c));
      } else {
        --open;
      }
    }
    pool_cv.notify_one();
    c.reset();  // a broken connection closes outside the lock
  }

  // The writer connection with a transaction begun (write_mutex held). A
  // connection the server has closed since its last use is replaced.
  Result<PgConnection*> begin_write() {
    for (int attempt = 0;; ++attempt) {
      if (!writer || !writer->healthy()) {
        auto c = std::make_unique<PgConnection>();
        FD_TRY(c->connect(options));
        writer = std::move(c);
      }
      writer->clear_sqlstate();
      Status begun = writer->command("BEGIN ISOLATION LEVEL READ COMMITTED");
      if (begun.ok()) return writer.get();
      if (writer->healthy() || attempt > 0) return std::move(begun).error();
      writer.reset();
    }
  }

  // A connection with a transaction begun. A pooled connection that the
  // server has closed since (a restart, a time-out) is replaced: nothing has
  // happened on it yet, so trying another is safe.
  Result<std::unique_ptr<PgConnection>> begin(const char* begin_sql) {
    for (int attempt = 0;; ++attempt) {
      FD_ASSIGN_OR_RETURN(auto c, acquire());
      c->clear_sqlstate();
      Status begun = c->command(begin_sql);
      if (begun.ok()) return c;
      const bool dead = !c->healthy();
      release(std::move(c));
      if (!dead || attempt > options.pool_size) return std::move(begun).error();
    }
  }
};

namespace {

// Returns the connection to the pool when the transaction's scope ends.
struct Lease {
  PostgresDatabase::Impl& impl;
  std::unique_ptr<PgConnection> conn;
  Lease(PostgresDatabase::Impl& i, std::unique_ptr<PgConnection> c) : impl(i), conn(std::move(c)) {}
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() {
    if (!conn) return;
    if (conn->healthy() && !conn->idle()) (void)conn->command("ROLLBACK");
    impl.release(std::move(conn));
  }
};

}  // namespace

PostgresDatabase::PostgresDatabase(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PostgresDatabase::~PostgresDatabase() = default;

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::open(const PostgresOptions& options) {
  if (!is_postgres_url(options.url)) {
    return Error::validation("The database setting must be a postgresql:// URL");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  std::unique_ptr<PostgresDatabase> db(new PostgresDatabase(std::move(impl)));
  FD_ASSIGN_OR_RETURN(auto durability, db->durability());
  if (const std::string problem = durability.problem(); !problem.empty()) {
    return Error::unavailable(
        "PostgreSQL is configured so that acknowledged writes could be lost (" + problem +
        "): refusing to start. Set fsync, synchronous_commit and "
        "full_page_writes to on in postgresql.conf.");
  }
  std::optional<std::string> schema;
  FD_TRY(db->read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT current_schema()"));
    if (row) schema = row->opt_text(0);
    return ok_status();
  }));
  if (!schema) {
    return Error::unavailable(
        "PostgreSQL: no schema on the connection's search_path exists; create it first");
  }
  db->impl_->schema = *schema;
  db->impl_->lock_key = lock_key_for(*schema);
  return db;
}

Result<PostgresDurability> PostgresDatabase::durability() {
  PostgresDurability d;
  FD_TRY(read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT current_setting('fsync'), "
                                               "current_setting('synchronous_commit'), "
                                               "current_setting('full_page_writes')"));
    if (!row) return Error::internal("no settings");
    d.fsync = row->text(0);
    d.synchronous_commit = row->text(1);
    d.full_page_writes = row->text(2);
    return ok_status();
  }));
  return d;
}

const std::string& PostgresDatabase::schema() const {
  return impl_->schema;
}

int PostgresDatabase::open_connections() const {
  int writers = 0;
  {
    std::lock_guard lock(impl_->write_mutex);
    writers = impl_->writer && impl_->writer->healthy() ? 1 : 0;
  }
  std::lock_guard lock(impl_->pool_mutex);
  return impl_->open + writers;
}

Status PostgresDatabase::write(const std::function<Status(Transaction&)>& work) {
  std::lock_guard serialised(impl_->write_mutex);
  for (int attempt = 0;; ++attempt) {
    FD_ASSIGN_OR_RETURN(PgConnection * conn, impl_->begin_write());
    // Rolls back whatever is still open when this attempt ends (a failure,
    // or an exception from work).
    struct Ender {
      PgConnection* c;
      ~Ender() {
        if (c->healthy() && !c->idle()) (void)c->command("ROLLBACK");
      }
    } ender{conn};
    // Every writer of this schema, in any process, queues here; the lock is
    // released when the transaction ends.
    conn->clear_events_appended();
    Status result = conn->exec("SELECT pg_advisory_xact_lock(?)", {impl_->lock_key});
    if (result.ok()) result = work(*conn);
    if (Status failed = conn->failure(); !failed.ok()) result = failed;
    // Wakes every process's change feed when (and only if) this commits.
    if (result.ok() && conn->events_appended()) {
      result = conn->exec("SELECT pg_notify(?, current_schema())", {std::string(kChannel)});
    }
    if (result.ok()) result = conn->commit();
    if (result.ok()) return result;
    const std::string state = conn->last_sqlstate();
    if ((state == "40001" || state == "40P01") && attempt < impl_->options.serialization_retries) {
      continue;
    }
    return result;
  }
}

Status PostgresDatabase::read(const std::function<Status(Transaction&)>& work) {
  FD_ASSIGN_OR_RETURN(auto c, impl_->begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  Lease lease(*impl_, std::move(c));
  Status result = work(*lease.conn);
  if (Status failed = lease.conn->failure(); !failed.ok()) result = failed;
  if (result.ok()) {
    Status ended = lease.conn->commit();
    if (!ended.ok()) return ended;
  }
  return result;
}

}  // namespace frontdoor::storage

namespace frontdoor::storage {
namespace {

// LISTEN on a connection of its own; interrupt() writes to a pipe that the
// wait polls beside the connection's socket.
class PostgresChangeFeed final : public ChangeFeed {
 public:
  PostgresChangeFeed(PostgresOptions options, std::string schema)
      : options_(std::move(options)), schema_(std::move(schema)) {}
  PostgresChangeFeed(const PostgresChangeFeed&) = delete;
  PostgresChangeFeed& operator=(const PostgresChangeFeed&) = delete;
  ~PostgresChangeFeed() override {
    for (const int fd : pipe_) {
      if (fd >= 0) ::close(fd);
    }
  }

  Status start() {
    if (::pipe2(pipe_.data(), O_NONBLOCK | O_CLOEXEC) != 0) {
      return Error::unavailable("The change feed cannot be set up");
    }
    return listen();
  }

  Result<bool> wait(std::chrono::milliseconds timeout) override {
    if (!conn_ || !conn_->healthy()) {
      // Notifications sent while the connection was down are lost: report a
      // change so that the follower reads the log.
      FD_TRY(listen());
      return true;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (drain()) return true;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      std::array<pollfd, 2> fds{{{PQsocket(conn_->raw()), POLLIN, 0}, {pipe_[0], POLLIN, 0}}};
      const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
      if (ready < 0 && errno != EINTR) return Error::unavailable("The change feed failed");
      if (ready > 0 && (fds[1].revents & POLLIN) != 0) {
        std::array<char, 64> sink{};
        while (::read(pipe_[0], sink.data(), sink.size()) > 0) {
        }
        return false;
      }
      if (ready > 0 && PQconsumeInput(conn_->raw()) == 0) {
        conn_.reset();
        return true;
      }
    }
  }

  void interrupt() override {
    const char byte = 1;
    (void)!::write(pipe_[1], &byte, 1);
  }

 private:
  Status listen() {
    conn_.reset();
    auto c = std::make_unique<PgConnection>();
    FD_TRY(c->connect(options_));
    FD_TRY(c->command(("LISTEN " + std::string(kChannel)).c_str()));
    conn_ = std::move(c);
    return ok_status();
  }

  // Takes every notification already received; true if one is for this
  // schema (other schemas on the same database share the channel).
  bool drain() {
    bool ours = false;
    while (PGnotify* n = PQnotifies(conn_->raw())) {
      if (n->extra != nullptr && schema_ == n->extra) ours = true;
      PQfreemem(n);
    }
    return ours;
  }

  PostgresOptions options_;
  std::string schema_;
  std::unique_ptr<PgConnection> conn_;
  std::array<int, 2> pipe_{-1, -1};
};

}  // namespace

Result<std::unique_ptr<ChangeFeed>> PostgresDatabase::change_feed() {
  auto feed = std::make_unique<PostgresChangeFeed>(impl_->options, impl_->schema);
  FD_TRY(feed->start());
  return std::unique_ptr<ChangeFeed>(std::move(feed));
}

}  // namespace frontdoor::storage
