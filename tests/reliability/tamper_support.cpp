#include "tamper_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace frontdoor::reliability {
namespace {

std::vector<char*> c_argv(std::vector<std::string>& argv) {
  std::vector<char*> out;
  out.reserve(argv.size() + 1);
  for (auto& a : argv) out.push_back(a.data());
  out.push_back(nullptr);
  return out;
}

int exit_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Starts `argv` with standard output and error on `fd`.
pid_t spawn(std::vector<std::string> argv, int fd) {
  auto args = c_argv(argv);
  const pid_t pid = ::fork();
  if (pid < 0) throw BatteryFailure("fork failed");
  if (pid == 0) {
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void must(const Status& s, const std::string& what) {
  if (!s.ok()) throw BatteryFailure(what + ": " + s.error().message);
}

// One value with its type, so that 1, 1.0, '1' and NULL stay apart.
std::string cell(const storage::Value& v) {
  if (std::holds_alternative<std::nullptr_t>(v)) return "null";
  if (const auto* n = std::get_if<std::int64_t>(&v)) return "int:" + std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) {
    std::ostringstream out;
    out.precision(17);
    out << "real:" << *d;
    return out.str();
  }
  const auto& s = std::get<std::string>(v);
  return "text(" + std::to_string(s.size()) + "):" + s;
}

}  // namespace

void require(bool condition, const std::string& what) {
  if (!condition) throw BatteryFailure(what);
}

Ran run(const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw BatteryFailure("pipe failed");
  const pid_t pid = spawn(argv, pipe_fds[1]);
  ::close(pipe_fds[1]);
  Ran ran;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n > 0) {
      ran.output.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ran.status = exit_status(status);
  return ran;
}

Server::Server(const std::filesystem::path& frontdoor, const std::filesystem::path& data) {
  static int started = 0;
  log_ = data.parent_path() / ("serve-" + std::to_string(++started) + ".log");
  const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw BatteryFailure("cannot open " + log_.string());
  pid_ = spawn(
      {frontdoor.string(), "serve", "--port", "0", "--threads", "4", "--data", data.string()}, fd);
  ::close(fd);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  const std::string marker = "listening on http://127.0.0.1:";
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string log = read_file(log_);
    const auto at = log.find(marker);
    if (at != std::string::npos && log.find('\n', at) != std::string::npos) {
      port_ = static_cast<unsigned short>(std::stoi(log.substr(at + marker.size())));
      return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw BatteryFailure("frontdoor serve exited: " + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  stop();
  throw BatteryFailure("frontdoor serve did not listen within 60 s: " + read_file(log_));
}

Server::~Server() {
  if (pid_ > 0) stop();
}

int Server::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  pid_ = -1;
  const std::string log = read_file(log_);
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"}) {
    require(log.find(marker) == std::string::npos,
            "frontdoor serve reported a sanitizer error: " + log_.string());
  }
  return exit_status(status);
}

std::unique_ptr<storage::SqliteDatabase> open_store(const std::filesystem::path& file) {
  require(std::filesystem::exists(file), file.string() + " does not exist");
  auto db = storage::SqliteDatabase::open(storage::SqliteOptions{file, 2, true});
  if (!db.ok()) throw BatteryFailure("cannot open " + file.string() + ": " + db.error().message);
  return std::move(db).value();
}

void copy_store(storage::SqliteDatabase& from, const std::filesystem::path& to) {
  std::filesystem::create_directories(to.parent_path());
  must(from.backup_to(to), "copying a store to " + to.string());
}

Tables read_tables(storage::Database& db) {
  Tables out;
  must(db.read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto names,
                        tx.query("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                 "name NOT LIKE 'sqlite_%' ORDER BY name"));
    for (const auto& name : names) {
      const std::string table = name.text(0);
      FD_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT * FROM \"" + table + "\""));
      auto& lines = out[table];
      for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) line += cell(row[i]) + "\x1f";
        lines.push_back(std::move(line));
      }
      std::sort(lines.begin(), lines.end());
    }
    return ok_status();
  }),
       "reading every table");
  return out;
}

std::int64_t row_count(const Tables& tables) {
  std::int64_t n = 0;
  for (const auto& [name, rows] : tables) n += static_cast<std::int64_t>(rows.size());
  return n;
}

Comparison compare(const Tables& copy, const Tables& store) {
  Comparison c;
  for (const auto& [table, rows] : copy) {
    static const std::vector<std::string> kNone;
    const auto found = store.find(table);
    const auto& theirs = found == store.end() ? kNone : found->second;
    std::vector<std::string> missing;
    std::vector<std::string> extra;
    std::set_difference(rows.begin(), rows.end(), theirs.begin(), theirs.end(),
                        std::back_inserter(missing));
    std::set_difference(theirs.begin(), theirs.end(), rows.begin(), rows.end(),
                        std::back_inserter(extra));
    c.rows_compared += static_cast<std::int64_t>(rows.size());
    c.rows_differing += static_cast<std::int64_t>(missing.size());
    if (!missing.empty() && c.first_difference.empty()) {
      c.first_difference = table + ": " + missing.front().substr(0, 300);
    }
    if (!extra.empty()) {
      c.rows_only_in_store += static_cast<std::int64_t>(extra.size());
      c.only_in_store_by_table[table] = static_cast<std::int64_t>(extra.size());
    }
  }
  for (const auto& [table, rows] : store) {
    if (copy.count(table) == 0 && !rows.empty()) {
      c.rows_only_in_store += static_cast<std::int64_t>(rows.size());
      c.only_in_store_by_table[table] = static_cast<std::int64_t>(rows.size());
    }
  }
  return c;
}

std::int64_t max_of(storage::Database& db, const std::string& table, const std::string& column) {
  std::int64_t out = 0;
  must(db.read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row,
                        tx.query_one("SELECT MAX(" + column + ") FROM \"" + table + "\""));
    if (row && !row->is_null(0)) out = row->integer(0);
    return ok_status();
  }),
       "reading " + table);
  return out;
}

}  // namespace frontdoor::reliability
