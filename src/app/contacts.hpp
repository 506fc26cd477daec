#pragma once
// The front door's main path: record a contact, screen it, decide it, have a
// manager sign it off, and tell the referrer. Every method checks access
// through the one gate (domain/access), writes events, projections and audit
// entries in one transaction, and returns typed errors.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/records.hpp"
#include "app/thresholds.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/access.hpp"
#include "domain/contact.hpp"
#include "domain/rag.hpp"
#include "domain/views.hpp"
#include "domain/working_day_calendar.hpp"
#include "storage/database.hpp"

namespace frontdoor::app {

class People;

using domain::QueueItem;

struct ContactPolicies {
  domain::RagPolicy decision = domain::RagPolicy::default_decision_policy();
  // Partner agencies' checks: due from the request by the contact's rating.
  domain::RagPolicy checks = domain::RagPolicy::default_check_policy();
  // How long after a check is answered or withdrawn its agency still sees it.
  int check_access_days = 7;
  domain::WorkingHours working_hours;
  // Until a contact is rated, its clock runs as if it were this rating.
  domain::RagRating provisional = domain::RagRating::kAmber;
  // Where people reach Frontdoor (config base_url), for the link in a partner
  // user's outcome e-mail; empty: no link.
  std::string base_url;
};

// An e-mail for the outbox, sent after the transaction commits.
struct OutboxMessage {
  std::string recipient;
  std::string subject;
  std::string body;
};

struct ContactView {
  domain::ContactState contact;
  std::string access_basis;
};

// A person record the matching model would link a child to without a
// person looking (People::automatic_link()).
struct AutomaticLink {
  std::int64_t person_id = 0;
  std::string reason;  // the probability and each comparison's weight, for the record
};
using AutomaticLinker = std::function<Result<std::optional<AutomaticLink>>(
    storage::Transaction&, const domain::ChildOnContact&, const domain::ContactDetails&)>;

class Contacts {
 public:
  Contacts(storage::Database& db, const Clock& clock, const domain::WorkingDayCalendar& calendar,
           ContactPolicies policies, Thresholds& thresholds);

  Result<domain::ContactState> record(
      const Principal& who, domain::ContactDetails details,
      const std::optional<std::string>& idempotency_key = std::nullopt);
  // The same, inside a transaction the caller holds (an e-MARF becoming a contact).
  Result<domain::ContactState> record_in(storage::Transaction& tx, const domain::Actor& actor,
                                         domain::ContactDetails details,
                                         const std::optional<std::string>& idempotency_key);
  // The open contacts, nearest decision deadline first: `limit` of them from
  // the `offset`th.
  Result<std::vector<QueueItem>> queue(const Principal& who, std::size_t limit = 200,
                                       std::size_t offset = 0);
  struct QueueCounts {
    std::int64_t open = 0;
    std::int64_t overdue = 0;  // open and past their decision deadline at `now`
  };
  Result<QueueCounts> queue_counts(const Principal& who, Instant now);
  // Reads a contact: checks access and writes one audit entry.
  Result<ContactView> view(const Principal& who, std::int64_t id);
  Result<std::vector<QueueItem>> submitted_by(const Principal& who, std::size_t limit = 200);

  Result<domain::ContactState> link_child(const Principal& who, std::int64_t id,
                                          std::int64_t version, std::size_t child_index,
                                          std::int64_t person_id);
  // Creates a person record from what the contact says about the child, and links it.
  Result<domain::ContactState> link_new_person(const Principal& who, std::int64_t id,
                                               std::int64_t version, std::size_t child_index);
  Result<domain::HistorySummary> history_for(const Principal& who, std::int64_t id);
  Result<domain::ContactState> screen(const Principal& who, std::int64_t id, std::int64_t version,
                                      domain::RagRating rag, const std::string& rationale);
  Result<domain::ContactState> record_decision(const Principal& who, std::int64_t id,
                                               std::int64_t version,
                                               const domain::DecisionCommand& cmd);
  // A MASH team manager records why the decision cannot wait for the
  // checks still outstanding (domain::allow_decision_before_checks_in).
  Result<domain::ContactState> allow_early_decision(const Principal& who, std::int64_t id,
                                                    std::int64_t version,
                                                    const std::string& reason);
  // Links an adult named on the contact to a new person record made from
  // what the contact says, in the caller's transaction (a check about them).
  Result<domain::ContactState> link_new_adult_in(storage::Transaction& tx,
                                                 const domain::Actor& actor, std::int64_t id,
                                                 std::size_t adult_index);
  Result<domain::ContactState> send_back(const Principal& who, std::int64_t id,
                                         std::int64_t version, const std::string& reason);
  Result<domain::ContactState> sign_off(const Principal& who, std::int64_t id, std::int64_t version,
                                        const std::string& case_direction);

  // The decision deadline for a rating, from the moment the contact was received.
  Instant deadline(Instant received_at, domain::RagRating rag) const;
  const domain::WorkingDayCalendar& calendar() const { return calendar_; }
  // Called after a command that created or changed a person record commits.
  void on_people_changed(std::function<void()> callback) { people_changed_ = std::move(callback); }
  void notify_people_changed() const {
    if (people_changed_) people_changed_();
  }
  // Links each child of a new contact whom the matcher names, in the same
  // transaction, as an event of the system's with the matcher's reason.
  void link_automatically(AutomaticLinker matcher) { automatic_linker_ = std::move(matcher); }
  const ContactPolicies& policies() const { return policies_; }

 private:
  std::string outcome_email_body(const domain::ContactState& s) const;
  Result<ContactView> authorize(storage::Transaction& tx, const Principal& who, std::int64_t id,
                                domain::Permission permission);
  using TxDecider = std::function<Result<std::vector<domain::NewEvent>>(
      storage::Transaction&, const domain::ContactState&)>;
  Result<domain::ContactState> command(const Principal& who, std::int64_t id, std::int64_t version,
                                       domain::Permission permission, const TxDecider& decide);
  Result<domain::HistorySummary> history_in(storage::Transaction& tx,
                                            const domain::ContactState& c);

  storage::Database& db_;
  const Clock& clock_;
  const domain::WorkingDayCalendar& calendar_;
  ContactPolicies policies_;
  Thresholds& thresholds_;
  std::function<void()> people_changed_;
  AutomaticLinker automatic_linker_;
};

std::string contact_reference(std::int64_t id);

}  // namespace frontdoor::app
