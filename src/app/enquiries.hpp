#pragma once
// The MASH enquiry (issue #3) as a service: consent to checks for each child
// of a contact, and partner agencies' checks as tracked work. The rules are
// domain/enquiry.hpp; this layer loads and stores them ("enquiry/<contact>"
// and "check/<id>" streams, projected into the checks, check_people and
// consent tables), asks the one access gate (domain::authorize_check), and
// audits every read.
//
// What a partner sees: a check addressed to their agency, while it is open
// and for ContactPolicies::check_access_days after it is answered or
// withdrawn; of the contact, only the people asked about and the parts the
// MASH chose to share (domain::SharedPart). Anything else answers exactly as
// a check that does not exist. Each read of a check is one audit entry with
// subject "check/<id>"; a person's "who viewed" log includes the reads of
// checks about them (People::viewers).
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/contacts.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/actor.hpp"
#include "domain/enquiry.hpp"
#include "storage/database.hpp"

namespace frontdoor::app {

std::string enquiry_stream(std::int64_t contact_id);
std::string check_stream(std::int64_t check_id);
std::string check_reference(std::int64_t check_id);  // "CHK-000012"

// Someone named on the contact whom an agency may be asked about.
struct EnquirySubject {
  enum class Kind { kChild, kAdult };
  Kind kind = Kind::kChild;
  std::size_t index = 0;
  std::optional<std::int64_t> person_id;  // linked person record, if any
  std::string name;
  std::string description;  // "Child, born 3 February 2016", "Adult: mother's partner"
};

// One line of a list of checks (a contact's, an agency's queue, the overdue).
struct CheckLine {
  std::int64_t id = 0;
  std::int64_t contact_id = 0;
  std::string contact_reference;
  std::int64_t agency_id = 0;
  std::string agency_name;
  std::optional<std::int64_t> parent_check;
  std::string service;
  domain::CheckStatus status = domain::CheckStatus::kRequested;
  Instant requested_at{};
  Instant due_at{};
  std::optional<Instant> answered_at;
  int people = 0;
  bool overdue = false;
};

// A person asked about, as the agency needs them to search its records.
struct CheckPerson {
  std::int64_t person_id = 0;
  std::string name;
  std::optional<std::chrono::sys_days> date_of_birth;
  std::string address;
  std::string nhs_number;
  std::string role;  // on the contact: "Child", "Adult (mother)"
};

// A check as a reader may see it: for a partner, only what was shared.
struct CheckView {
  domain::CheckState check;
  std::string reference;
  std::string agency_name;
  std::string contact_reference;
  std::string requested_by;
  std::vector<CheckPerson> people;
  // The shared parts of the contact (empty when not shared).
  std::string concerns;
  std::string address;
  std::vector<std::string> household;  // other people on the contact
  std::string referrer;
  std::vector<CheckLine> sub_requests;
  std::string access_basis;
};

// The enquiry as the MASH sees it on a contact.
struct EnquiryView {
  std::int64_t contact_id = 0;
  domain::EnquiryState consent;
  std::vector<EnquirySubject> subjects;
  std::vector<std::string> child_names;  // by child index
  std::vector<CheckView> checks;         // with every answer, in the order requested
  domain::ChecksProgress progress;
};

struct CheckInput {
  std::int64_t agency_id = 0;
  std::vector<EnquirySubject> people;  // kind and index; a person id is looked up
  std::string question;
  std::vector<domain::SharedPart> shared;
};

struct SubRequestInput {
  std::string service;  // "GP", "Health visitor", "School nurse", "Mental health services"
  std::vector<std::int64_t> people;
  std::string question;
};

struct PartnershipFigures {
  struct Agency {
    std::string name;
    domain::AgencyFigures figures;
  };
  Instant from{};
  Instant to{};
  std::vector<Agency> agencies;
  // Contacts with checks requested in the period: receipt to all checks in.
  struct ContactTime {
    std::int64_t contact_id = 0;
    std::string reference;
    std::optional<std::chrono::minutes> all_checks_in;  // nothing while any is open
    int open_checks = 0;
  };
  std::vector<ContactTime> contacts;
  // Of those with every check in: receipt to the last answer (nearest rank).
  int contacts_all_in = 0;
  std::optional<std::chrono::minutes> all_in_median;
  std::optional<std::chrono::minutes> all_in_p90;
  // Consent for children of contacts with checks in the period.
  int consent_given = 0;
  int consent_refused_or_withdrawn = 0;
  int consent_overridden = 0;
  int consent_pending = 0;  // nothing recorded, or sought or not sought without an override
};

inline const std::vector<std::string>& health_sub_request_services() {
  static const std::vector<std::string> services{"GP", "Health visitor", "School nurse",
                                                 "Mental health services"};
  return services;
}

class Enquiries {
 public:
  Enquiries(storage::Database& db, const Clock& clock, Contacts& contacts);

  // The contact's consent and checks (MASH roles). `audited`: write the read
  // to the audit log (false when the caller has just logged its view of the
  // contact on the same page).
  Result<EnquiryView> enquiry(const Principal& who, std::int64_t contact_id, bool audited);

  Result<domain::EnquiryState> record_consent(const Principal& who, std::int64_t contact_id,
                                              std::int64_t version,
                                              const domain::ConsentCommand& cmd);
  // The signed-in MASH team manager agrees checks without consent.
  Result<domain::EnquiryState> override_consent(const Principal& who, std::int64_t contact_id,
                                                std::int64_t version, std::size_t child_index,
                                                domain::LawfulBasis basis,
                                                const std::string& reason);

  // Asks an agency to check its records. The contact must be screened and
  // open, and every child's consent given or overridden. Adults named on the
  // contact without a person record get one, linked to the contact.
  Result<domain::CheckState> request(const Principal& who, std::int64_t contact_id,
                                     const CheckInput& input);
  // A health practitioner asks a health service (GP, ...) about people on
  // their own open check: tracked as a check of its own.
  Result<domain::CheckState> sub_request(const Principal& who, std::int64_t check_id,
                                         const SubRequestInput& input);
  // `idempotency_key` (a partner system's own reference for its answer): a
  // repeat with the key already stored on this check's stream changes nothing
  // and returns the check as it is now; the key stored on another record is
  // a conflict.
  Result<domain::CheckState> answer(
      const Principal& who, std::int64_t check_id, std::int64_t version,
      std::vector<domain::PersonAnswer> answers,
      const std::optional<std::string>& idempotency_key = std::nullopt);
  // May `who` answer this check? A refusal is logged and answers exactly as
  // a check that does not exist. The API asks before it reads the body, so
  // that a bad body never says more than a refusal would.
  Status may_answer(const Principal& who, std::int64_t check_id);
  Result<domain::CheckState> withdraw(const Principal& who, std::int64_t check_id,
                                      std::int64_t version, const std::string& reason);

  // One check, audited; a partner sees only their agency's, within the period.
  Result<CheckView> view(const Principal& who, std::int64_t check_id);
  // The signed-in partner's agency's checks: open ones by due time, then
  // those answered or withdrawn within the access period, latest first.
  Result<std::vector<CheckLine>> agency_queue(const Principal& who);
  // Open checks past their due time, soonest due first (the MASH queue).
  Result<std::vector<CheckLine>> overdue(const Principal& who, std::size_t limit = 50);
  // Per agency and per contact, for checks requested from `from` to now.
  Result<PartnershipFigures> figures(const Principal& who, Instant from);

 private:
  using ConsentDecider = std::function<Result<std::vector<domain::NewEvent>>(
      const domain::EnquiryState&, std::size_t children)>;
  Result<domain::EnquiryState> consent_command(const Principal& who, std::int64_t contact_id,
                                               std::int64_t version, domain::Permission permission,
                                               const ConsentDecider& decide);
  // A check of its own (stream "check/<id>"), due by the contact's rating
  // under the check policy, from `now`.
  Result<domain::CheckState> new_check(storage::Transaction& tx, const domain::Actor& actor,
                                       const domain::ContactState& contact,
                                       const domain::CheckRequest& req, Instant now);
  Result<CheckView> view_in(storage::Transaction& tx, const domain::CheckState& check,
                            bool partner);

  storage::Database& db_;
  const Clock& clock_;
  Contacts& contacts_;
};

// Where a contact's checks stand, from the projection: for the decision gate.
Result<domain::ChecksProgress> checks_progress(storage::Transaction& tx, std::int64_t contact_id);

// For writing history with past times (the demo council, app/demo.cpp), in
// the caller's transaction: appends `events` (made by the rules in
// domain/enquiry.hpp) to check `state.id` as `actor` at `at`, folds them into
// `state` and projects it into checks and check_people exactly as the service
// does. `state.version` is the version expected (0: a new check, its id from
// next_id(tx, "checks")). No access check and no audit entry: the caller
// vouches for both.
Status append_check_events(storage::Transaction& tx, domain::CheckState& state,
                           const domain::Actor& actor, std::vector<domain::NewEvent> events,
                           Instant at);
// The same for a contact's consent: stream "enquiry/<state.contact_id>",
// projected into the consent table.
Status append_enquiry_events(storage::Transaction& tx, domain::EnquiryState& state,
                             const domain::Actor& actor, std::vector<domain::NewEvent> events,
                             Instant at);

}  // namespace frontdoor::app
