#include "app/enquiries.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "app/records.hpp"
#include "core/json.hpp"
#include "domain/access.hpp"
#include "domain/london_time.hpp"
#include "storage/audit_log.hpp"
#include "storage/event_store.hpp"

namespace frontdoor::app {

using domain::Permission;
using storage::EventStore;
using storage::Transaction;

std::string enquiry_stream(std::int64_t contact_id) {
  return "enquiry/" + std::to_string(contact_id);
}

std::string check_stream(std::int64_t check_id) {
  return "check/" + std::to_string(check_id);
}

std::string check_reference(std::int64_t check_id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "CHK-%06lld", static_cast<long long>(check_id));
  return buf;
}

Result<domain::ChecksProgress> checks_progress(Transaction& tx, std::int64_t contact_id) {
  FD_ASSIGN_OR_RETURN(
      auto rows,
      tx.query("SELECT id, status FROM checks WHERE contact_id = ? ORDER BY id", {contact_id}));
  domain::ChecksProgress progress;
  for (const auto& r : rows) {
    const std::string status = r.text(1);
    if (status == domain::to_string(domain::CheckStatus::kRequested)) {
      progress.open.push_back(r.integer(0));
    } else if (status == domain::to_string(domain::CheckStatus::kAnswered)) {
      progress.answered.push_back(r.integer(0));
    }
  }
  return progress;
}

namespace {

Error no_such_check() {
  return Error::not_found("No check with that reference");
}

struct LoadedCheck {
  domain::CheckState state;
  std::string requested_by;
};

Result<LoadedCheck> load_check(Transaction& tx, std::int64_t id) {
  FD_ASSIGN_OR_RETURN(auto events, EventStore::read_stream(tx, check_stream(id)));
  if (events.empty()) return no_such_check();
  LoadedCheck loaded;
  loaded.state.id = id;
  for (const auto& e : events) domain::apply(loaded.state, e);
  loaded.requested_by = events.front().actor.display_name;
  return loaded;
}

Result<domain::EnquiryState> load_enquiry(Transaction& tx, std::int64_t contact_id) {
  FD_ASSIGN_OR_RETURN(auto events, EventStore::read_stream(tx, enquiry_stream(contact_id)));
  domain::EnquiryState state;
  state.contact_id = contact_id;
  for (const auto& e : events) domain::apply(state, e);
  return state;
}

Status project_check(Transaction& tx, const domain::CheckState& c) {
  auto opt_time = [](const std::optional<Instant>& t) {
    return t ? storage::Value{format_utc(*t)} : storage::Value{nullptr};
  };
  FD_TRY(tx.exec(
      "INSERT INTO checks (id, contact_id, agency_id, parent_check_id, service, status, clock, "
      "requested_at, due_at, answered_at, finished_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, answered_at = "
      "excluded.answered_at, finished_at = excluded.finished_at, version = excluded.version",
      {c.id, c.contact_id, c.agency_id, storage::opt(c.parent_check), c.service,
       std::string(domain::to_string(c.status)), std::string(domain::to_string(c.clock)),
       format_utc(c.requested_at), format_utc(c.due_at), opt_time(c.answered_at),
       opt_time(c.finished_at()), c.version}));
  for (const auto person : c.people) {
    FD_TRY(tx.exec(
        "INSERT INTO check_people (check_id, person_id) VALUES (?, ?) ON CONFLICT (check_id, "
        "person_id) DO NOTHING",
        {c.id, person}));
  }
  return ok_status();
}

Status project_consent(Transaction& tx, const domain::EnquiryState& s) {
  for (const auto& c : s.consent) {
    FD_TRY(tx.exec(
        "INSERT INTO consent (contact_id, child_index, decision, override_basis, recorded_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (contact_id, child_index) DO UPDATE SET decision = "
        "excluded.decision, override_basis = excluded.override_basis, recorded_at = "
        "excluded.recorded_at",
        {s.contact_id, static_cast<std::int64_t>(c.child_index),
         std::string(domain::to_string(c.decision)),
         c.override ? storage::Value{std::string(domain::to_string(c.override->basis))}
                    : storage::Value{nullptr},
         format_utc(c.recorded_at)}));
  }
  return ok_status();
}

std::string full_name(const std::string& given, const std::string& family) {
  if (given.empty()) return family;
  if (family.empty()) return given;
  return given + " " + family;
}

std::vector<EnquirySubject> subjects_of(const domain::ContactState& c) {
  std::vector<EnquirySubject> out;
  for (std::size_t i = 0; i < c.details.children.size(); ++i) {
    const auto& child = c.details.children[i];
    EnquirySubject s;
    s.kind = EnquirySubject::Kind::kChild;
    s.index = i;
    s.person_id = child.person_id;
    s.name = full_name(child.given_name, child.family_name);
    if (s.name.empty()) s.name = child.unborn ? "Unborn baby" : "Child " + std::to_string(i + 1);
    s.description = child.date_of_birth
                        ? "Child, born " + domain::format_long_date(*child.date_of_birth)
                        : std::string("Child");
    out.push_back(std::move(s));
  }
  for (std::size_t i = 0; i < c.details.adults.size(); ++i) {
    const auto& adult = c.details.adults[i];
    EnquirySubject s;
    s.kind = EnquirySubject::Kind::kAdult;
    s.index = i;
    s.person_id = adult.person_id;
    s.name = full_name(adult.given_name, adult.family_name);
    s.description =
        adult.relationship.empty() ? std::string("Adult") : "Adult (" + adult.relationship + ")";
    if (!adult.address.empty()) s.description += ", at another address";
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::string> agency_name(Transaction& tx, std::int64_t id, domain::AgencyKind* kind) {
  FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT name, kind FROM agencies WHERE id = ?", {id}));
  if (!row) return Error::field("agency_id", "Choose an agency from the list");
  if (kind != nullptr) {
    *kind = domain::parse_agency_kind(row->text(1)).value_or(domain::AgencyKind::kOther);
  }
  return row->text(0);
}

constexpr const char* kLineSelect =
    "SELECT k.id, k.contact_id, c.reference, k.agency_id, COALESCE(a.name, ''), "
    "k.parent_check_id, k.service, k.status, k.requested_at, k.due_at, k.answered_at, "
    "(SELECT COUNT(*) FROM check_people p WHERE p.check_id = k.id) FROM checks k JOIN contacts c "
    "ON c.id = k.contact_id LEFT JOIN agencies a ON a.id = k.agency_id ";

CheckLine line_from(const storage::Row& r, Instant now) {
  CheckLine l;
  l.id = r.integer(0);
  l.contact_id = r.integer(1);
  l.contact_reference = r.text(2);
  l.agency_id = r.integer(3);
  l.agency_name = r.text(4);
  l.parent_check = r.opt_integer(5);
  l.service = r.text(6);
  const std::string status = r.text(7);
  l.status = status == "answered"    ? domain::CheckStatus::kAnswered
             : status == "withdrawn" ? domain::CheckStatus::kWithdrawn
                                     : domain::CheckStatus::kRequested;
  l.requested_at = parse_utc(r.text(8)).value_or(Instant{});
  l.due_at = parse_utc(r.text(9)).value_or(Instant{});
  if (auto t = r.opt_text(10)) l.answered_at = parse_utc(*t);
  l.people = static_cast<int>(r.integer(11));
  l.overdue = l.status == domain::CheckStatus::kRequested && now > l.due_at;
  return l;
}

}  // namespace

Status append_check_events(Transaction& tx, domain::CheckState& state, const domain::Actor& actor,
                           std::vector<domain::NewEvent> events, Instant at) {
  FD_ASSIGN_OR_RETURN(auto stored, EventStore::append(tx, check_stream(state.id), state.version,
                                                      actor, std::move(events), at));
  for (const auto& e : stored) domain::apply(state, e);
  return project_check(tx, state);
}

Status append_enquiry_events(Transaction& tx, domain::EnquiryState& state,
                             const domain::Actor& actor, std::vector<domain::NewEvent> events,
                             Instant at) {
  FD_ASSIGN_OR_RETURN(auto stored, EventStore::append(tx, enquiry_stream(state.contact_id),
                                                      state.version, actor, std::move(events), at));
  for (const auto& e : stored) domain::apply(state, e);
  return project_consent(tx, state);
}

Enquiries::Enquiries(storage::Database& db, const Clock& clock, Contacts& contacts)
    : db_(db), clock_(clock), contacts_(contacts) {}

Result<CheckView> Enquiries::view_in(Transaction& tx, const domain::CheckState& check,
                                     bool partner) {
  CheckView v;
  v.check = check;
  v.reference = check_reference(check.id);
  v.agency_name = check.agency_name;
  FD_ASSIGN_OR_RETURN(auto contact, load_contact(tx, check.contact_id));
  v.contact_reference = contact.reference;
  std::set<std::int64_t> asked(check.people.begin(), check.people.end());
  for (const auto person_id : check.people) {
    FD_ASSIGN_OR_RETURN(auto person, load_person(tx, person_id));
    CheckPerson p;
    p.person_id = person_id;
    p.name = full_name(person.details.given_name, person.details.family_name);
    p.date_of_birth = person.details.date_of_birth;
    if (person.details.address) {
      p.address = person.details.address->line;
      if (!person.details.address->postcode.empty()) {
        p.address += (p.address.empty() ? "" : ", ") + person.details.address->postcode;
      }
    }
    p.nhs_number = person.details.identifiers.nhs_number;
    for (const auto& s : subjects_of(contact)) {
      if (s.person_id == person_id) p.role = s.description;
    }
    v.people.push_back(std::move(p));
  }
  const auto shared = [&](domain::SharedPart part) { return !partner || check.shares(part); };
  if (shared(domain::SharedPart::kConcerns)) v.concerns = contact.details.concerns;
  if (shared(domain::SharedPart::kAddress)) {
    v.address = contact.details.address_line;
    if (!contact.details.postcode.empty()) {
      v.address += (v.address.empty() ? "" : ", ") + contact.details.postcode;
    }
  }
  if (shared(domain::SharedPart::kHousehold)) {
    for (const auto& s : subjects_of(contact)) {
      if (s.person_id && asked.count(*s.person_id) != 0) continue;
      v.household.push_back(s.name + " \u2013 " + s.description);
    }
  }
  if (shared(domain::SharedPart::kReferrer)) {
    const auto& r = contact.details.referrer;
    v.referrer = r.name;
    if (!r.role.empty()) v.referrer += ", " + r.role;
    if (!r.agency_name.empty()) v.referrer += ", " + r.agency_name;
  }
  FD_ASSIGN_OR_RETURN(
      auto rows,
      tx.query(std::string(kLineSelect) + "WHERE k.parent_check_id = ? ORDER BY k.id", {check.id}));
  for (const auto& r : rows) v.sub_requests.push_back(line_from(r, clock_.now()));
  return v;
}

Result<EnquiryView> Enquiries::enquiry(const Principal& who, std::int64_t contact_id,
                                       bool audited) {
  const auto actor = who.user.actor();
  const Instant now = clock_.now();
  std::optional<EnquiryView> view;
  auto work = [&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto basis, domain::authorize_contact(actor, Permission::kViewCheck, {}));
    FD_ASSIGN_OR_RETURN(auto contact, load_contact(tx, contact_id));
    EnquiryView v;
    v.contact_id = contact_id;
    FD_ASSIGN_OR_RETURN(v.consent, load_enquiry(tx, contact_id));
    v.subjects = subjects_of(contact);
    for (const auto& s : v.subjects) {
      if (s.kind == EnquirySubject::Kind::kChild) v.child_names.push_back(s.name);
    }
    FD_ASSIGN_OR_RETURN(
        auto rows,
        tx.query("SELECT id FROM checks WHERE contact_id = ? ORDER BY id", {contact_id}));
    for (const auto& r : rows) {
      FD_ASSIGN_OR_RETURN(auto loaded, load_check(tx, r.integer(0)));
      FD_ASSIGN_OR_RETURN(auto check_view, view_in(tx, loaded.state, false));
      check_view.requested_by = loaded.requested_by;
      check_view.access_basis = basis.reason;
      v.checks.push_back(std::move(check_view));
    }
    FD_ASSIGN_OR_RETURN(v.progress, checks_progress(tx, contact_id));
    view = std::move(v);
    if (!audited) return ok_status();
    // A read of the contact's record, logged as one.
    return storage::AuditLog::record(tx, actor, now, "view_enquiry", contact_stream(contact_id),
                                     basis.reason, storage::AuditOutcome::kAllowed);
  };
  FD_TRY(
      log_if_refused(db_, actor, now, "view_enquiry", contact_stream(contact_id), db_.write(work)));
  return std::move(*view);
}

Result<domain::EnquiryState> Enquiries::consent_command(const Principal& who,
                                                        std::int64_t contact_id,
                                                        std::int64_t version, Permission permission,
                                                        const ConsentDecider& decide) {
  const auto actor = who.user.actor();
  const Instant now = clock_.now();
  std::optional<domain::EnquiryState> result;
  auto work = [&](Transaction& tx) -> Status {
    FD_TRY(domain::authorize_contact(actor, permission, {}));
    FD_ASSIGN_OR_RETURN(auto contact, load_contact(tx, contact_id));
    if (contact.is_closed()) {
      return Error::invalid_transition("This contact is closed: consent can no longer change");
    }
    FD_ASSIGN_OR_RETURN(auto state, load_enquiry(tx, contact_id));
    if (state.version != version) {
      return Error::conflict(
          "Someone else recorded consent on this contact while you were working on it. Check "
          "what is recorded now and try again.");
    }
    FD_ASSIGN_OR_RETURN(auto events, decide(state, contact.details.children.size()));
    FD_TRY(append_enquiry_events(tx, state, actor, std::move(events), now));
    result = std::move(state);
    return ok_status();
  };
  FD_TRY(log_if_refused(db_, actor, now, std::string(domain::to_string(permission)),
                        enquiry_stream(contact_id), db_.write(work)));
  return std::move(*result);
}

Result<domain::EnquiryState> Enquiries::record_consent(const Principal& who,
                                                       std::int64_t contact_id,
                                                       std::int64_t version,
                                                       const domain::ConsentCommand& cmd) {
  return consent_command(who, contact_id, version, Permission::kRecordConsent,
                         [&](const domain::EnquiryState& state, std::size_t children) {
                           return domain::record_consent(state, children, cmd);
                         });
}

Result<domain::EnquiryState> Enquiries::override_consent(
    const Principal& who, std::int64_t contact_id, std::int64_t version, std::size_t child_index,
    domain::LawfulBasis basis, const std::string& reason) {
  const domain::OverrideCommand cmd{
      child_index, domain::ConsentOverride{basis, reason, who.user.id, who.user.display_name}};
  return consent_command(who, contact_id, version, Permission::kOverrideConsent,
                         [&](const domain::EnquiryState& state, std::size_t children) {
                           return domain::override_consent(state, children, cmd);
                         });
}

namespace {

// A new check may be asked for only while the contact awaits its decision.
Status open_for_checks(const domain::ContactState& contact) {
  if (contact.status == domain::ContactStatus::kAwaitingDecision) return ok_status();
  if (contact.status == domain::ContactStatus::kAwaitingScreening) {
    return Error::invalid_transition("Screen the contact before asking agencies to check");
  }
  return Error::invalid_transition(
      "A decision has been recorded on this contact: agencies can no longer be asked");
}

}  // namespace

Result<domain::CheckState> Enquiries::new_check(Transaction& tx, const domain::Actor& actor,
                                                const domain::ContactState& contact,
                                                const domain::CheckRequest& req, Instant now) {
  const auto& policies = contacts_.policies();
  const auto rating = contact.screening ? contact.screening->rag : policies.provisional;
  const Instant due =
      policies.checks.deadline(now, rating, contacts_.calendar(), policies.working_hours);
  FD_ASSIGN_OR_RETURN(auto events,
                      domain::request_check(req, now, due, policies.checks.limit(rating).unit));
  domain::CheckState state;
  FD_ASSIGN_OR_RETURN(state.id, next_id(tx, "checks"));
  FD_TRY(append_check_events(tx, state, actor, std::move(events), now));
  return state;
}

Result<domain::CheckState> Enquiries::request(const Principal& who, std::int64_t contact_id,
                                              const CheckInput& input) {
  const auto actor = who.user.actor();
  const Instant now = clock_.now();
  bool created_people = false;
  std::optional<domain::CheckState> result;
  auto work = [&](Transaction& tx) -> Status {
    FD_TRY(domain::authorize_contact(actor, Permission::kRequestCheck, {}));
    FD_ASSIGN_OR_RETURN(auto contact, load_contact(tx, contact_id));
    FD_TRY(open_for_checks(contact));
    FD_ASSIGN_OR_RETURN(auto consent, load_enquiry(tx, contact_id));
    for (std::size_t i = 0; i < contact.details.children.size(); ++i) {
      if (auto st = domain::checks_may_proceed(consent, i); !st.ok()) {
        const auto name = subjects_of(contact)[i].name;
        return Error::field("consent", "Consent for " + name +
                                           ": record that it was given, or why checks go ahead "
                                           "without it and the manager who agreed");
      }
    }
    domain::AgencyKind kind = domain::AgencyKind::kOther;
    std::string agency;
    if (input.agency_id > 0) {
      FD_ASSIGN_OR_RETURN(agency, agency_name(tx, input.agency_id, &kind));
    }
    std::vector<std::int64_t> people;
    for (const auto& subject : input.people) {
      const bool child = subject.kind == EnquirySubject::Kind::kChild;
      const std::size_t count =
          child ? contact.details.children.size() : contact.details.adults.size();
      if (subject.index >= count) {
        return Error::field("people", "Choose people named on this contact");
      }
      if (child) {
        const auto& c = contact.details.children[subject.index];
        if (!c.person_id) {
          return Error::field("people", "Link each child to a person record before checks");
        }
        people.push_back(*c.person_id);
        continue;
      }
      if (!contact.details.adults[subject.index].person_id) {
        FD_ASSIGN_OR_RETURN(contact,
                            contacts_.link_new_adult_in(tx, actor, contact_id, subject.index));
        created_people = true;
      }
      people.push_back(*contact.details.adults[subject.index].person_id);
    }
    domain::CheckRequest req;
    req.contact_id = contact_id;
    req.agency_id = input.agency_id;
    req.agency_name = agency;
    req.people = people;
    req.question = input.question;
    req.shared = input.shared;
    FD_ASSIGN_OR_RETURN(result, new_check(tx, actor, contact, req, now));
    return ok_status();
  };
  FD_TRY(log_if_refused(db_, actor, now, "request_check", contact_stream(contact_id),
                        db_.write(work)));
  if (created_people) contacts_.notify_people_changed();
  return std::move(*result);
}

namespace {

// May this user act on this check? The check if so; one they may not see is
// answered exactly as one that does not exist.
Result<LoadedCheck> authorized_check(Transaction& tx, const Principal& who, std::int64_t id,
                                     Permission permission, Instant now, int access_days,
                                     std::string* basis) {
  auto loaded = load_check(tx, id);
  domain::CheckRelation relation;
  if (loaded.ok()) {
    const auto& c = loaded->state;
    relation.addressed_to_actors_agency = c.agency_id == who.user.agency.id;
    const auto finished = c.finished_at();
    relation.within_access_period =
        c.is_open() || (finished && now - *finished <= std::chrono::hours{24 * access_days});
  }
  auto allowed = domain::authorize_check(who.user.actor(), permission, relation);
  if (!allowed.ok()) {
    if (allowed.error().code == ErrorCode::kNotFound) return no_such_check();
    return std::move(allowed).error();
  }
  if (!loaded.ok()) return std::move(loaded).error();
  if (basis != nullptr) *basis = allowed->reason;
  return loaded;
}

}  // namespace

Result<domain::CheckState> Enquiries::sub_request(const Principal& who, std::int64_t check_id,
                                                  const SubRequestInput& input) {
  const auto actor = who.user.actor();
  const Instant now = clock_.now();
  const auto& policies = contacts_.policies();
  std::optional<domain::CheckState> result;
  auto work = [&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto parent, authorized_check(tx, who, check_id, Permission::kAnswerCheck,
                                                      now, policies.check_access_days, nullptr));
    const auto& p = parent.state;
    domain::AgencyKind kind = domain::AgencyKind::kOther;
    FD_ASSIGN_OR_RETURN(auto agency, agency_name(tx, p.agency_id, &kind));
    if (kind != domain::AgencyKind::kHealth || p.parent_check) {
      return Error::invalid_transition("Only a health check can open sub-requests");
    }
    if (p.status == domain::CheckStatus::kWithdrawn) {
      return Error::invalid_transition("This check was withdrawn");
    }
    FD_ASSIGN_OR_RETURN(auto contact, load_contact(tx, p.contact_id));
    FD_TRY(open_for_checks(contact));
    const auto& services = health_sub_request_services();
    if (std::find(services.begin(), services.end(), input.service) == services.end()) {
      return Error::field("service", "Choose the health service to ask");
    }
    for (const auto person : input.people) {
      if (std::find(p.people.begin(), p.people.end(), person) == p.people.end()) {
        return Error::field("people", "Choose people this check is about");
      }
    }
    domain::CheckRequest req;
    req.contact_id = p.contact_id;
    req.agency_id = p.agency_id;
    req.agency_name = agency;
    req.people = input.people;
    req.question = input.question;
    req.parent_check = p.id;
    req.service = input.service;
    req.shared = p.shared;
    FD_ASSIGN_OR_RETURN(result, new_check(tx, actor, contact, req, now));
    return ok_status();
  };
  FD_TRY(log_if_refused(db_, actor, now, "sub_request", check_stream(check_id), db_.write(work)));
  return std::move(*result);
}

Result<domain::CheckState> Enquiries::answer(const Principal& who, std::int64_t check_id,
                                             std::int64_t version,
                                             std::vector<domain::PersonAnswer> answers,
                                             const std::optional<std::string>& idempotency_key) {
  const auto actor = who.user.actor();
  const Instant now = clock_.now();
  std::optional<domain::CheckState> result;
  auto work = [&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto loaded,
                        authorized_check(tx, who, check_id, Permission::kAnswerCheck, now,
                                         contacts_.policies().check_access_days, nullptr));
    auto& state = loaded.state;
    if (idempotency_key) {
      FD_ASSIGN_OR_RETURN(auto existing, EventStore::find_by_idempotency_key(tx, *idempotency_key));
      if (existing) {
        if (existing->stream != check_stream(check_id)) {
          return Error::conflict("This reference was already used for another record");
        }
        result = std::move(state);  // a repeat: the check as it is now
        return ok_status();
      }
    }
    if (state.version != version) {
      return Error::conflict(
          "Someone else changed this check while you were working on it. Your answer has not "
          "been saved: check the latest version and try again.");
    }
    FD_ASSIGN_OR_RETURN(auto events, domain::answer_check(state, std::move(answers)));
    if (idempotency_key && !events.empty()) events.front().idempotency_key = idempotency_key;
    FD_TRY(append_check_events(tx, state, actor, std::move(events), now));
    result = std::move(state);
    return ok_status();
  };
  FD_TRY(log_if_refused(db_, actor, now, "answer_check", check_stream(check_id), db_.write(work)));
  return std::move(*result);
}

Status Enquiries::may_answer(const Principal& who, std::int64_t check_id) {
  const Instant now = clock_.now();
  Status allowed = db_.read([&](Transaction& tx) -> Status {
    FD_TRY(authorized_check(tx, who, check_id, Permission::kAnswerCheck, now,
                            contacts_.policies().check_access_days, nullptr));
    return ok_status();
  });
  return log_if_refused(db_, who.user.actor(), now, "answer_check", check_stream(check_id),
                        std::move(allowed));
}

Result<domain::CheckState> Enquiries::withdraw(const Principal& who, std::int64_t check_id,
                                               std::int64_t version, const std::string& reason) {
  const auto actor = who.user.actor();
  const Instant now = clock_.now();
  std::optional<domain::CheckState> result;
  auto work = [&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto loaded,
                        authorized_check(tx, who, check_id, Permission::kRequestCheck, now,
                                         contacts_.policies().check_access_days, nullptr));
    auto& state = loaded.state;
    if (state.version != version) {
      return Error::conflict(
          "Someone else changed this check while you were working on it. Check the latest "
          "version and try again.");
    }
    FD_ASSIGN_OR_RETURN(auto events, domain::withdraw_check(state, reason));
    FD_TRY(append_check_events(tx, state, actor, std::move(events), now));
    result = std::move(state);
    return ok_status();
  };
  FD_TRY(
      log_if_refused(db_, actor, now, "withdraw_check", check_stream(check_id), db_.write(work)));
  return std::move(*result);
}

Result<CheckView> Enquiries::view(const Principal& who, std::int64_t check_id) {
  const auto actor = who.user.actor();
  const Instant now = clock_.now();
  std::optional<CheckView> view;
  std::optional<Error> refusal;
  FD_TRY(db_.write([&](Transaction& tx) -> Status {
    std::string basis;
    auto loaded = authorized_check(tx, who, check_id, Permission::kViewCheck, now,
                                   contacts_.policies().check_access_days, &basis);
    if (!loaded.ok()) {
      const auto code = loaded.error().code;
      if (code != ErrorCode::kNotFound && code != ErrorCode::kForbidden) {
        return std::move(loaded).error();
      }
      refusal = std::move(loaded).error();
      return storage::AuditLog::record(tx, actor, now, "view", check_stream(check_id),
                                       std::string(to_string(code)),
                                       storage::AuditOutcome::kRefused);
    }
    FD_ASSIGN_OR_RETURN(auto v, view_in(tx, loaded->state, !domain::is_mash_role(actor.role)));
    v.requested_by = loaded->requested_by;
    v.access_basis = basis;
    view = std::move(v);
    return storage::AuditLog::record(tx, actor, now, "view", check_stream(check_id), basis,
                                     storage::AuditOutcome::kAllowed);
  }));
  if (refusal) return *refusal;
  return std::move(*view);
}

Result<std::vector<CheckLine>> Enquiries::agency_queue(const Principal& who) {
  FD_TRY(domain::authorize(who.user.actor(), Permission::kViewAgencyQueue));
  const Instant now = clock_.now();
  const Instant since = now - std::chrono::hours{24 * contacts_.policies().check_access_days};
  std::vector<CheckLine> lines;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(
        auto rows, tx.query(std::string(kLineSelect) +
                                "WHERE k.agency_id = ? AND (k.status = 'requested' OR "
                                "k.finished_at >= ?) ORDER BY CASE WHEN k.status = 'requested' "
                                "THEN 0 ELSE 1 END, k.due_at, k.id LIMIT 500",
                            {who.user.agency.id, format_utc(since)}));
    for (const auto& r : rows) lines.push_back(line_from(r, now));
    return ok_status();
  }));
  // Closed ones: the latest first.
  const auto closed = std::stable_partition(lines.begin(), lines.end(), [](const CheckLine& l) {
    return l.status == domain::CheckStatus::kRequested;
  });
  std::reverse(closed, lines.end());
  return lines;
}

Result<std::vector<CheckLine>> Enquiries::overdue(const Principal& who, std::size_t limit) {
  FD_TRY(domain::authorize(who.user.actor(), Permission::kViewQueue));
  const Instant now = clock_.now();
  std::vector<CheckLine> lines;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto rows, tx.query(std::string(kLineSelect) +
                                                "WHERE k.status = 'requested' AND k.due_at < ? "
                                                "ORDER BY k.due_at, k.id LIMIT ?",
                                            {format_utc(now), static_cast<std::int64_t>(limit)}));
    for (const auto& r : rows) lines.push_back(line_from(r, now));
    return ok_status();
  }));
  return lines;
}

Result<PartnershipFigures> Enquiries::figures(const Principal& who, Instant from) {
  FD_TRY(domain::authorize(who.user.actor(), Permission::kViewPerformance));
  const Instant now = clock_.now();
  PartnershipFigures out;
  out.from = from;
  out.to = now;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(
        auto rows,
        tx.query("SELECT k.id, k.contact_id, k.agency_id, k.status, k.clock, k.requested_at, "
                 "k.due_at, k.answered_at, c.reference, c.received_at, c.children FROM checks k "
                 "JOIN contacts c ON c.id = k.contact_id WHERE k.requested_at >= ? ORDER BY "
                 "k.contact_id, k.id",
                 {format_utc(from)}));
    std::vector<domain::CheckState> checks;
    std::map<std::int64_t, std::vector<domain::CheckState>> by_contact;
    std::map<std::int64_t, std::pair<std::string, Instant>> contacts;
    std::map<std::int64_t, std::size_t> children;
    for (const auto& r : rows) {
      domain::CheckState c;
      c.id = r.integer(0);
      c.contact_id = r.integer(1);
      c.agency_id = r.integer(2);
      const std::string status = r.text(3);
      c.status = status == "answered"    ? domain::CheckStatus::kAnswered
                 : status == "withdrawn" ? domain::CheckStatus::kWithdrawn
                                         : domain::CheckStatus::kRequested;
      c.clock = domain::parse_time_limit_unit(r.text(4)).value_or(domain::TimeLimit::kClockHours);
      c.requested_at = parse_utc(r.text(5)).value_or(Instant{});
      c.due_at = parse_utc(r.text(6)).value_or(Instant{});
      if (auto t = r.opt_text(7)) c.answered_at = parse_utc(*t);
      contacts[c.contact_id] = {r.text(8), parse_utc(r.text(9)).value_or(Instant{})};
      const auto list = nlohmann::json::parse(r.text(10), nullptr, false);
      children[c.contact_id] = list.is_array() ? list.size() : 0;
      by_contact[c.contact_id].push_back(c);
      checks.push_back(std::move(c));
    }
    const auto figures = domain::agency_figures(checks, now, contacts_.calendar(),
                                                contacts_.policies().working_hours);
    FD_ASSIGN_OR_RETURN(auto agencies, tx.query("SELECT id, name FROM agencies"));
    std::map<std::int64_t, std::string> names;
    for (const auto& a : agencies) names[a.integer(0)] = a.text(1);
    for (const auto& f : figures) out.agencies.push_back({names[f.agency_id], f});
    std::sort(out.agencies.begin(), out.agencies.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    for (const auto& [id, list] : by_contact) {
      PartnershipFigures::ContactTime t;
      t.contact_id = id;
      t.reference = contacts[id].first;
      t.all_checks_in = domain::time_to_all_checks_in(contacts[id].second, list);
      t.open_checks = static_cast<int>(
          std::count_if(list.begin(), list.end(), [](const auto& c) { return c.is_open(); }));
      out.contacts.push_back(t);
      FD_ASSIGN_OR_RETURN(auto consent,
                          tx.query("SELECT decision, override_basis FROM consent WHERE "
                                   "contact_id = ?",
                                   {id}));
      for (const auto& c : consent) {
        const std::string decision = c.text(0);
        if (decision == "given") {
          ++out.consent_given;
        } else if (!c.is_null(1)) {
          ++out.consent_overridden;
        } else if (decision == "refused" || decision == "withdrawn") {
          ++out.consent_refused_or_withdrawn;
        } else {
          ++out.consent_pending;
        }
      }
      out.consent_pending +=
          static_cast<int>(children[id] - std::min(children[id], consent.size()));
    }
    std::vector<std::chrono::minutes> all_in;
    for (const auto& t : out.contacts) {
      if (t.all_checks_in) all_in.push_back(*t.all_checks_in);
    }
    std::sort(all_in.begin(), all_in.end());
    out.contacts_all_in = static_cast<int>(all_in.size());
    if (!all_in.empty()) {
      out.all_in_median = domain::nearest_rank(all_in, 50);
      out.all_in_p90 = domain::nearest_rank(all_in, 90);
    }
    return ok_status();
  }));
  return out;
}

}  // namespace frontdoor::app
