#pragma once
// Keeps what this process holds in memory current with the shared event log.
// A thread waits on the store's ChangeFeed (PostgreSQL LISTEN/NOTIFY, or
// SQLite's own commits and data_version) and, on every wake-up, runs each
// subscriber, which reads the log after the last sequence number it applied
// (People::refresh_index). Requests still catch up on their own before they
// search, so the follower shortens how long another process's write takes to
// reach memory; it is never the only path to correctness.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace frontdoor::app {

class Follower {
 public:
  using Subscriber = std::function<Status()>;

  explicit Follower(storage::Database& db);
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;
  ~Follower();

  void subscribe(Subscriber subscriber);
  // Opens the feed and starts the thread.
  Status start();
  void stop();
  // Wake-ups handled so far (for tests and the health page).
  std::uint64_t wakeups() const { return wakeups_.load(); }

 private:
  void run();
  void notify_subscribers();

  storage::Database& db_;
  std::mutex mutex_;  // guards subscribers_ and feed_
  std::vector<Subscriber> subscribers_;
  std::unique_ptr<storage::ChangeFeed> feed_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> wakeups_{0};
  std::thread thread_;
};

}  // namespace frontdoor::app
