#include "domain/contact.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "core/json.hpp"
#include "domain/codes.hpp"

namespace frontdoor::domain {
namespace {

template <typename E, std::size_t N>
struct EnumNames {
  std::array<std::pair<E, std::string_view>, N> codes;
  std::array<std::pair<E, std::string_view>, N> labels;
  std::string_view code(E e) const {
    for (const auto& [k, v] : codes) {
      if (k == e) return v;
    }
    return "";
  }
  std::string_view label(E e) const {
    for (const auto& [k, v] : labels) {
      if (k == e) return v;
    }
    return "";
  }
  std::optional<E> parse(std::string_view s) const {
    for (const auto& [k, v] : codes) {
      if (v == s) return k;
    }
    return std::nullopt;
  }
};

constexpr EnumNames<ContactChannel, 6> kChannels{
    {{{ContactChannel::kPhone, "phone"},
      {ContactChannel::kEmail, "email"},
      {ContactChannel::kInPerson, "in_person"},
      {ContactChannel::kReferralForm, "referral_form"},
      {ContactChannel::kApi, "api"},
      {ContactChannel::kEdt, "edt"}}},
    {{{ContactChannel::kPhone, "Phone call"},
      {ContactChannel::kEmail, "E-mail"},
      {ContactChannel::kInPerson, "In person"},
      {ContactChannel::kReferralForm, "Online referral form (e-MARF)"},
      {ContactChannel::kApi, "Partner system"},
      {ContactChannel::kEdt, "Emergency duty team"}}}};

constexpr EnumNames<ContactStatus, 4> kStatuses{
    {{{ContactStatus::kAwaitingScreening, "awaiting_screening"},
      {ContactStatus::kAwaitingDecision, "awaiting_decision"},
      {ContactStatus::kAwaitingSignOff, "awaiting_sign_off"},
      {ContactStatus::kCompleted, "completed"}}},
    {{{ContactStatus::kAwaitingScreening, "Awaiting screening"},
      {ContactStatus::kAwaitingDecision, "Awaiting decision"},
      {ContactStatus::kAwaitingSignOff, "Awaiting manager sign-off"},
      {ContactStatus::kCompleted, "Completed"}}}};

constexpr EnumNames<Outcome, 6> kOutcomes{
    {{{Outcome::kNoFurtherAction, "no_further_action"},
      {Outcome::kInformationAndAdvice, "information_and_advice"},
      {Outcome::kUniversalServices, "universal_services"},
      {Outcome::kEarlyHelp, "early_help"},
      {Outcome::kReferralToSocialCare, "referral_to_social_care"},
      {Outcome::kStrategyDiscussion, "strategy_discussion"}}},
    {{{Outcome::kNoFurtherAction, "No further action"},
      {Outcome::kInformationAndAdvice, "Information and advice"},
      {Outcome::kUniversalServices, "Universal services"},
      {Outcome::kEarlyHelp, "Early help"},
      {Outcome::kReferralToSocialCare, "Referral to children's social care for assessment"},
      {Outcome::kStrategyDiscussion, "Strategy discussion"}}}};

constexpr EnumNames<ConsentStatus, 4> kConsents{{{{ConsentStatus::kGiven, "given"},
                                                  {ConsentStatus::kRefused, "refused"},
                                                  {ConsentStatus::kNotSought, "not_sought"},
                                                  {ConsentStatus::kNotKnown, "not_known"}}},
                                                {{{ConsentStatus::kGiven, "Consent given"},
                                                  {ConsentStatus::kRefused, "Consent refused"},
                                                  {ConsentStatus::kNotSought, "Consent not sought"},
                                                  {ConsentStatus::kNotKnown, "Not known"}}}};

constexpr EnumNames<FamilyAware, 3> kFamilyAware{
    {{{FamilyAware::kYes, "yes"}, {FamilyAware::kNo, "no"}, {FamilyAware::kNotKnown, "not_known"}}},
    {{{FamilyAware::kYes, "Yes"},
      {FamilyAware::kNo, "No"},
      {FamilyAware::kNotKnown, "Not known"}}}};

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

Error not_in_state(std::string_view what, const ContactState& s) {
  std::string state(label(s.status));
  std::transform(state.begin(), state.end(), state.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return Error::invalid_transition(std::string(what) + ": this contact is " + state);
}

NewEvent event(const char* type, nlohmann::json payload) {
  NewEvent e;
  e.type = type;
  e.payload = std::move(payload);
  return e;
}

}  // namespace

std::string_view to_string(ContactChannel v) {
  return kChannels.code(v);
}
std::string_view to_string(ContactStatus v) {
  return kStatuses.code(v);
}
std::string_view to_string(Outcome v) {
  return kOutcomes.code(v);
}
std::string_view to_string(ConsentStatus v) {
  return kConsents.code(v);
}
std::string_view to_string(FamilyAware v) {
  return kFamilyAware.code(v);
}
std::string_view label(ContactChannel v) {
  return kChannels.label(v);
}
std::string_view label(ContactStatus v) {
  return kStatuses.label(v);
}
std::string_view label(Outcome v) {
  return kOutcomes.label(v);
}
std::string_view label(ConsentStatus v) {
  return kConsents.label(v);
}
std::optional<ContactChannel> parse_channel(std::string_view s) {
  return kChannels.parse(s);
}
std::optional<ContactStatus> parse_contact_status(std::string_view s) {
  return kStatuses.parse(s);
}
std::optional<Outcome> parse_outcome(std::string_view s) {
  return kOutcomes.parse(s);
}
std::optional<ConsentStatus> parse_consent(std::string_view s) {
  return kConsents.parse(s);
}
std::optional<FamilyAware> parse_family_aware(std::string_view s) {
  return kFamilyAware.parse(s);
}

const std::vector<Outcome>& all_outcomes() {
  static const std::vector<Outcome> all{
      Outcome::kNoFurtherAction, Outcome::kInformationAndAdvice, Outcome::kUniversalServices,
      Outcome::kEarlyHelp,       Outcome::kReferralToSocialCare, Outcome::kStrategyDiscussion};
  return all;
}

// ---------------------------------------------------------------- JSON

nlohmann::json to_json(const ContactDetails& d) {
  nlohmann::json children = nlohmann::json::array();
  for (const auto& c : d.children) {
    children.push_back({{"given_name", c.given_name},
                        {"family_name", c.family_name},
                        {"date_of_birth", c.date_of_birth},
                        {"unborn", c.unborn},
                        {"expected_date_of_birth", c.expected_date_of_birth},
                        {"sex", c.sex},
                        {"person_id", c.person_id}});
  }
  nlohmann::json adults = nlohmann::json::array();
  for (const auto& a : d.adults) {
    adults.push_back({{"given_name", a.given_name},
                      {"family_name", a.family_name},
                      {"relationship", a.relationship},
                      {"date_of_birth", a.date_of_birth},
                      {"address", a.address},
                      {"person_id", a.person_id}});
  }
  return {{"channel", to_string(d.channel)},
          {"source_code", d.source_code},
          {"received_at", d.received_at},
          {"referrer",
           {{"name", d.referrer.name},
            {"role", d.referrer.role},
            {"agency_id", d.referrer.agency_id},
            {"agency_name", d.referrer.agency_name},
            {"email", d.referrer.email},
            {"phone", d.referrer.phone}}},
          {"children", children},
          {"adults", adults},
          {"address_line", d.address_line},
          {"postcode", d.postcode},
          {"concerns", d.concerns},
          {"child_views", d.child_views},
          {"family_aware", to_string(d.family_aware)},
          {"consent", to_string(d.consent)},
          {"consent_notes", d.consent_notes},
          {"submitted_by_user_id", d.submitted_by_user_id},
          {"referral_form_id", d.referral_form_id},
          {"partner_reference", d.partner_reference}};
}

Result<ContactDetails> contact_details_from_json(const nlohmann::json& j) {
  try {
    ContactDetails d;
    d.channel =
        parse_channel(json_or<std::string>(j, "channel", "")).value_or(ContactChannel::kPhone);
    d.source_code = json_or<std::string>(j, "source_code", "");
    d.received_at = j.at("received_at").get<Instant>();
    const auto& r = j.at("referrer");
    d.referrer.name = json_or<std::string>(r, "name", "");
    d.referrer.role = json_or<std::string>(r, "role", "");
    d.referrer.agency_id = json_or<std::int64_t>(r, "agency_id", 0);
    d.referrer.agency_name = json_or<std::string>(r, "agency_name", "");
    d.referrer.email = json_or<std::string>(r, "email", "");
    d.referrer.phone = json_or<std::string>(r, "phone", "");
    for (const auto& c : j.at("children")) {
      ChildOnContact child;
      child.given_name = json_or<std::string>(c, "given_name", "");
      child.family_name = json_or<std::string>(c, "family_name", "");
      child.date_of_birth = json_opt<std::chrono::sys_days>(c, "date_of_birth");
      child.unborn = json_or<bool>(c, "unborn", false);
      child.expected_date_of_birth = json_opt<std::chrono::sys_days>(c, "expected_date_of_birth");
      child.sex = json_or<std::string>(c, "sex", "0");
      child.person_id = json_opt<std::int64_t>(c, "person_id");
      d.children.push_back(std::move(child));
    }
    if (j.contains("adults")) {
      for (const auto& a : j.at("adults")) {
        AdultOnContact adult;
        adult.given_name = json_or<std::string>(a, "given_name", "");
        adult.family_name = json_or<std::string>(a, "family_name", "");
        adult.relationship = json_or<std::string>(a, "relationship", "");
        adult.date_of_birth = json_opt<std::chrono::sys_days>(a, "date_of_birth");
        adult.address = json_or<std::string>(a, "address", "");
        adult.person_id = json_opt<std::int64_t>(a, "person_id");
        d.adults.push_back(std::move(adult));
      }
    }
    d.address_line = json_or<std::string>(j, "address_line", "");
    d.postcode = json_or<std::string>(j, "postcode", "");
    d.concerns = json_or<std::string>(j, "concerns", "");
    d.child_views = json_or<std::string>(j, "child_views", "");
    d.family_aware = parse_family_aware(json_or<std::string>(j, "family_aware", ""))
                         .value_or(FamilyAware::kNotKnown);
    d.consent =
        parse_consent(json_or<std::string>(j, "consent", "")).value_or(ConsentStatus::kNotKnown);
    d.consent_notes = json_or<std::string>(j, "consent_notes", "");
    d.submitted_by_user_id = json_opt<std::int64_t>(j, "submitted_by_user_id");
    d.referral_form_id = json_opt<std::int64_t>(j, "referral_form_id");
    d.partner_reference = json_or<std::string>(j, "partner_reference", "");
    return d;
  } catch (const nlohmann::json::exception&) {
    return Error::validation("The contact could not be read: check its fields and their types");
  }
}

nlohmann::json to_json(const ContactState& s) {
  nlohmann::json j{{"id", s.id},
                   {"reference", s.reference},
                   {"version", s.version},
                   {"status", to_string(s.status)},
                   {"details", to_json(s.details)},
                   {"closed_at", s.closed_at}};
  if (s.screening) {
    j["screening"] = {
        {"rag", to_string(s.screening->rag)},
        {"rationale", s.screening->rationale},
        {"decision_due_at", s.screening->decision_due_at},
        {"open_case", s.screening->history.open_case},
        {"previous_contacts", s.screening->history.previous_contacts},
        {"rereferral_within_12_months", s.screening->history.rereferral_within_12_months},
        {"screened_by", s.screening->screened_by},
        {"screened_at", s.screening->screened_at}};
  }
  if (s.decision) {
    j["decision"] = {{"outcome", to_string(s.decision->outcome)},
                     {"framework_id", s.decision->framework_id},
                     {"framework_version", s.decision->framework_version},
                     {"level", s.decision->level},
                     {"indicators", s.decision->indicators},
                     {"rationale", s.decision->rationale},
                     {"next_steps", s.decision->next_steps},
                     {"proposed_by", s.decision->proposed_by},
                     {"proposed_at", s.decision->proposed_at},
                     {"relied_on_checks", s.decision->relied_on_checks}};
  }
  if (s.early_decision) {
    j["early_decision"] = {{"open_checks", s.early_decision->open_checks},
                           {"reason", s.early_decision->reason},
                           {"by", s.early_decision->by},
                           {"at", s.early_decision->at}};
  }
  nlohmann::json backs = nlohmann::json::array();
  for (const auto& b : s.send_backs)
    backs.push_back({{"reason", b.reason}, {"by", b.by}, {"at", b.at}});
  j["send_backs"] = backs;
  if (s.sign_off) {
    j["sign_off"] = {{"case_direction", s.sign_off->case_direction},
                     {"by", s.sign_off->by},
                     {"at", s.sign_off->at}};
  }
  nlohmann::json notes = nlohmann::json::array();
  for (const auto& n : s.notifications) {
    notes.push_back({{"channel", n.channel}, {"to", n.to}, {"at", n.at}});
  }
  j["notifications"] = notes;
  return j;
}

// ---------------------------------------------------------------- folding

void apply(ContactState& s, const RecordedEvent& e) {
  namespace ev = contact_events;
  const auto& p = e.payload;
  s.version = e.stream_version;
  if (e.type == ev::kReceived) {
    auto details = contact_details_from_json(p.at("details"));
    if (details.ok()) s.details = std::move(details).value();
    s.reference = p.at("reference").get<std::string>();
    s.status = ContactStatus::kAwaitingScreening;
  } else if (e.type == ev::kChildLinked) {
    const auto index = p.at("child_index").get<std::size_t>();
    if (index < s.details.children.size()) {
      s.details.children[index].person_id = p.at("person_id").get<std::int64_t>();
    }
  } else if (e.type == ev::kAdultLinked) {
    const auto index = p.at("adult_index").get<std::size_t>();
    if (index < s.details.adults.size()) {
      s.details.adults[index].person_id = p.at("person_id").get<std::int64_t>();
    }
  } else if (e.type == ev::kDecisionBeforeChecksIn) {
    s.early_decision =
        EarlyDecision{p.at("open_checks").get<std::vector<std::int64_t>>(), e.reason.value_or(""),
                      e.actor.display_name, e.actor.user_id, e.occurred_at};
  } else if (e.type == ev::kScreened) {
    Screening sc;
    sc.rag = parse_rag_rating(p.at("rag").get<std::string>()).value_or(RagRating::kAmber);
    sc.rationale = p.at("rationale").get<std::string>();
    sc.decision_due_at = p.at("decision_due_at").get<Instant>();
    sc.history.open_case = json_or<bool>(p, "open_case", false);
    sc.history.previous_contacts = json_or<int>(p, "previous_contacts", 0);
    sc.history.rereferral_within_12_months = json_or<bool>(p, "rereferral_within_12_months", false);
    sc.screened_by = e.actor.display_name;
    sc.screened_at = e.occurred_at;
    s.screening = sc;
    s.status = ContactStatus::kAwaitingDecision;
  } else if (e.type == ev::kDecisionRecorded) {
    Decision d;
    d.outcome =
        parse_outcome(p.at("outcome").get<std::string>()).value_or(Outcome::kNoFurtherAction);
    d.framework_id = p.at("framework_id").get<std::string>();
    d.framework_version = p.at("framework_version").get<int>();
    d.level = p.at("level").get<int>();
    d.indicators = p.at("indicators").get<std::vector<std::string>>();
    d.rationale = p.at("rationale").get<std::string>();
    d.next_steps = p.at("next_steps").get<std::string>();
    d.proposed_by = e.actor.display_name;
    d.proposed_at = e.occurred_at;
    d.relied_on_checks = json_or<std::vector<std::int64_t>>(p, "relied_on_checks", {});
    s.decision = d;
    s.status = ContactStatus::kAwaitingSignOff;
  } else if (e.type == ev::kDecisionSentBack) {
    s.send_backs.push_back(SendBack{e.reason.value_or(""), e.actor.display_name, e.occurred_at});
    s.status = ContactStatus::kAwaitingDecision;
  } else if (e.type == ev::kDecisionSignedOff) {
    s.sign_off = SignOff{p.at("case_direction").get<std::string>(), e.actor.display_name,
                         e.actor.user_id, e.occurred_at};
  } else if (e.type == ev::kClosed) {
    s.closed_at = e.occurred_at;
    s.status = ContactStatus::kCompleted;
  } else if (e.type == ev::kReferrerNotified) {
    s.notifications.push_back(ReferrerNotification{p.at("channel").get<std::string>(),
                                                   p.at("to").get<std::string>(), e.occurred_at});
  }
}

ContactState fold_contact(std::int64_t id, const std::vector<RecordedEvent>& events) {
  ContactState s;
  s.id = id;
  for (const auto& e : events) apply(s, e);
  return s;
}

// ---------------------------------------------------------------- commands

Status validate_contact_details(const ContactDetails& d, Instant now) {
  std::vector<FieldError> errors;
  auto add = [&](std::string field, std::string message) {
    errors.push_back(FieldError{std::move(field), std::move(message)});
  };
  if (d.received_at > now + std::chrono::minutes{5}) {
    add("received_at", "The time the contact was received must be in the past");
  }
  if (blank(d.referrer.name))
    add("referrer_name", "Enter the name of the person raising the concern");
  if (d.channel != ContactChannel::kApi && blank(d.referrer.email) && blank(d.referrer.phone)) {
    add("referrer_phone",
        "Enter a phone number or e-mail address so the MASH can reach the referrer");
  }
  if (!blank(d.referrer.email) && d.referrer.email.find('@') == std::string::npos) {
    add("referrer_email", "Enter an e-mail address in the correct format, like name@example.org");
  }
  if (d.source_code.empty()) {
    add("source_code", "Select who is raising the concern");
  } else if (!is_valid_referral_source(d.source_code)) {
    add("source_code", "Select a referral source from the CIN census list (1A to 10)");
  }
  if (d.children.empty()) add("children", "Add at least one child");
  for (std::size_t i = 0; i < d.children.size(); ++i) {
    const auto& c = d.children[i];
    const std::string prefix = "children[" + std::to_string(i) + "].";
    const std::string who = d.children.size() > 1 ? "child " + std::to_string(i + 1) : "the child";
    if (!c.unborn && blank(c.given_name) && blank(c.family_name)) {
      add(prefix + "given_name", "Enter the first name or last name of " + who);
    }
    if (c.date_of_birth && *c.date_of_birth > std::chrono::floor<std::chrono::days>(now)) {
      add(prefix + "date_of_birth", "The date of birth of " + who + " must be in the past");
    }
    if (!c.sex.empty() && !is_valid_gender(c.sex)) {
      add(prefix + "sex", "The sex of " + who + " must be a CIN census code: 0, 1, 2 or 9");
    }
    if (c.unborn && !c.expected_date_of_birth) {
      add(prefix + "expected_date_of_birth", "Enter the expected date of birth of the unborn baby");
    }
  }
  for (std::size_t i = 0; i < d.adults.size(); ++i) {
    const auto& a = d.adults[i];
    if (blank(a.given_name) && blank(a.family_name)) {
      add("adults[" + std::to_string(i) + "].given_name",
          "Enter the first name or last name of adult " + std::to_string(i + 1));
    }
  }
  if (blank(d.concerns)) add("concerns", "Describe what you are worried about");
  if (!errors.empty()) {
    std::string message = errors.front().message;
    return Error::validation(std::move(message), std::move(errors));
  }
  return ok_status();
}

Result<std::vector<NewEvent>> receive_contact(const ContactDetails& details,
                                              const std::string& reference, Instant now) {
  FD_TRY(validate_contact_details(details, now));
  NewEvent e =
      event(contact_events::kReceived, {{"reference", reference}, {"details", to_json(details)}});
  e.occurred_at = details.received_at;
  return std::vector<NewEvent>{std::move(e)};
}

Result<std::vector<NewEvent>> link_child(const ContactState& s, std::size_t child_index,
                                         std::int64_t person_id, bool created_new) {
  if (s.is_closed()) return not_in_state("Children cannot be linked", s);
  if (child_index >= s.details.children.size()) {
    return Error::field("child_index", "There is no such child on this contact");
  }
  return std::vector<NewEvent>{
      event(contact_events::kChildLinked, {{"child_index", child_index},
                                           {"person_id", person_id},
                                           {"created_new_record", created_new}})};
}

Result<std::vector<NewEvent>> link_adult(const ContactState& s, std::size_t adult_index,
                                         std::int64_t person_id, bool created_new) {
  if (s.is_closed()) return not_in_state("Adults cannot be linked", s);
  if (adult_index >= s.details.adults.size()) {
    return Error::field("adult_index", "There is no such adult on this contact");
  }
  return std::vector<NewEvent>{
      event(contact_events::kAdultLinked, {{"adult_index", adult_index},
                                           {"person_id", person_id},
                                           {"created_new_record", created_new}})};
}

Result<std::vector<NewEvent>> screen_contact(const ContactState& s, const ScreenCommand& cmd,
                                             Instant decision_due_at) {
  if (s.status != ContactStatus::kAwaitingScreening &&
      s.status != ContactStatus::kAwaitingDecision) {
    return not_in_state("The contact cannot be screened", s);
  }
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < s.details.children.size(); ++i) {
    if (!s.details.children[i].person_id) {
      errors.push_back(
          {"children[" + std::to_string(i) + "]",
           "Link " +
               (s.details.children[i].given_name.empty() ? std::string("each child")
                                                         : s.details.children[i].given_name) +
               " to a person record, or create a new one"});
    }
  }
  if (blank(cmd.rationale)) errors.push_back({"rationale", "Enter why you chose this RAG rating"});
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  return std::vector<NewEvent>{
      event(contact_events::kScreened,
            {{"rag", to_string(cmd.rag)},
             {"rationale", cmd.rationale},
             {"decision_due_at", decision_due_at},
             {"open_case", cmd.history.open_case},
             {"previous_contacts", cmd.history.previous_contacts},
             {"rereferral_within_12_months", cmd.history.rereferral_within_12_months}})};
}

namespace {

bool contains(const std::vector<std::int64_t>& ids, std::int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string count_of_checks(std::size_t n) {
  return n == 1 ? std::string("1 check is") : std::to_string(n) + " checks are";
}

}  // namespace

Result<std::vector<NewEvent>> allow_decision_before_checks_in(const ContactState& s,
                                                              const ChecksProgress& checks,
                                                              const std::string& reason) {
  if (s.status != ContactStatus::kAwaitingDecision) {
    return not_in_state("A decision cannot be allowed before the checks are in", s);
  }
  if (checks.open.empty()) {
    return Error::invalid_transition("No checks are outstanding: the decision can be recorded");
  }
  if (blank(reason)) {
    return Error::field("early_reason", "Enter why the decision cannot wait for the checks");
  }
  NewEvent e = event(contact_events::kDecisionBeforeChecksIn, {{"open_checks", checks.open}});
  e.reason = reason;
  return std::vector<NewEvent>{std::move(e)};
}

Result<std::vector<NewEvent>> record_decision(const ContactState& s, const DecisionCommand& cmd,
                                              const ThresholdFramework& framework,
                                              const ChecksProgress& checks) {
  if (s.status != ContactStatus::kAwaitingDecision) {
    if (s.status == ContactStatus::kAwaitingScreening) {
      return Error::invalid_transition("Screen the contact before recording a decision");
    }
    return not_in_state("A decision cannot be recorded", s);
  }
  std::size_t waiting = 0;
  for (const auto id : checks.open) {
    if (!s.early_decision || !contains(s.early_decision->open_checks, id)) ++waiting;
  }
  if (waiting > 0) {
    return Error::invalid_transition(
        count_of_checks(waiting) +
        " still outstanding. Record the decision when they are answered, or ask a MASH team "
        "manager to record why it cannot wait");
  }
  std::vector<FieldError> errors;
  for (const auto id : cmd.relied_on_checks) {
    if (!contains(checks.answered, id)) {
      errors.push_back({"relied_on_checks", "Select only checks this contact has had answered"});
      break;
    }
  }
  if (!cmd.outcome) errors.push_back({"outcome", "Select the outcome of the contact"});
  if (!cmd.level) {
    errors.push_back({"level", "Select the level of need"});
  } else if (auto st = validate_indicators(framework, *cmd.level, cmd.indicators); !st.ok()) {
    for (const auto& f : st.error().fields) errors.push_back(f);
    if (st.error().fields.empty()) errors.push_back({"indicators", st.error().message});
  }
  if (cmd.level && cmd.indicators.empty()) {
    errors.push_back({"indicators", "Select the indicators of need that led to this decision"});
  }
  if (blank(cmd.rationale)) {
    errors.push_back({"rationale", "Enter the rationale for the decision"});
  }
  if (blank(cmd.next_steps)) errors.push_back({"next_steps", "Enter the next steps"});
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  return std::vector<NewEvent>{
      event(contact_events::kDecisionRecorded, {{"outcome", to_string(*cmd.outcome)},
                                                {"framework_id", framework.id},
                                                {"framework_version", framework.version},
                                                {"level", *cmd.level},
                                                {"indicators", cmd.indicators},
                                                {"rationale", cmd.rationale},
                                                {"next_steps", cmd.next_steps},
                                                {"relied_on_checks", cmd.relied_on_checks}})};
}

Result<std::vector<NewEvent>> send_back_decision(const ContactState& s, const std::string& reason) {
  if (s.status != ContactStatus::kAwaitingSignOff)
    return not_in_state("The decision cannot be sent back", s);
  if (blank(reason)) return Error::field("reason", "Enter why you are sending the decision back");
  NewEvent e = event(contact_events::kDecisionSentBack, nlohmann::json::object());
  e.reason = reason;
  return std::vector<NewEvent>{std::move(e)};
}

Result<std::vector<NewEvent>> close_contact(const ContactState& s, Instant /*now*/) {
  if (s.is_closed()) return Error::invalid_transition("This contact is already closed");
  if (!s.decision || !s.sign_off) {
    return Error::invalid_transition(
        "A contact cannot be closed until a manager has signed off its decision");
  }
  return std::vector<NewEvent>{
      event(contact_events::kClosed, {{"outcome", to_string(s.decision->outcome)}})};
}

Result<std::vector<NewEvent>> sign_off_decision(const ContactState& s,
                                                const std::string& case_direction, Instant now) {
  if (s.status != ContactStatus::kAwaitingSignOff)
    return not_in_state("The decision cannot be signed off", s);
  if (blank(case_direction)) return Error::field("case_direction", "Enter your case direction");
  std::vector<NewEvent> events{
      event(contact_events::kDecisionSignedOff, {{"case_direction", case_direction}})};
  ContactState after = s;
  after.sign_off = SignOff{case_direction, "", 0, now};
  FD_ASSIGN_OR_RETURN(auto closing, close_contact(after, now));
  for (auto& e : closing) events.push_back(std::move(e));
  return events;
}

Result<std::vector<NewEvent>> record_referrer_notified(const ContactState& s,
                                                       const std::string& channel,
                                                       const std::string& to) {
  if (!s.sign_off)
    return Error::invalid_transition("The referrer is told only a signed-off outcome");
  return std::vector<NewEvent>{
      event(contact_events::kReferrerNotified, {{"channel", channel}, {"to", to}})};
}

std::string outcome_message_for_referrer(const ContactState& s) {
  std::string msg = "Thank you for your referral " + s.reference + ", received ";
  msg += format_utc(s.details.received_at).substr(0, 10);
  msg += ".\n\n";
  if (!s.decision || !s.sign_off) {
    return msg + "The MASH has not yet reached a decision.";
  }
  msg += "The MASH has reached a decision: ";
  msg += std::string(label(s.decision->outcome));
  msg += ".\n\n";
  switch (s.decision->outcome) {
    case Outcome::kNoFurtherAction:
      msg +=
          "Children's social care will not take further action. If you have new concerns, make a "
          "new referral.";
      break;
    case Outcome::kInformationAndAdvice:
      msg +=
          "Information and advice have been given. If you have new concerns, make a new referral.";
      break;
    case Outcome::kUniversalServices:
      msg += "The child's needs can be met by universal services such as school and health.";
      break;
    case Outcome::kEarlyHelp:
      msg += "The family will be offered early help. An early help worker may contact you.";
      break;
    case Outcome::kReferralToSocialCare:
      msg +=
          "The contact has been accepted as a referral to children's social care for assessment.";
      break;
    case Outcome::kStrategyDiscussion:
      msg += "A strategy discussion will be held. You may be asked to take part.";
      break;
  }
  msg += "\n\nIf your concerns continue or increase, contact the MASH straight away.";
  return msg;
}

}  // namespace frontdoor::domain

namespace frontdoor::domain {

HistorySummary summarise_history(const std::vector<PriorContact>& earlier, Instant received_at) {
  using namespace std::chrono;
  HistorySummary h;
  const auto received_day = floor<days>(received_at);
  const year_month_day ymd{received_day};
  // Twelve calendar months back; 29 February falls back to 28 February.
  year_month_day back{ymd.year() - years{1}, ymd.month(), ymd.day()};
  if (!back.ok()) back = year_month_day{back.year(), back.month(), day{28}};
  const Instant window_start = time_point_cast<milliseconds>(sys_days{back});
  for (const auto& c : earlier) {
    if (c.received_at >= received_at) continue;
    ++h.previous_contacts;
    const bool accepted = c.outcome && (*c.outcome == Outcome::kReferralToSocialCare ||
                                        *c.outcome == Outcome::kStrategyDiscussion);
    if (!c.closed) h.open_case = true;
    if (accepted && c.received_at >= window_start) {
      h.rereferral_within_12_months = true;
      h.open_case = true;
    }
  }
  return h;
}

}  // namespace frontdoor::domain
