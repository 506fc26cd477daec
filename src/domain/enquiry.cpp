#include "domain/enquiry.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <utility>

#include "core/json.hpp"

namespace frontdoor::domain {
namespace {

using nlohmann::json;

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

NewEvent event(const char* type, json payload) {
  NewEvent e;
  e.type = type;
  e.payload = std::move(payload);
  return e;
}

struct ConsentName {
  ConsentDecision decision;
  std::string_view text;
  std::string_view label;
};
constexpr std::array<ConsentName, 5> kConsentNames{{
    {ConsentDecision::kSought, "sought", "Sought, no answer yet"},
    {ConsentDecision::kGiven, "given", "Given"},
    {ConsentDecision::kRefused, "refused", "Refused"},
    {ConsentDecision::kNotSought, "not_sought", "Not sought"},
    {ConsentDecision::kWithdrawn, "withdrawn", "Withdrawn"},
}};

struct BasisName {
  LawfulBasis basis;
  std::string_view text;
  std::string_view label;
};
constexpr std::array<BasisName, 4> kBasisNames{{
    {LawfulBasis::kRiskOfHarm, "risk_of_harm",
     "Seeking consent would place the child at risk of significant harm"},
    {LawfulBasis::kCrimePrevention, "crime_prevention",
     "Seeking consent would prejudice the prevention or detection of a crime"},
    {LawfulBasis::kUnreasonableDelay, "unreasonable_delay",
     "Seeking consent would cause a delay that puts the child at risk"},
    {LawfulBasis::kSafeguardingDuty, "safeguarding_duty",
     "Safeguarding a child at risk (Data Protection Act 2018, schedule 8, paragraph 4)"},
}};

ChildConsent& consent_slot(EnquiryState& s, std::size_t child_index) {
  for (auto& c : s.consent) {
    if (c.child_index == child_index) return c;
  }
  s.consent.push_back(ChildConsent{});
  s.consent.back().child_index = child_index;
  return s.consent.back();
}

Status check_child(std::size_t child_index, std::size_t children) {
  if (child_index >= children) {
    return Error::field("child_index", "There is no such child on this contact");
  }
  return ok_status();
}

}  // namespace

std::string_view to_string(ConsentDecision d) {
  for (const auto& n : kConsentNames) {
    if (n.decision == d) return n.text;
  }
  return "not_sought";
}

std::string_view label(ConsentDecision d) {
  for (const auto& n : kConsentNames) {
    if (n.decision == d) return n.label;
  }
  return "Not sought";
}

std::optional<ConsentDecision> parse_consent_decision(std::string_view text) {
  for (const auto& n : kConsentNames) {
    if (n.text == text) return n.decision;
  }
  return std::nullopt;
}

std::string_view to_string(LawfulBasis b) {
  for (const auto& n : kBasisNames) {
    if (n.basis == b) return n.text;
  }
  return "risk_of_harm";
}

std::string_view label(LawfulBasis b) {
  for (const auto& n : kBasisNames) {
    if (n.basis == b) return n.label;
  }
  return "";
}

std::optional<LawfulBasis> parse_lawful_basis(std::string_view text) {
  for (const auto& n : kBasisNames) {
    if (n.text == text) return n.basis;
  }
  return std::nullopt;
}

const ChildConsent* EnquiryState::consent_for(std::size_t child_index) const {
  for (const auto& c : consent) {
    if (c.child_index == child_index) return &c;
  }
  return nullptr;
}

void apply(EnquiryState& s, const RecordedEvent& e) {
  namespace ev = enquiry_events;
  s.version = e.stream_version;
  const auto& p = e.payload;
  if (e.type == ev::kConsentRecorded) {
    auto& c = consent_slot(s, p.at("child_index").get<std::size_t>());
    c.decision = parse_consent_decision(p.value("decision", "")).value_or(c.decision);
    c.given_by = p.value("given_by", "");
    c.notes = p.value("notes", "");
    c.recorded_at = e.occurred_at;
    // Consent given ends any override: checks now rest on consent. Refused
    // or withdrawn consent leaves an override standing (it was agreed for
    // exactly that case).
    if (c.decision == ConsentDecision::kGiven) c.override.reset();
  } else if (e.type == ev::kConsentOverridden) {
    auto& c = consent_slot(s, p.at("child_index").get<std::size_t>());
    ConsentOverride o;
    o.basis = parse_lawful_basis(p.value("basis", "")).value_or(LawfulBasis::kRiskOfHarm);
    o.reason = e.reason.value_or("");
    o.manager_user_id = p.value("manager_user_id", std::int64_t{0});
    o.manager_name = p.value("manager_name", "");
    c.override = std::move(o);
    c.recorded_at = e.occurred_at;
  }
}

Result<std::vector<NewEvent>> record_consent(const EnquiryState& state, std::size_t children,
                                             const ConsentCommand& cmd) {
  FD_TRY(check_child(cmd.child_index, children));
  const auto* now = state.consent_for(cmd.child_index);
  if (cmd.decision == ConsentDecision::kWithdrawn &&
      (now == nullptr || now->decision != ConsentDecision::kGiven)) {
    return Error::field("decision", "Only consent that was given can be withdrawn");
  }
  if ((cmd.decision == ConsentDecision::kGiven || cmd.decision == ConsentDecision::kRefused ||
       cmd.decision == ConsentDecision::kWithdrawn) &&
      blank(cmd.given_by)) {
    return Error::field("given_by", "Enter who gave, refused or withdrew consent");
  }
  if (cmd.decision == ConsentDecision::kNotSought && blank(cmd.notes)) {
    return Error::field("notes", "Enter why consent was not sought");
  }
  return std::vector<NewEvent>{
      event(enquiry_events::kConsentRecorded, {{"child_index", cmd.child_index},
                                               {"decision", to_string(cmd.decision)},
                                               {"given_by", cmd.given_by},
                                               {"notes", cmd.notes}})};
}

Result<std::vector<NewEvent>> override_consent(const EnquiryState& state, std::size_t children,
                                               const OverrideCommand& cmd) {
  FD_TRY(check_child(cmd.child_index, children));
  const auto* now = state.consent_for(cmd.child_index);
  if (now != nullptr && now->decision == ConsentDecision::kGiven) {
    return Error::invalid_transition("Consent was given: checks need no override");
  }
  std::vector<FieldError> errors;
  if (blank(cmd.override.reason)) {
    errors.push_back({"reason", "Enter why checks must go ahead without consent"});
  }
  if (cmd.override.manager_user_id <= 0 || blank(cmd.override.manager_name)) {
    errors.push_back({"manager", "Name the manager who agreed"});
  }
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  NewEvent e =
      event(enquiry_events::kConsentOverridden, {{"child_index", cmd.child_index},
                                                 {"basis", to_string(cmd.override.basis)},
                                                 {"manager_user_id", cmd.override.manager_user_id},
                                                 {"manager_name", cmd.override.manager_name}});
  e.reason = cmd.override.reason;
  return std::vector<NewEvent>{std::move(e)};
}

Status checks_may_proceed(const EnquiryState& state, std::size_t child_index) {
  const auto* c = state.consent_for(child_index);
  if (c != nullptr && (c->decision == ConsentDecision::kGiven || c->override)) return ok_status();
  return Error::field("consent",
                      "Record that consent was given, or why checks go ahead without it and the "
                      "manager who agreed");
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

std::string_view to_string(SharedPart p) {
  switch (p) {
    case SharedPart::kConcerns:
      return "concerns";
    case SharedPart::kAddress:
      return "address";
    case SharedPart::kHousehold:
      return "household";
    case SharedPart::kReferrer:
      return "referrer";
  }
  return "concerns";
}

std::string_view label(SharedPart p) {
  switch (p) {
    case SharedPart::kConcerns:
      return "The concerns";
    case SharedPart::kAddress:
      return "The children\u2019s address";
    case SharedPart::kHousehold:
      return "The other people named on the contact";
    case SharedPart::kReferrer:
      return "Who raised the concern";
  }
  return "The concerns";
}

std::optional<SharedPart> parse_shared_part(std::string_view text) {
  for (const auto p : kAllSharedParts) {
    if (to_string(p) == text) return p;
  }
  return std::nullopt;
}

std::string_view to_string(CheckStatus s) {
  switch (s) {
    case CheckStatus::kRequested:
      return "requested";
    case CheckStatus::kAnswered:
      return "answered";
    case CheckStatus::kWithdrawn:
      return "withdrawn";
  }
  return "requested";
}

void apply(CheckState& s, const RecordedEvent& e) {
  namespace ev = check_events;
  s.version = e.stream_version;
  const auto& p = e.payload;
  if (e.type == ev::kRequested) {
    s.contact_id = p.at("contact_id").get<std::int64_t>();
    s.agency_id = p.at("agency_id").get<std::int64_t>();
    s.agency_name = p.value("agency_name", "");
    s.people = p.at("people").get<std::vector<std::int64_t>>();
    s.question = p.value("question", "");
    s.requested_at = e.occurred_at;
    s.due_at = p.at("due_at").get<Instant>();
    s.clock = parse_time_limit_unit(p.value("clock", "")).value_or(TimeLimit::kClockHours);
    s.parent_check = json_opt<std::int64_t>(p, "parent_check");
    s.service = p.value("service", "");
    s.shared.clear();
    for (const auto& part : p.value("shared", json::array())) {
      if (auto parsed = parse_shared_part(part.get<std::string>())) s.shared.push_back(*parsed);
    }
    s.status = CheckStatus::kRequested;
  } else if (e.type == ev::kAnswered) {
    s.answers.clear();
    for (const auto& a : p.at("answers")) {
      s.answers.push_back(
          PersonAnswer{a.at("person_id").get<std::int64_t>(), a.value("known", false),
                       a.value("summary", ""), a.value("relevance", ""), a.value("risk", ""),
                       a.value("source_system", ""), a.value("source_reference", "")});
    }
    s.status = CheckStatus::kAnswered;
    s.answered_at = e.occurred_at;
  } else if (e.type == ev::kWithdrawn) {
    s.status = CheckStatus::kWithdrawn;
    s.withdrawn_at = e.occurred_at;
    s.withdrawn_reason = e.reason.value_or("");
  }
}

Result<std::vector<NewEvent>> request_check(const CheckRequest& r, Instant now, Instant due_at,
                                            TimeLimit::Unit clock) {
  std::vector<FieldError> errors;
  if (r.agency_id <= 0) errors.push_back({"agency_id", "Choose the agency to ask"});
  if (r.people.empty()) errors.push_back({"people", "Choose at least one person to check"});
  if (blank(r.question)) errors.push_back({"question", "Enter what the agency is asked"});
  if (r.parent_check && blank(r.service)) {
    errors.push_back({"service", "Enter the service asked, for example GP"});
  }
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  if (due_at < now) return Error::validation("A check cannot be due before it is requested");
  std::vector<std::int64_t> people = r.people;
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
  std::vector<SharedPart> shared = r.shared;
  std::sort(shared.begin(), shared.end());
  shared.erase(std::unique(shared.begin(), shared.end()), shared.end());
  json parts = json::array();
  for (const auto part : shared) parts.push_back(to_string(part));
  json payload{{"contact_id", r.contact_id},   {"agency_id", r.agency_id},
               {"agency_name", r.agency_name}, {"people", people},
               {"question", r.question},       {"due_at", format_utc(due_at)},
               {"clock", to_string(clock)},    {"shared", std::move(parts)}};
  if (r.parent_check) {
    payload["parent_check"] = *r.parent_check;
    payload["service"] = r.service;
  }
  return std::vector<NewEvent>{event(check_events::kRequested, std::move(payload))};
}

Result<std::vector<NewEvent>> answer_check(const CheckState& state,
                                           std::vector<PersonAnswer> answers) {
  if (state.version == 0) return Error::not_found();
  if (!state.is_open()) return Error::invalid_transition("This check is no longer open");
  std::vector<FieldError> errors;
  std::sort(answers.begin(), answers.end(),
            [](const PersonAnswer& a, const PersonAnswer& b) { return a.person_id < b.person_id; });
  std::vector<std::int64_t> answered;
  answered.reserve(answers.size());
  for (const auto& a : answers) answered.push_back(a.person_id);
  if (std::adjacent_find(answered.begin(), answered.end()) != answered.end() ||
      answered != state.people) {
    errors.push_back({"answers", "Answer once for each person asked about, and no one else"});
  }
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (answers[i].known && blank(answers[i].summary)) {
      errors.push_back(
          {"answers[" + std::to_string(i) + "].summary", "Enter what is held about this person"});
    }
  }
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  json list = json::array();
  for (const auto& a : answers) {
    list.push_back({{"person_id", a.person_id},
                    {"known", a.known},
                    {"summary", a.summary},
                    {"relevance", a.relevance},
                    {"risk", a.risk},
                    {"source_system", a.source_system},
                    {"source_reference", a.source_reference}});
  }
  return std::vector<NewEvent>{event(check_events::kAnswered, {{"answers", list}})};
}

Result<std::vector<NewEvent>> withdraw_check(const CheckState& state, const std::string& reason) {
  if (state.version == 0) return Error::not_found();
  if (!state.is_open()) return Error::invalid_transition("This check is no longer open");
  if (blank(reason)) return Error::field("reason", "Enter why the check is no longer needed");
  NewEvent e = event(check_events::kWithdrawn, json::object());
  e.reason = reason;
  return std::vector<NewEvent>{std::move(e)};
}

// ---------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------

std::chrono::minutes response_time(const CheckState& check, Instant now,
                                   const WorkingDayCalendar& calendar, const WorkingHours& hours) {
  const Instant end = check.answered_at.value_or(now);
  if (check.clock == TimeLimit::kClockHours) {
    return std::chrono::floor<std::chrono::minutes>(end - check.requested_at);
  }
  return calendar.working_time_between(check.requested_at, end, hours);
}

std::chrono::minutes nearest_rank(const std::vector<std::chrono::minutes>& sorted, int percent) {
  const std::size_t n = sorted.size();
  std::size_t rank = (static_cast<std::size_t>(percent) * n + 99) / 100;
  rank = std::clamp<std::size_t>(rank, 1, n);
  return sorted[rank - 1];
}

std::vector<AgencyFigures> agency_figures(const std::vector<CheckState>& checks, Instant now,
                                          const WorkingDayCalendar& calendar,
                                          const WorkingHours& hours) {
  std::map<std::int64_t, AgencyFigures> by_agency;
  std::map<std::int64_t, std::vector<std::chrono::minutes>> times;
  for (const auto& c : checks) {
    if (c.status == CheckStatus::kWithdrawn) continue;
    auto& f = by_agency[c.agency_id];
    f.agency_id = c.agency_id;
    ++f.requested;
    if (c.status == CheckStatus::kAnswered && c.answered_at) {
      ++f.answered;
      if (*c.answered_at <= c.due_at) ++f.answered_on_time;
      times[c.agency_id].push_back(response_time(c, now, calendar, hours));
    } else if (c.overdue(now)) {
      ++f.overdue_now;
    }
  }
  std::vector<AgencyFigures> out;
  for (auto& [agency, f] : by_agency) {
    auto& t = times[agency];
    if (!t.empty()) {
      std::sort(t.begin(), t.end());
      f.median = nearest_rank(t, 50);
      f.p90 = nearest_rank(t, 90);
    }
    out.push_back(f);
  }
  return out;
}

std::optional<std::chrono::minutes> time_to_all_checks_in(Instant received,
                                                          const std::vector<CheckState>& checks) {
  std::optional<Instant> last;
  for (const auto& c : checks) {
    if (c.status == CheckStatus::kWithdrawn) continue;
    if (c.is_open() || !c.answered_at) return std::nullopt;
    if (!last || *c.answered_at > *last) last = c.answered_at;
  }
  if (!last) return std::nullopt;
  return std::chrono::floor<std::chrono::minutes>(*last - received);
}

}  // namespace frontdoor::domain
