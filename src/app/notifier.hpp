#pragma once
// Delivers the outbox: e-mails written in the same transaction as the event
// that caused them (a signed-off decision), sent after commit, retried with
// back-off, and recorded on the contact as ReferrerNotified once delivered.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/mailer.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace frontdoor::app {

class Notifier {
 public:
  Notifier(storage::Database& db, const Clock& clock, Mailer& mailer);
  ~Notifier();

  // Sends what is due now; returns how many were delivered.
  Result<int> deliver_pending();
  // A background thread that delivers every `interval`, and at once on wake().
  void start(std::chrono::milliseconds interval);
  void wake();
  void stop();

 private:
  storage::Database& db_;
  const Clock& clock_;
  Mailer& mailer_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
};

}  // namespace frontdoor::app
