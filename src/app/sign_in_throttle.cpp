#include "app/sign_in_throttle.hpp"

#include <algorithm>
#include <vector>

namespace frontdoor::app {
namespace {

using storage::Transaction;

// One key's row: the failures within the window (oldest first), the locks so
// far (for the doubling), the end of the current lock and the last failure.
struct Entry {
  std::vector<Instant> failures;
  std::int64_t locks = 0;
  Instant locked_until{};
  Instant last_failure{};
};

std::vector<Instant> parse_failures(std::string_view text) {
  std::vector<Instant> out;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    if (auto t = parse_utc(text.substr(0, space))) out.push_back(*t);
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return out;
}

std::string format_failures(const std::vector<Instant>& failures) {
  std::string out;
  for (const Instant t : failures) {
    if (!out.empty()) out.push_back(' ');
    out.append(format_utc(t));
  }
  return out;
}

}  // namespace

std::string SignInThrottle::user_key(std::string_view username) {
  std::string key = "user:";
  key.append(username);
  return key;
}

std::string SignInThrottle::address_key(std::string_view address) {
  std::string key = "address:";
  key.append(address);
  return key;
}

Status SignInThrottle::check(Transaction& tx, std::string_view key, Instant now) const {
  FD_ASSIGN_OR_RETURN(
      auto row, tx.query_one("SELECT locked_until FROM sign_in_throttle WHERE throttle_key = ?",
                             {std::string(key)}));
  if (!row) return ok_status();
  const Instant locked_until = parse_utc(row->text(0)).value_or(Instant{});
  if (now >= locked_until) return ok_status();
  const auto minutes = std::chrono::ceil<std::chrono::minutes>(locked_until - now).count();
  return Error::rate_limited("There have been too many attempts to sign in. Try again in " +
                             std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes"));
}

Status SignInThrottle::record_failure(Transaction& tx, std::string_view key, Instant now) const {
  FD_ASSIGN_OR_RETURN(auto row,
                      tx.query_one("SELECT failures, locks, locked_until, last_failure_at FROM "
                                   "sign_in_throttle WHERE throttle_key = ?",
                                   {std::string(key)}));
  Entry e;
  if (row) {
    e.failures = parse_failures(row->text(0));
    e.locks = row->integer(1);
    e.locked_until = parse_utc(row->text(2)).value_or(Instant{});
    e.last_failure = parse_utc(row->text(3)).value_or(Instant{});
  }
  if (e.locks > 0 && now - e.last_failure >= policy_.forget_after) e.locks = 0;
  const Instant window_start = now - policy_.window;
  std::erase_if(e.failures, [&](Instant t) { return t <= window_start; });
  e.failures.push_back(now);
  e.last_failure = now;
  if (static_cast<int>(e.failures.size()) >= policy_.max_failures) {
    ++e.locks;
    auto duration = std::chrono::duration_cast<std::chrono::milliseconds>(policy_.first_lock);
    const auto cap = std::chrono::duration_cast<std::chrono::milliseconds>(policy_.max_lock);
    for (std::int64_t i = 1; i < e.locks && duration < cap; ++i) duration *= 2;
    e.locked_until = now + std::min(duration, cap);
    e.failures.clear();
  }
  FD_TRY(
      tx.exec("INSERT INTO sign_in_throttle (throttle_key, failures, locks, locked_until, "
              "last_failure_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (throttle_key) DO UPDATE SET "
              "failures = excluded.failures, locks = excluded.locks, locked_until = "
              "excluded.locked_until, last_failure_at = excluded.last_failure_at",
              {std::string(key), format_failures(e.failures), e.locks, format_utc(e.locked_until),
               format_utc(e.last_failure)}));
  // Entries that no longer matter: no failure within the window, not locked,
  // and either never locked or quiet long enough for the locks to be forgotten.
  return tx.exec(
      "DELETE FROM sign_in_throttle WHERE last_failure_at <= ? AND locked_until <= ? AND "
      "(locks = 0 OR last_failure_at <= ?)",
      {format_utc(window_start), format_utc(now), format_utc(now - policy_.forget_after)});
}

Status SignInThrottle::record_success(Transaction& tx, std::string_view key) {
  return tx.exec("DELETE FROM sign_in_throttle WHERE throttle_key = ?", {std::string(key)});
}

Result<std::int64_t> SignInThrottle::tracked(Transaction& tx) {
  FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT COUNT(*) FROM sign_in_throttle"));
  return row ? row->integer(0) : 0;
}

}  // namespace frontdoor::app
