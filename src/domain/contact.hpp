#pragma once
// A contact: a concern about one or more children reaching the front door,
// and its journey through screening, decision and manager sign-off. The state
// is the fold of the contact's events; the commands below decide, with no
// I/O, which events a request produces or why it is refused.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/event.hpp"
#include "domain/rag.hpp"
#include "domain/threshold.hpp"

namespace frontdoor::domain {

enum class ContactChannel { kPhone, kEmail, kInPerson, kReferralForm, kApi, kEdt };
enum class ContactStatus { kAwaitingScreening, kAwaitingDecision, kAwaitingSignOff, kCompleted };
enum class Outcome {
  kNoFurtherAction,
  kInformationAndAdvice,
  kUniversalServices,
  kEarlyHelp,
  kReferralToSocialCare,
  kStrategyDiscussion,
};
enum class ConsentStatus { kGiven, kRefused, kNotSought, kNotKnown };
enum class FamilyAware { kYes, kNo, kNotKnown };

std::string_view to_string(ContactChannel);
std::string_view to_string(ContactStatus);
std::string_view to_string(Outcome);
std::string_view to_string(ConsentStatus);
std::string_view to_string(FamilyAware);
std::string_view label(ContactChannel);
std::string_view label(ContactStatus);
std::string_view label(Outcome);
std::string_view label(ConsentStatus);
std::optional<ContactChannel> parse_channel(std::string_view);
std::optional<ContactStatus> parse_contact_status(std::string_view);
std::optional<Outcome> parse_outcome(std::string_view);
std::optional<ConsentStatus> parse_consent(std::string_view);
std::optional<FamilyAware> parse_family_aware(std::string_view);
const std::vector<Outcome>& all_outcomes();

struct ChildOnContact {
  std::string given_name;
  std::string family_name;
  std::optional<std::chrono::sys_days> date_of_birth;
  bool unborn = false;
  std::optional<std::chrono::sys_days> expected_date_of_birth;
  std::string sex;  // CIN gender code: "1" male, "2" female, "0" not known, "9" not specified
  std::optional<std::int64_t> person_id;  // set when linked to a person record
};

struct AdultOnContact {
  std::string given_name;
  std::string family_name;
  std::string relationship;  // to the children: "mother", "father", "partner of mother", ...
  std::optional<std::chrono::sys_days> date_of_birth;
  std::string address;  // when not living with the children
  std::optional<std::int64_t> person_id;
};

struct Referrer {
  std::string name;
  std::string role;
  std::int64_t agency_id = 0;
  std::string agency_name;
  std::string email;
  std::string phone;
};

// What the referrer told us: the content of a contact when it is received.
struct ContactDetails {
  ContactChannel channel = ContactChannel::kPhone;
  std::string source_code;  // CIN census referral source (1A..10)
  Instant received_at;
  Referrer referrer;
  std::vector<ChildOnContact> children;
  std::vector<AdultOnContact> adults;
  std::string address_line;  // the children's address
  std::string postcode;
  std::string concerns;
  std::string child_views;  // the child's own views and lived experience
  FamilyAware family_aware = FamilyAware::kNotKnown;
  ConsentStatus consent = ConsentStatus::kNotKnown;
  std::string consent_notes;
  std::optional<std::int64_t> submitted_by_user_id;  // the partner user, if they submitted it
  std::optional<std::int64_t> referral_form_id;
  std::string partner_reference;  // the partner system's own reference (API)
};

struct HistorySummary {
  bool open_case = false;
  int previous_contacts = 0;
  bool rereferral_within_12_months = false;
};

struct Screening {
  RagRating rag = RagRating::kAmber;
  std::string rationale;
  Instant decision_due_at;
  HistorySummary history;
  std::string screened_by;
  Instant screened_at;
};

struct Decision {
  Outcome outcome = Outcome::kNoFurtherAction;
  std::string framework_id;
  int framework_version = 0;
  int level = 0;
  std::vector<std::string> indicators;
  std::string rationale;
  std::string next_steps;
  std::string proposed_by;
  Instant proposed_at;
  // The partner agencies' answers (check ids) the decision relied on.
  std::vector<std::int64_t> relied_on_checks;
};

// A manager's record that the decision cannot wait for checks still out.
struct EarlyDecision {
  std::vector<std::int64_t> open_checks;  // the checks outstanding when it was agreed
  std::string reason;
  std::string by;
  std::int64_t by_user_id = 0;
  Instant at;
};

struct SendBack {
  std::string reason;
  std::string by;
  Instant at;
};

struct SignOff {
  std::string case_direction;
  std::string by;
  std::int64_t by_user_id = 0;
  Instant at;
};

struct ReferrerNotification {
  std::string channel;  // "in_app" or "email"
  std::string to;
  Instant at;
};

struct ContactState {
  std::int64_t id = 0;
  std::string reference;
  std::int64_t version = 0;
  ContactStatus status = ContactStatus::kAwaitingScreening;
  ContactDetails details;
  std::optional<Screening> screening;
  std::optional<Decision> decision;
  std::vector<SendBack> send_backs;
  std::optional<SignOff> sign_off;
  std::vector<ReferrerNotification> notifications;
  std::optional<Instant> closed_at;
  std::optional<EarlyDecision> early_decision;

  bool is_closed() const { return closed_at.has_value(); }
};

// Event types, in the order a contact usually meets them.
namespace contact_events {
inline constexpr const char* kReceived = "ContactReceived";
inline constexpr const char* kChildLinked = "ChildLinkedToPerson";
inline constexpr const char* kAdultLinked = "AdultLinkedToPerson";
inline constexpr const char* kDecisionBeforeChecksIn = "DecisionAllowedBeforeChecksIn";
inline constexpr const char* kScreened = "ContactScreened";
inline constexpr const char* kDecisionRecorded = "DecisionRecorded";
inline constexpr const char* kDecisionSentBack = "DecisionSentBack";
inline constexpr const char* kDecisionSignedOff = "DecisionSignedOff";
inline constexpr const char* kClosed = "ContactClosed";
inline constexpr const char* kReferrerNotified = "ReferrerNotified";
}  // namespace contact_events

// --- folding ---
void apply(ContactState& state, const RecordedEvent& event);
ContactState fold_contact(std::int64_t id, const std::vector<RecordedEvent>& events);

// --- commands ---
// Checks what a referrer or worker entered; field names match the forms.
Status validate_contact_details(const ContactDetails& details, Instant now);
Result<std::vector<NewEvent>> receive_contact(const ContactDetails& details,
                                              const std::string& reference, Instant now);
Result<std::vector<NewEvent>> link_child(const ContactState& state, std::size_t child_index,
                                         std::int64_t person_id, bool created_new);
// An adult named on the contact, linked to their person record (so that
// agencies can be asked about them).
Result<std::vector<NewEvent>> link_adult(const ContactState& state, std::size_t adult_index,
                                         std::int64_t person_id, bool created_new);

struct ScreenCommand {
  RagRating rag = RagRating::kAmber;
  std::string rationale;
  HistorySummary history;
};
// `decision_due_at` comes from the council's RAG policy on the working-day clock.
Result<std::vector<NewEvent>> screen_contact(const ContactState& state, const ScreenCommand& cmd,
                                             Instant decision_due_at);

struct DecisionCommand {
  std::optional<Outcome> outcome;
  std::optional<int> level;
  std::vector<std::string> indicators;
  std::string rationale;
  std::string next_steps;
  std::vector<std::int64_t> relied_on_checks;  // answered checks the decision relied on
};
// Where the contact's checks stand (domain/enquiry.hpp): a decision waits
// for every open check unless a manager agreed it could not
// (allow_decision_before_checks_in), and relies only on answered ones.
struct ChecksProgress {
  std::vector<std::int64_t> open;
  std::vector<std::int64_t> answered;
};
Result<std::vector<NewEvent>> record_decision(const ContactState& state, const DecisionCommand& cmd,
                                              const ThresholdFramework& framework,
                                              const ChecksProgress& checks = {});
// A manager records why the decision cannot wait for the checks still open.
Result<std::vector<NewEvent>> allow_decision_before_checks_in(const ContactState& state,
                                                              const ChecksProgress& checks,
                                                              const std::string& reason);
Result<std::vector<NewEvent>> send_back_decision(const ContactState& state,
                                                 const std::string& reason);
// Signs off and closes: a contact closes only through a signed-off decision.
Result<std::vector<NewEvent>> sign_off_decision(const ContactState& state,
                                                const std::string& case_direction, Instant now);
// Closing on its own is allowed only when a decision has been signed off.
Result<std::vector<NewEvent>> close_contact(const ContactState& state, Instant now);
Result<std::vector<NewEvent>> record_referrer_notified(const ContactState& state,
                                                       const std::string& channel,
                                                       const std::string& to);

// JSON views, used for the projection and the API.
nlohmann::json to_json(const ContactDetails& d);
Result<ContactDetails> contact_details_from_json(const nlohmann::json& j);
nlohmann::json to_json(const ContactState& s);

// What the referrer may be told about the outcome: the outcome and the next
// steps in plain words, never the rationale, the indicators or other people.
std::string outcome_message_for_referrer(const ContactState& s);

}  // namespace frontdoor::domain

namespace frontdoor::domain {

// An earlier contact about the same child, for the history at screening.
struct PriorContact {
  std::int64_t contact_id = 0;
  Instant received_at;
  std::optional<Outcome> outcome;  // set once signed off
  bool closed = false;
};

// Open case: an earlier contact still open, or accepted for social care
// within the last 12 months (a simple proxy until episodes are modelled).
// Re-referral: an earlier contact accepted as a referral (or strategy
// discussion) within the 12 months before this one was received.
HistorySummary summarise_history(const std::vector<PriorContact>& earlier, Instant received_at);

}  // namespace frontdoor::domain
