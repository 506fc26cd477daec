#include "app/records.hpp"

#include "core/json.hpp"
#include "storage/audit_log.hpp"

namespace frontdoor::app {

using storage::EventStore;
using storage::Transaction;

std::string contact_stream(std::int64_t id) {
  return "contact/" + std::to_string(id);
}
std::string person_stream(std::int64_t id) {
  return "person/" + std::to_string(id);
}

Result<std::int64_t> next_id(Transaction& tx, const char* table) {
  FD_ASSIGN_OR_RETURN(auto row,
                      tx.query_one(std::string("SELECT COALESCE(MAX(id), 0) + 1 FROM ") + table));
  return row->integer(0);
}

Result<domain::ContactState> load_contact(Transaction& tx, std::int64_t id) {
  FD_ASSIGN_OR_RETURN(auto events, EventStore::read_stream(tx, contact_stream(id)));
  if (events.empty()) return Error::not_found("No contact with that reference");
  return domain::fold_contact(id, events);
}

Result<domain::PersonState> load_person(Transaction& tx, std::int64_t id) {
  FD_ASSIGN_OR_RETURN(auto events, EventStore::read_stream(tx, person_stream(id)));
  if (events.empty()) return no_such_person();
  return domain::fold_person(id, events);
}

Error no_such_person() {
  return Error::not_found("No person with that identifier");
}

Result<domain::PersonState> person_for(Transaction& tx, const domain::Actor& actor, std::int64_t id,
                                       domain::Permission permission) {
  FD_ASSIGN_OR_RETURN(auto person, load_person(tx, id));
  domain::PersonRelation relation;
  relation.restricted = person.restricted;
  auto allowed = domain::authorize_person(actor, permission, relation);
  if (!allowed.ok()) {
    return allowed.error().code == ErrorCode::kNotFound ? no_such_person()
                                                        : std::move(allowed).error();
  }
  return person;
}

Status log_if_refused(storage::Database& db, const domain::Actor& actor, Instant at,
                      const std::string& action, const std::string& subject, Status result) {
  if (result.ok()) return result;
  const auto code = result.error().code;
  if (code != ErrorCode::kNotFound && code != ErrorCode::kForbidden) return result;
  (void)db.write([&](Transaction& tx) {
    return storage::AuditLog::record(tx, actor, at, action, subject, std::string(to_string(code)),
                                     storage::AuditOutcome::kRefused);
  });
  return result;
}

Status project_contact(Transaction& tx, const domain::ContactState& c, Instant provisional_due) {
  nlohmann::json children = nlohmann::json::array();
  for (const auto& child : c.details.children) {
    std::string name = child.given_name;
    if (!child.family_name.empty()) name += (name.empty() ? "" : " ") + child.family_name;
    if (name.empty() && child.unborn) name = "Unborn baby";
    children.push_back(
        {{"name", name}, {"date_of_birth", child.date_of_birth}, {"person_id", child.person_id}});
  }
  const Instant due = c.screening ? c.screening->decision_due_at : provisional_due;
  FD_TRY(tx.exec(
      "INSERT INTO contacts (id, reference, status, channel, received_at, rag, decision_due_at, "
      "children, referrer_agency_id, submitted_by_user_id, outcome, closed_at, version, state) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
      "status = excluded.status, rag = excluded.rag, decision_due_at = excluded.decision_due_at, "
      "children = excluded.children, outcome = excluded.outcome, closed_at = excluded.closed_at, "
      "version = excluded.version, state = excluded.state",
      {c.id, c.reference, std::string(domain::to_string(c.status)),
       std::string(domain::to_string(c.details.channel)), format_utc(c.details.received_at),
       c.screening ? storage::Value{std::string(domain::to_string(c.screening->rag))}
                   : storage::Value{nullptr},
       format_utc(due), children.dump(), c.details.referrer.agency_id,
       storage::opt(c.details.submitted_by_user_id),
       c.sign_off && c.decision
           ? storage::Value{std::string(domain::to_string(c.decision->outcome))}
           : storage::Value{nullptr},
       c.closed_at ? storage::Value{format_utc(*c.closed_at)} : storage::Value{nullptr}, c.version,
       domain::to_json(c).dump()}));
  auto link = [&](std::int64_t person_id, const char* role) {
    return tx.exec(
        "INSERT INTO contact_people (contact_id, person_id, role, received_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (contact_id, person_id) DO NOTHING",
        {c.id, person_id, std::string(role), format_utc(c.details.received_at)});
  };
  for (const auto& child : c.details.children) {
    if (child.person_id) FD_TRY(link(*child.person_id, "child"));
  }
  for (const auto& adult : c.details.adults) {
    if (adult.person_id) FD_TRY(link(*adult.person_id, "adult"));
  }
  return ok_status();
}

Status project_person(Transaction& tx, const domain::PersonState& p) {
  const auto& d = p.details;
  const auto dob = d.date_of_birth ? d.date_of_birth : d.expected_date_of_birth;
  FD_TRY(tx.exec(
      "INSERT INTO persons (id, kind, given_name, family_name, date_of_birth, postcode, "
      "nhs_number, "
      "upn, la_child_id, restricted, merged_into, version, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?) "
      "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, given_name = excluded.given_name, "
      "family_name = excluded.family_name, date_of_birth = excluded.date_of_birth, postcode = "
      "excluded.postcode, nhs_number = excluded.nhs_number, upn = excluded.upn, la_child_id = "
      "excluded.la_child_id, restricted = excluded.restricted, merged_into = excluded.merged_into, "
      "version = excluded.version, state = excluded.state",
      {p.id, std::string(domain::to_string(d.kind)), d.given_name, d.family_name,
       dob ? storage::Value{format_date(*dob)} : storage::Value{nullptr},
       d.address ? d.address->postcode : std::string(),
       d.identifiers.nhs_number.empty() ? storage::Value{nullptr}
                                        : storage::Value{d.identifiers.nhs_number},
       d.identifiers.upn.empty() ? storage::Value{nullptr} : storage::Value{d.identifiers.upn},
       d.identifiers.la_child_id.empty() ? storage::Value{nullptr}
                                         : storage::Value{d.identifiers.la_child_id},
       std::int64_t{p.restricted ? 1 : 0},
       p.merged_into ? storage::Value{*p.merged_into} : storage::Value{nullptr}, p.version,
       domain::to_json(p).dump()}));
  for (const auto& r : p.relationships) {
    FD_TRY(tx.exec(
        "INSERT INTO relationships (person_id, related_person_id, kind) VALUES (?, ?, ?) ON "
        "CONFLICT (person_id, related_person_id, kind) DO NOTHING",
        {p.id, r.person_id, std::string(domain::to_string(r.kind))}));
    FD_TRY(tx.exec(
        "INSERT INTO relationships (person_id, related_person_id, kind) VALUES (?, ?, ?) ON "
        "CONFLICT (person_id, related_person_id, kind) DO NOTHING",
        {r.person_id, p.id, std::string(domain::to_string(domain::reciprocal(r.kind)))}));
  }
  return ok_status();
}

Result<domain::ContactState> run_contact_command(Transaction& tx, const domain::Actor& actor,
                                                 std::int64_t id, std::int64_t expected_version,
                                                 Instant now, Instant provisional_due,
                                                 const ContactDecider& decide) {
  FD_ASSIGN_OR_RETURN(auto events, EventStore::read_stream(tx, contact_stream(id)));
  domain::ContactState state = domain::fold_contact(id, events);
  if (expected_version != storage::kAnyVersion && state.version != expected_version) {
    return Error::conflict(
        "Someone else changed this contact while you were working on it. Your changes have not "
        "been saved: check the latest version and try again.");
  }
  FD_ASSIGN_OR_RETURN(auto fresh, decide(state));
  FD_ASSIGN_OR_RETURN(auto stored, EventStore::append(tx, contact_stream(id), state.version, actor,
                                                      std::move(fresh), now));
  for (const auto& e : stored) domain::apply(state, e);
  FD_TRY(project_contact(tx, state, provisional_due));
  return state;
}

Result<domain::PersonState> run_person_command(Transaction& tx, const domain::Actor& actor,
                                               std::int64_t id, std::int64_t expected_version,
                                               Instant now, const PersonDecider& decide) {
  FD_ASSIGN_OR_RETURN(auto events, EventStore::read_stream(tx, person_stream(id)));
  domain::PersonState state = domain::fold_person(id, events);
  if (expected_version != storage::kAnyVersion && state.version != expected_version) {
    return Error::conflict(
        "Someone else changed this record while you were working on it. Your changes have not "
        "been saved: check the latest version and try again.");
  }
  FD_ASSIGN_OR_RETURN(auto fresh, decide(state));
  FD_ASSIGN_OR_RETURN(auto stored, EventStore::append(tx, person_stream(id), state.version, actor,
                                                      std::move(fresh), now));
  for (const auto& e : stored) domain::apply(state, e);
  FD_TRY(project_person(tx, state));
  return state;
}

}  // namespace frontdoor::app
