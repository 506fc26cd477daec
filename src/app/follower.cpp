#include "app/follower.hpp"

#include <iostream>

namespace frontdoor::app {
namespace {

// A feed that failed (the database restarting) is opened again after this.
constexpr std::chrono::seconds kRetry{1};
// Subscribers also run this often without a wake-up, in case one was lost.
constexpr std::chrono::seconds kSweep{30};

}  // namespace

Follower::Follower(storage::Database& db) : db_(db) {}

Follower::~Follower() {
  stop();
}

void Follower::subscribe(Subscriber subscriber) {
  std::lock_guard lock(mutex_);
  subscribers_.push_back(std::move(subscriber));
}

Status Follower::start() {
  FD_ASSIGN_OR_RETURN(auto feed, db_.change_feed());
  {
    std::lock_guard lock(mutex_);
    feed_ = std::move(feed);
  }
  thread_ = std::thread([this] { run(); });
  return ok_status();
}

void Follower::stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  {
    std::lock_guard lock(mutex_);
    if (feed_) feed_->interrupt();
  }
  thread_.join();
}

void Follower::run() {
  while (!stopping_) {
    storage::ChangeFeed* feed = nullptr;
    {
      std::lock_guard lock(mutex_);
      feed = feed_.get();
    }
    Result<bool> woken = feed->wait(kSweep);
    if (stopping_) break;
    if (!woken.ok()) {
      // The store is unreachable; the requests report that. Try again soon.
      std::this_thread::sleep_for(kRetry);
      continue;
    }
    if (*woken) ++wakeups_;
    notify_subscribers();
  }
}

void Follower::notify_subscribers() {
  std::vector<Subscriber> subscribers;
  {
    std::lock_guard lock(mutex_);
    subscribers = subscribers_;
  }
  for (const auto& s : subscribers) {
    if (Status st = s(); !st.ok()) {
      std::cerr << "follower: catching up failed: " << st.error().message << "\n";
    }
  }
}

}  // namespace frontdoor::app
