#pragma once
// Instants are UTC. Rendering in Europe/London lives in domain/london_time.
// The clock is injected everywhere so tests can move time.
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace frontdoor {

using Instant = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  }
};

// A clock that tests (and the demo, when asked) set and advance by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start) : ms_(start.time_since_epoch().count()) {}
  Instant now() const override { return Instant{std::chrono::milliseconds{ms_.load()}}; }
  void set(Instant t) { ms_.store(t.time_since_epoch().count()); }
  void advance(std::chrono::milliseconds d) { ms_.fetch_add(d.count()); }

 private:
  std::atomic<long long> ms_;
};

// "2026-11-22T07:40:00.000Z"
std::string format_utc(Instant t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" and "YYYY-MM-DDTHH:MM:SS[.fff]+HH:MM".
std::optional<Instant> parse_utc(std::string_view text);
// Convenience for tests and fixtures: a UTC instant from its parts.
Instant utc(int year, unsigned month, unsigned day, int hour = 0, int minute = 0, int second = 0);
// "YYYY-MM-DD" <-> days.
std::optional<std::chrono::sys_days> parse_date(std::string_view text);
std::string format_date(std::chrono::sys_days d);

}  // namespace frontdoor
