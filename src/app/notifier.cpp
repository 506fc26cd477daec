#include "app/notifier.hpp"

#include <iostream>
#include <vector>

#include "app/records.hpp"
#include "storage/event_store.hpp"

namespace frontdoor::app {

using storage::Transaction;

Notifier::Notifier(storage::Database& db, const Clock& clock, Mailer& mailer)
    : db_(db), clock_(clock), mailer_(mailer) {}

Notifier::~Notifier() {
  stop();
}

Result<int> Notifier::deliver_pending() {
  struct Pending {
    std::int64_t id;
    EmailMessage message;
    std::optional<std::int64_t> contact_id;
    int attempts;
  };
  std::vector<Pending> pending;
  const Instant now = clock_.now();
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto rows,
                        tx.query("SELECT id, recipient, subject, body, contact_id, attempts, "
                                 "created_at FROM outbox WHERE sent_at IS NULL AND attempts < "
                                 "20 AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id "
                                 "LIMIT 50",
                                 {format_utc(now)}));
    for (const auto& r : rows) {
      const int attempts = static_cast<int>(r.integer(5));
      // Back off: a message tried n times waits 2^n seconds (at most an hour) from when it was
      // queued.
      const auto wait = std::chrono::seconds{std::min(3600, 1 << std::min(attempts, 12))};
      const Instant created = parse_utc(r.text(6)).value_or(Instant{});
      if (attempts > 0 && now - created < wait) continue;
      pending.push_back(Pending{r.integer(0), EmailMessage{r.text(1), r.text(2), r.text(3)},
                                r.opt_integer(4), attempts});
    }
    return ok_status();
  }));
  int sent = 0;
  for (const auto& p : pending) {
    // Claim it first: another process delivering from the same database may
    // have read it too. The claim counts as the attempt, and lapses after
    // kClaim if this process dies before recording the outcome.
    constexpr auto kClaim = std::chrono::minutes{5};
    bool claimed = false;
    Status claim = db_.write([&](Transaction& tx) -> Status {
      const Instant at = clock_.now();
      FD_TRY(tx.exec(
          "UPDATE outbox SET attempts = attempts + 1, claimed_until = ? WHERE id = ? AND sent_at "
          "IS NULL AND attempts = ? AND (claimed_until IS NULL OR claimed_until < ?)",
          {format_utc(at + kClaim), p.id, std::int64_t{p.attempts}, format_utc(at)}));
      claimed = tx.changes() == 1;
      return ok_status();
    });
    if (!claim.ok()) return std::move(claim).error();
    if (!claimed) continue;  // another process has it
    Status delivered = mailer_.send(p.message);
    const Instant at = clock_.now();
    Status recorded = db_.write([&](Transaction& tx) -> Status {
      if (!delivered.ok()) {
        return tx.exec("UPDATE outbox SET last_error = ?, claimed_until = NULL WHERE id = ?",
                       {delivered.error().message, p.id});
      }
      FD_TRY(tx.exec(
          "UPDATE outbox SET sent_at = ?, claimed_until = NULL WHERE id = ? AND sent_at IS NULL",
          {format_utc(at), p.id}));
      if (tx.changes() == 0 || !p.contact_id) return ok_status();
      FD_ASSIGN_OR_RETURN(auto contact, load_contact(tx, *p.contact_id));
      FD_TRY(run_contact_command(tx, domain::Actor::system(), *p.contact_id, storage::kAnyVersion,
                                 at, at, [&](const domain::ContactState& s) {
                                   return domain::record_referrer_notified(s, "email",
                                                                           p.message.to);
                                 }));
      (void)contact;
      return ok_status();
    });
    if (!recorded.ok()) {
      std::cerr << "notifier: could not record delivery of outbox " << p.id << ": "
                << recorded.error().message << "\n";
    } else if (delivered.ok()) {
      ++sent;
    }
  }
  return sent;
}

void Notifier::start(std::chrono::milliseconds interval) {
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      auto result = deliver_pending();
      if (!result.ok()) std::cerr << "notifier: " << result.error().message << "\n";
      lock.lock();
      cv_.wait_for(lock, interval, [this] { return stopping_ || woken_; });
      woken_ = false;
    }
  });
}

void Notifier::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Notifier::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace frontdoor::app
