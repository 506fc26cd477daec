#pragma once
// Frontdoor's pages, rendered on the server from read models. Each function
// returns a whole HTML document (web::page). Pages work without JavaScript.
// Form field names are part of the contract with src/app/web_routes.cpp and
// are listed beside each page.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/contact.hpp"
#include "domain/enquiry.hpp"
#include "domain/person.hpp"
#include "domain/threshold.hpp"
#include "domain/views.hpp"
#include "web/html.hpp"
#include "web/layout.hpp"

namespace frontdoor::web {

// What the user typed and what was wrong with it, so a form re-renders with
// nothing lost and GOV.UK error messages by each field and in a summary.
struct FormState {
  std::map<std::string, std::string> values;
  std::vector<frontdoor::FieldError> errors;

  std::string value(const std::string& name) const;
  std::optional<std::string> error(const std::string& field) const;
  bool has_errors() const { return !errors.empty(); }
};

// Everything around a page: the council, the signed-in user and navigation.
struct Chrome {
  std::string council_name;
  std::optional<SignedInUser> user;  // with the CSRF token for the sign-out form
  std::vector<NavItem> navigation;
  std::string csrf_token;                     // for forms on the page (field name "csrf_token")
  std::optional<std::string> success_banner;  // "Decision signed off", shown once
};

// GET /sign-in. Fields: username, password, csrf_token, next.
Html sign_in_page(const Chrome& chrome, const FormState& form, const std::string& next);

// Any error: 400 / 403 / 404 / 409 / 429 / 500 / 503.
Html error_page(const Chrome& chrome, int status, const std::string& title,
                const std::string& message);

// GET /. Links to what the user's role can do.
struct HomeLink {
  std::string href;
  std::string title;
  std::string description;
};
Html home_page(const Chrome& chrome, const std::string& user_name, const std::string& role_label,
               const std::vector<HomeLink>& links);

// ---------------------------------------------------------------------------
// The MASH enquiry (issue #3): the read models pages show of consent and
// partner agencies' checks (filled by src/app from app::Enquiries).
// ---------------------------------------------------------------------------

struct AgencyOption {
  std::int64_t id = 0;
  std::string name;
};

// One line of a list of checks (a contact's, an agency's queue, the overdue).
struct CheckLineModel {
  std::int64_t id = 0;
  std::string reference;  // "CHK-000012"
  std::int64_t contact_id = 0;
  std::string contact_reference;
  std::string agency_name;
  bool sub_request = false;  // a health sub-request (service says which)
  std::string service;
  domain::CheckStatus status = domain::CheckStatus::kRequested;
  Instant requested_at;
  Instant due_at;
  std::optional<Instant> answered_at;
  int people = 0;
  bool overdue = false;
};

// A person a check asks about, as the agency needs them to search.
struct CheckPersonModel {
  std::int64_t person_id = 0;
  std::string name;
  std::optional<std::chrono::sys_days> date_of_birth;
  std::string address;
  std::string nhs_number;
  std::string role;  // on the contact: "Child, born 3 February 2016", "Adult (mother)"
};

// One check as its reader may see it (a partner: only what the MASH shared;
// the shared parts are empty when not shared).
struct CheckModel {
  domain::CheckState check;
  std::string reference;
  std::string agency_name;
  std::string contact_reference;
  std::string parent_reference;  // a sub-request's health check
  std::string requested_by;
  std::vector<CheckPersonModel> people;
  std::string concerns;
  std::string address;
  std::vector<std::string> household;
  std::string referrer;
  std::vector<CheckLineModel> sub_requests;
};

// Someone named on the contact whom an agency may be asked about.
struct EnquirySubjectOption {
  std::string value;  // "child:0", "adult:1" (the form's "people" values)
  std::string name;
  std::string description;
};

// The enquiry on the contact page: consent per child and the checks.
struct EnquiryModel {
  domain::EnquiryState consent;          // its version goes with the consent forms
  std::vector<std::string> child_names;  // by child index
  std::vector<EnquirySubjectOption> subjects;
  std::vector<CheckModel> checks;  // every answer, in the order requested
  domain::ChecksProgress progress;
  std::vector<AgencyOption> agencies;  // who may be asked
  bool can_record_consent = false;
  bool can_override_consent = false;
  bool can_request_check = false;
  bool can_allow_early_decision = false;
};

// GET /queue: the MASH queue ordered by deadline; time remaining from `now`;
// a breach (past its deadline) is unmissable: red tag, "Overdue by …", and a
// count of breaches in a warning above the table.
// Where a page of the queue stands in the whole queue. Without counts
// (open < 0) the overdue warning counts the items shown.
struct QueuePosition {
  int page = 1;
  int pages = 1;
  std::int64_t open = -1;
  std::int64_t overdue = -1;
};
// Open checks past their due time (the overdue_checks) are listed above the
// contacts in a notification banner, with links to their contacts.
Html queue_page(const Chrome& chrome, const std::vector<domain::QueueItem>& items, Instant now,
                const QueuePosition& position = {},
                const std::vector<CheckLineModel>& overdue_checks = {});

// GET /contacts/new (MASH staff record a phone, e-mail or in-person contact).
// Fields: channel, source_code, received-day/-month/-year, received_time (HH:MM, London),
// referrer_name, referrer_role, referrer_agency_id, referrer_email, referrer_phone,
// child1_given_name, child1_family_name, child1_dob-day/-month/-year, child1_sex (and child2_…,
// child3_…), address_line, postcode, concerns, child_views, family_aware, consent, consent_notes.
Html new_contact_page(const Chrome& chrome, const FormState& form,
                      const std::vector<AgencyOption>& agencies);

// GET /contacts/{id}: summary, screening, history, decision and sign-off, and
// the actions the user may take in the contact's current state.
struct ChildCandidates {
  std::size_t child_index = 0;
  std::vector<domain::PersonSummary> candidates;  // best match first, with reasons
};
struct ContactPageModel {
  domain::ContactState contact;
  Instant now;
  Instant provisional_due;  // before screening
  std::optional<domain::HistorySummary> history;
  std::vector<ChildCandidates> candidates;              // for children not yet linked
  std::optional<domain::ThresholdFramework> framework;  // the active one
  bool can_screen = false;
  bool can_decide = false;
  bool can_sign_off = false;
  std::optional<EnquiryModel> enquiry;  // consent and checks (MASH roles)
  FormState form;                       // the form being corrected, if any
  // "screen", "decision", "sign_off", "send_back", and for the enquiry
  // "consent-N", "override-N" (child N from 1), "check", "withdraw-<check id>",
  // "early_decision", when form has errors. An enquiry form's errors name
  // its fields with the same prefix ("consent-1-given_by").
  std::string active_form;
};
// Forms on this page (all POST, with csrf_token and version):
//   /contacts/{id}/link: child_index, person_id ("new" to create a record)
//   /contacts/{id}/screen: rag (red|amber|green), rationale
//   /contacts/{id}/decision: outcome, level, indicators (repeated), rationale, next_steps,
//     relied_on_checks (repeated: ids of answered checks)
//   /contacts/{id}/send-back: reason
//   /contacts/{id}/sign-off: case_direction
// and for the enquiry:
//   /contacts/{id}/consent: child_index, decision (sought|given|refused|not_sought|withdrawn),
//     given_by, notes; version is the enquiry's (EnquiryState::version)
//   /contacts/{id}/consent-override: child_index, basis (domain::LawfulBasis), reason;
//     the enquiry's version
//   /contacts/{id}/checks: agency_id, people (repeated: "child:0", "adult:1"), question,
//     shared (repeated: domain::SharedPart names)
//   /contacts/{id}/early-decision: early_reason; the contact's version
//   /checks/{id}/withdraw: reason, contact_id; the check's version
Html contact_page(const Chrome& chrome, const ContactPageModel& model);

// GET /checks: the signed-in partner's agency's checks, open ones by due time
// (overdue ones tagged red), then those answered or withdrawn lately.
Html agency_checks_page(const Chrome& chrome, const std::string& agency_name,
                        const std::vector<CheckLineModel>& checks, Instant now);

// GET /checks/{id}: one check, the people asked about, what the MASH shared,
// sub-requests and the answer.
struct CheckPageModel {
  CheckModel view;
  Instant now;
  bool mash_reader = false;      // a MASH role: links to the contact
  bool can_answer = false;       // the answer form, while the check is open
  bool can_sub_request = false;  // a health check: ask GP, health visitor, ...
  std::vector<std::string> services;
  FormState form;
  std::string active_form;  // "answer" or "sub_request" when form has errors
};
// Forms (POST, with csrf_token):
//   /checks/{id}/answer: version; for person N (from 1, in the order shown):
//     personN_id, personN_known (yes|no), personN_summary, personN_relevance, personN_risk,
//     personN_source_system, personN_source_reference
//   /checks/{id}/sub-requests: service, people (repeated person ids), question
Html check_page(const Chrome& chrome, const CheckPageModel& model);

// GET /partnership?days=7|28|90: how the partnership is doing, live.
struct PartnershipModel {
  int days = 28;
  Instant from;
  Instant to;
  struct AgencyRow {
    std::string name;
    domain::AgencyFigures figures;
  };
  std::vector<AgencyRow> agencies;
  struct ContactRow {
    std::int64_t contact_id = 0;
    std::string reference;
    std::optional<std::chrono::minutes> all_checks_in;
    int open_checks = 0;
  };
  std::vector<ContactRow> contacts;
  int contacts_all_in = 0;  // of `contacts`, with every check in
  std::optional<std::chrono::minutes> all_in_median;
  std::optional<std::chrono::minutes> all_in_p90;
  int consent_given = 0;
  int consent_refused_or_withdrawn = 0;
  int consent_overridden = 0;
  int consent_pending = 0;
  bool link_contacts = false;  // the reader may open contacts
};
Html partnership_page(const Chrome& chrome, const PartnershipModel& model);

// GET /people/suggestions?given_name=&family_name=&date_of_birth=&postcode=&address=
// An HTML fragment for the contact form: the people already known who may
// be the child being described, best first, each with the match
// probability and the model's explanation. Fetched as the form is filled
// (assets/src/person-suggestions.js); empty when nothing was asked.
Html person_suggestions_fragment(const std::vector<domain::PersonSummary>& people, bool asked);

// GET /people?q=…  (search by name, date of birth, postcode or identifier)
Html people_search_page(const Chrome& chrome, const std::string& query,
                        const std::vector<domain::PersonSummary>& results, bool searched);

// GET /people/{id}: details, household, chronology.
struct PersonPageModel {
  domain::PersonState person;
  std::vector<domain::HouseholdMember> household;
  std::vector<domain::ChronologyEntry> chronology;
  bool can_view_audit = false;  // links to /people/{id}/viewers
  bool can_merge = false;       // merge and unmerge forms
  Instant now;
  FormState form;  // the unmerge form being corrected, if any
};
// Forms: POST /people/{id}/unmerge (reason) on a record merged into another.
Html person_page(const Chrome& chrome, const PersonPageModel& model);

// GET /people/duplicates: pairs of records that may be one person, most
// likely first, each with the model's explanation and a link to compare.
Html duplicates_page(const Chrome& chrome, const std::vector<domain::DuplicatePair>& pairs,
                     const domain::MatchingModelStatus& model);

// GET /people/{id}/merge?with={other}: the two records side by side, the
// model's explanation, and the merge form: POST /people/{id}/merge with
// with, keep (one of the two ids) and reason. Without `with`, a form asking
// for the other record's number.
struct MergePageModel {
  domain::PersonState person;
  std::optional<domain::PersonState> other;
  std::optional<domain::DuplicatePair> comparison;  // the model's view of the two
  FormState form;
};
Html merge_page(const Chrome& chrome, const MergePageModel& model);

// GET /people/{id}/viewers: who viewed this record, and who was refused.
Html viewers_page(const Chrome& chrome, const domain::PersonState& person,
                  const std::vector<domain::AccessRecord>& records);

// GET /referrals: the partner's own referrals (drafts, awaiting approval, sent)
// with the MASH's outcome once signed off. POST /referrals/new starts one.
Html my_referrals_page(const Chrome& chrome, const std::vector<domain::ReferralForm>& drafts,
                       const std::vector<domain::QueueItem>& sent);

// GET /referrals/{id}: the e-MARF. POST /referrals/{id} with
// action=save|submit|add_child|add_adult. Fields: referrer_role, referrer_phone,
// children[N].given_name (as child{N}_given_name etc.: child{N}_given_name, child{N}_family_name,
// child{N}_dob-day/-month/-year, child{N}_unborn (yes), child{N}_edd-day/-month/-year,
// child{N}_sex), adult{N}_given_name, adult{N}_family_name, adult{N}_relationship,
// adult{N}_address, address_line, postcode, concerns, child_views, family_aware (yes|no|not_known),
// consent (given|refused|not_sought|not_known), consent_notes. N counts from 1. The threshold
// framework's levels are shown beside the concerns question.
struct ReferralFormModel {
  domain::ReferralForm form;
  FormState state;  // values as typed (flattened names above)
  int child_slots = 1;
  int adult_slots = 1;
  std::optional<domain::ThresholdFramework> framework;
  bool requires_approval = false;
  bool saved = false;  // show "Draft saved" banner
};
Html referral_form_page(const Chrome& chrome, const ReferralFormModel& model);

// GET /referrals/approvals: a supervisor's list; POST /referrals/{id}/approve,
// POST /referrals/{id}/return (reason).
Html approvals_page(const Chrome& chrome, const std::vector<domain::ReferralForm>& waiting);

// GET /admin/thresholds: the active framework, its versions, and a form to
// publish a new version. Fields: definition (JSON), reason.
struct FrameworkVersionRow {
  int version = 0;
  std::string name;
  Instant published_at;
  bool active = false;
};
Html thresholds_page(const Chrome& chrome, const domain::ThresholdFramework& active,
                     const std::vector<FrameworkVersionRow>& versions, const FormState& form);

// Formatting shared by pages: "2 hours 5 minutes left", "Overdue by 1 day 3 hours".
std::string time_remaining(Instant due, Instant now);

}  // namespace frontdoor::web
