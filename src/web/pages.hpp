#pragma once
// Frontdoor's pages, rendered on the server from read models. Each function
// returns a whole HTML document (web::page). Pages work without JavaScript.
// Form field names are part of the contract with src/app/web_routes.cpp and
// are listed beside each page.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/contact.hpp"
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
Html queue_page(const Chrome& chrome, const std::vector<domain::QueueItem>& items, Instant now,
                const QueuePosition& position = {});

// GET /contacts/new (MASH staff record a phone, e-mail or in-person contact).
// Fields: channel, source_code, received-day/-month/-year, received_time (HH:MM, London),
// referrer_name, referrer_role, referrer_agency_id, referrer_email, referrer_phone,
// child1_given_name, child1_family_name, child1_dob-day/-month/-year, child1_sex (and child2_…,
// child3_…), address_line, postcode, concerns, child_views, family_aware, consent, consent_notes.
struct AgencyOption {
  std::int64_t id = 0;
  std::string name;
};
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
  FormState form;           // the form being corrected, if any
  std::string active_form;  // "screen", "decision", "sign_off", "send_back" when form has errors
};
// Forms on this page (all POST, with csrf_token and version):
//   /contacts/{id}/link: child_index, person_id ("new" to create a record)
//   /contacts/{id}/screen: rag (red|amber|green), rationale
//   /contacts/{id}/decision: outcome, level, indicators (repeated), rationale, next_steps
//   /contacts/{id}/send-back: reason
//   /contacts/{id}/sign-off: case_direction
Html contact_page(const Chrome& chrome, const ContactPageModel& model);

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
