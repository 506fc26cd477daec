#pragma once
// The MASH enquiry (issue #3): consent to checks, and partner agencies'
// checks as tracked work. Pure rules, no I/O.
//
// Consent is recorded for each child of a contact (stream
// "enquiry/<contact id>"): sought, given, refused, not sought, withdrawn,
// each by whom and when. Checks may go ahead without consent only with a
// recorded override: the lawful basis, the reason and the manager who
// agreed. Consent never silently blocks a check: a request without consent
// or an override is refused with an error that says what to record.
//
// Each check is one agency's search of its records for named people (stream
// "check/<id>"), due by a time set by the contact's RAG rating under the
// check policy (domain::RagPolicy::default_check_policy(): red 2 hours, amber
// 6, green 24; a council may use working hours). The agency answers for each
// person asked about; a health check may open sub-requests (GP, health
// visitor, school nurse, mental health) tracked to their own answers.
//
// Figures (agency_figures()) are computed from the checks' times on the
// clock the policy used for each: elapsed time for clock hours, working time
// (working hours on working days, England and Wales bank holidays) otherwise.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/event.hpp"
#include "domain/rag.hpp"
#include "domain/working_day_calendar.hpp"

namespace frontdoor::domain {

// ---------------------------------------------------------------------------
// Consent
// ---------------------------------------------------------------------------

enum class ConsentDecision { kSought, kGiven, kRefused, kNotSought, kWithdrawn };
std::string_view to_string(ConsentDecision d);  // "sought", "given", ...
std::string_view label(ConsentDecision d);      // "Sought, no answer yet", "Given", ...
std::optional<ConsentDecision> parse_consent_decision(std::string_view text);

// Why checks may go ahead without consent.
enum class LawfulBasis {
  kRiskOfHarm,         // seeking consent would place the child at risk of significant harm
  kCrimePrevention,    // seeking consent would prejudice the prevention or detection of crime
  kUnreasonableDelay,  // seeking consent would cause unreasonable delay
  kSafeguardingDuty,   // safeguarding children at risk (Data Protection Act 2018, sch. 8 para 4)
};
std::string_view to_string(LawfulBasis b);
std::string_view label(LawfulBasis b);
std::optional<LawfulBasis> parse_lawful_basis(std::string_view text);

struct ConsentOverride {
  LawfulBasis basis = LawfulBasis::kRiskOfHarm;
  std::string reason;
  std::int64_t manager_user_id = 0;  // the MASH manager who agreed
  std::string manager_name;
};

// One child's consent as it stands, and how it came to be.
struct ChildConsent {
  std::size_t child_index = 0;
  ConsentDecision decision = ConsentDecision::kNotSought;
  std::string given_by;  // who answered: "Mother", "the young person (Gillick competent)"
  std::string notes;
  Instant recorded_at{};
  std::optional<ConsentOverride> override;  // checks without consent: why, and who agreed
};

struct EnquiryState {
  std::int64_t contact_id = 0;
  std::int64_t version = 0;
  std::vector<ChildConsent> consent;  // one per child with anything recorded

  const ChildConsent* consent_for(std::size_t child_index) const;
};

namespace enquiry_events {
inline constexpr const char* kConsentRecorded = "ConsentRecorded";
inline constexpr const char* kConsentOverridden = "ConsentOverridden";
}  // namespace enquiry_events

void apply(EnquiryState& state, const RecordedEvent& event);

struct ConsentCommand {
  std::size_t child_index = 0;
  ConsentDecision decision = ConsentDecision::kSought;
  std::string given_by;
  std::string notes;
};
// children: how many children the contact names.
Result<std::vector<NewEvent>> record_consent(const EnquiryState& state, std::size_t children,
                                             const ConsentCommand& cmd);

struct OverrideCommand {
  std::size_t child_index = 0;
  ConsentOverride override;
};
// Only a manager may agree (the caller checks the role); the reason is required.
Result<std::vector<NewEvent>> override_consent(const EnquiryState& state, std::size_t children,
                                               const OverrideCommand& cmd);

// May checks about this child go ahead? Yes with consent given, or with an
// override; otherwise an error naming what to record.
Status checks_may_proceed(const EnquiryState& state, std::size_t child_index);

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

enum class CheckStatus { kRequested, kAnswered, kWithdrawn };
std::string_view to_string(CheckStatus s);

struct PersonAnswer {
  std::int64_t person_id = 0;
  bool known = false;
  std::string summary;    // what is held; required when known
  std::string relevance;  // why it matters to this contact
  std::string risk;       // the agency's view of the risk
  std::string source_system;
  std::string source_reference;
};

// What of the contact the MASH shares with the agency asked: the people asked
// about (names, dates of birth, addresses) always; these only when chosen.
enum class SharedPart { kConcerns, kAddress, kHousehold, kReferrer };
std::string_view to_string(SharedPart p);  // "concerns", "address", "household", "referrer"
std::string_view label(SharedPart p);      // "The concerns", ...
std::optional<SharedPart> parse_shared_part(std::string_view text);
inline constexpr SharedPart kAllSharedParts[] = {SharedPart::kConcerns, SharedPart::kAddress,
                                                 SharedPart::kHousehold, SharedPart::kReferrer};

struct CheckState {
  std::int64_t id = 0;
  std::int64_t version = 0;
  std::int64_t contact_id = 0;
  std::int64_t agency_id = 0;
  std::string agency_name;           // as it was when asked
  std::vector<std::int64_t> people;  // asked about
  std::string question;
  Instant requested_at{};
  Instant due_at{};
  TimeLimit::Unit clock = TimeLimit::kClockHours;  // the policy's clock for this check
  std::optional<std::int64_t> parent_check;        // a health sub-request's check
  std::string service;                             // "GP", "health visitor", ... for a sub-request
  std::vector<SharedPart> shared;                  // what of the contact the agency may see
  CheckStatus status = CheckStatus::kRequested;
  std::vector<PersonAnswer> answers;
  std::optional<Instant> answered_at;
  std::optional<Instant> withdrawn_at;
  std::string withdrawn_reason;

  // Answered or withdrawn: when the check stopped being open.
  std::optional<Instant> finished_at() const { return answered_at ? answered_at : withdrawn_at; }
  bool shares(SharedPart part) const {
    return std::find(shared.begin(), shared.end(), part) != shared.end();
  }

  bool is_open() const { return status == CheckStatus::kRequested; }
  bool overdue(Instant now) const { return is_open() && now > due_at; }
};

namespace check_events {
inline constexpr const char* kRequested = "CheckRequested";
inline constexpr const char* kAnswered = "CheckAnswered";
inline constexpr const char* kWithdrawn = "CheckWithdrawn";
}  // namespace check_events

void apply(CheckState& state, const RecordedEvent& event);

struct CheckRequest {
  std::int64_t contact_id = 0;
  std::int64_t agency_id = 0;
  std::string agency_name;
  std::vector<std::int64_t> people;
  std::string question;
  std::optional<std::int64_t> parent_check;
  std::string service;
  std::vector<SharedPart> shared;
};
// due_at and clock from the check policy for the contact's rating (the caller
// works them out with RagPolicy::deadline and the calendar).
Result<std::vector<NewEvent>> request_check(const CheckRequest& request, Instant now,
                                            Instant due_at, TimeLimit::Unit clock);
// One answer for each person asked about, no one else.
Result<std::vector<NewEvent>> answer_check(const CheckState& state,
                                           std::vector<PersonAnswer> answers);
Result<std::vector<NewEvent>> withdraw_check(const CheckState& state, const std::string& reason);

// ---------------------------------------------------------------------------
// How the partnership is doing
// ---------------------------------------------------------------------------

// The time a check took (or has taken by `now`, if open) on its own clock.
std::chrono::minutes response_time(const CheckState& check, Instant now,
                                   const WorkingDayCalendar& calendar,
                                   const WorkingHours& hours = {});

struct AgencyFigures {
  std::int64_t agency_id = 0;
  int requested = 0;
  int answered = 0;
  int answered_on_time = 0;  // answered at or before the due time
  int overdue_now = 0;       // open and past due at `now`
  // Of answered checks, on each check's own clock; nearest rank (the
  // median of 4 is the 2nd smallest, the 90th percentile of 10 the 9th).
  std::optional<std::chrono::minutes> median;
  std::optional<std::chrono::minutes> p90;
};

// The value at rank ceil(percent/100 * n) of `sorted` (nearest rank; 1 <=
// rank <= n). `sorted` must not be empty.
std::chrono::minutes nearest_rank(const std::vector<std::chrono::minutes>& sorted, int percent);

// One entry per agency, by agency id. Withdrawn checks are left out.
std::vector<AgencyFigures> agency_figures(const std::vector<CheckState>& checks, Instant now,
                                          const WorkingDayCalendar& calendar,
                                          const WorkingHours& hours = {});

// From a contact's receipt to its last check answered, in elapsed time;
// nothing while any check is open or when none was requested.
std::optional<std::chrono::minutes> time_to_all_checks_in(Instant received,
                                                          const std::vector<CheckState>& checks);

}  // namespace frontdoor::domain
