#include "app/people.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <optional>
#include <set>

#include "app/enquiries.hpp"
#include "app/people_internal.hpp"
#include "app/records.hpp"
#include "core/json.hpp"
#include "domain/access.hpp"
#include "domain/contact.hpp"
#include "domain/enquiry.hpp"
#include "domain/linker.hpp"
#include "storage/event_store.hpp"

namespace frontdoor::app {

using domain::Permission;
using people_detail::may_see;
using people_detail::state_from_projection;
using people_detail::summary_of;
using storage::Transaction;

namespace people_detail {

PersonSummary summary_of(const domain::PersonState& p) {
  PersonSummary s;
  s.id = p.id;
  s.name = p.full_name();
  s.kind = std::string(domain::to_string(p.details.kind));
  s.date_of_birth =
      p.details.date_of_birth ? p.details.date_of_birth : p.details.expected_date_of_birth;
  s.postcode = p.details.address ? p.details.address->postcode : "";
  return s;
}

Result<domain::PersonState> state_from_projection(Transaction& tx, std::int64_t id) {
  FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT state FROM persons WHERE id = ?", {id}));
  if (!row) return Error::not_found("No person with that identifier");
  const auto j = nlohmann::json::parse(row->text(0));
  domain::PersonState p;
  p.id = id;
  p.version = j.value("version", std::int64_t{0});
  FD_ASSIGN_OR_RETURN(p.details, domain::person_details_from_json(j.at("details")));
  p.restricted = j.value("restricted", false);
  if (j.contains("merged_into") && !j["merged_into"].is_null()) {
    p.merged_into = j["merged_into"].get<std::int64_t>();
  }
  if (j.contains("merged_from")) {
    p.merged_from = j["merged_from"].get<std::vector<std::int64_t>>();
  }
  for (const auto& a : j.at("previous_addresses")) {
    p.previous_addresses.push_back(domain::PersonAddress{
        a.value("line", ""), a.value("postcode", ""), json_opt<std::chrono::sys_days>(a, "from"),
        json_opt<std::chrono::sys_days>(a, "to")});
  }
  return p;
}

bool may_see(const domain::Actor& actor, const domain::PersonState& person) {
  domain::PersonRelation relation;
  relation.restricted = person.restricted;
  return domain::authorize_person(actor, Permission::kViewPerson, relation).ok();
}

}  // namespace people_detail

namespace {

std::string child_names(const nlohmann::json& details) {
  std::string names;
  for (const auto& c : details.value("children", nlohmann::json::array())) {
    std::string n = c.value("given_name", "");
    if (!names.empty()) names += ", ";
    names += n.empty() ? c.value("family_name", "a child") : n;
  }
  return names;
}

}  // namespace

namespace {

// Consent and checks, as a chronology shows them: who was asked and what
// came back, never what an agency holds (that is on the check).
std::optional<std::string> describe_enquiry_event(const domain::RecordedEvent& e) {
  namespace ee = domain::enquiry_events;
  namespace ke = domain::check_events;
  const auto& p = e.payload;
  const auto child = "child " + std::to_string(p.value("child_index", std::size_t{0}) + 1);
  if (e.type == ee::kConsentRecorded) {
    const auto decision = domain::parse_consent_decision(p.value("decision", ""));
    std::string text = "Consent to checks for " + child + ": " +
                       std::string(decision ? domain::label(*decision) : "recorded");
    if (!p.value("given_by", "").empty()) text += " (" + p.value("given_by", "") + ")";
    return text;
  }
  if (e.type == ee::kConsentOverridden) {
    const auto basis = domain::parse_lawful_basis(p.value("basis", ""));
    return "Checks for " + child + " to go ahead without consent, agreed by " +
           p.value("manager_name", "") +
           ". Lawful basis: " + std::string(basis ? domain::label(*basis) : "") + ". " +
           e.reason.value_or("");
  }
  if (e.type == ke::kRequested) {
    const auto n = p.value("people", nlohmann::json::array()).size();
    const std::string who = n == 1 ? "1 person" : std::to_string(n) + " people";
    const std::string service = p.value("service", "");
    return (service.empty() ? "Check requested from " + p.value("agency_name", "an agency")
                            : service + " asked by " + p.value("agency_name", "a health service")) +
           " about " + who + ": " + p.value("question", "");
  }
  if (e.type == ke::kAnswered) {
    int known = 0;
    const auto answers = p.value("answers", nlohmann::json::array());
    for (const auto& a : answers) known += a.value("known", false) ? 1 : 0;
    return e.actor.agency_name + " answered the check: known to them for " + std::to_string(known) +
           " of " + std::to_string(answers.size()) + (answers.size() == 1 ? " person" : " people");
  }
  if (e.type == ke::kWithdrawn) return "Check withdrawn: " + e.reason.value_or("");
  return std::nullopt;
}

}  // namespace

std::string describe_event(const domain::RecordedEvent& e) {
  namespace ce = domain::contact_events;
  namespace pe = domain::person_events;
  const auto& p = e.payload;
  if (e.type == ce::kReceived) {
    const auto& d = p.at("details");
    const auto channel = domain::parse_channel(d.value("channel", ""));
    return "Contact " + p.value("reference", "") + " received (" +
           std::string(channel ? domain::label(*channel) : "") + ") from " +
           d.at("referrer").value("name", "") + ", " + d.at("referrer").value("agency_name", "") +
           ", about " + child_names(d);
  }
  if (e.type == ce::kChildLinked) {
    return p.value("created_new_record", false)
               ? "New person record created and linked to the contact"
               : "Child linked to an existing person record";
  }
  if (e.type == ce::kScreened) {
    std::string rag = p.value("rag", "");
    if (!rag.empty()) rag[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(rag[0])));
    return "Screened: RAG rating " + rag + ". " + p.value("rationale", "");
  }
  if (e.type == ce::kDecisionRecorded) {
    const auto outcome = domain::parse_outcome(p.value("outcome", ""));
    return "Decision recorded: " + std::string(outcome ? domain::label(*outcome) : "") +
           " (level " + std::to_string(p.value("level", 0)) +
           "). Rationale: " + p.value("rationale", "");
  }
  if (e.type == ce::kDecisionSentBack)
    return "Decision sent back by manager: " + e.reason.value_or("");
  if (e.type == ce::kDecisionSignedOff)
    return "Decision signed off. Case direction: " + p.value("case_direction", "");
  if (e.type == ce::kClosed) return "Contact closed";
  if (e.type == ce::kReferrerNotified) {
    return p.value("channel", "") == "email" ? "Referrer told the outcome by e-mail"
                                             : "Referrer told the outcome in Frontdoor";
  }
  if (e.type == ce::kAdultLinked) {
    return p.value("created_new_record", false)
               ? "New person record created for an adult named on the contact, and linked"
               : "Adult linked to an existing person record";
  }
  if (e.type == ce::kDecisionBeforeChecksIn) {
    const auto n = p.value("open_checks", nlohmann::json::array()).size();
    return "Manager agreed the decision cannot wait for " +
           (n == 1 ? std::string("the check") : std::to_string(n) + " checks") +
           " still outstanding: " + e.reason.value_or("");
  }
  if (auto enquiry = describe_enquiry_event(e)) return *enquiry;
  if (e.type == pe::kRecorded) return "Person record created";
  if (e.type == pe::kDetailsCorrected) return "Person details corrected";
  if (e.type == pe::kMoved) return "Moved to a new address";
  if (e.type == pe::kRelationshipRecorded) return "Relationship recorded";
  if (e.type == pe::kRestricted) return "Record restricted: " + e.reason.value_or("");
  const auto other = "P" + std::to_string(p.value("person_id", std::int64_t{0}));
  if (e.type == pe::kMergedInto) {
    return "Merged into person record " + other + ": " + e.reason.value_or("");
  }
  if (e.type == pe::kDuplicateMerged) {
    return "Person record " + other + " merged into this one: " + e.reason.value_or("");
  }
  if (e.type == pe::kUnmerged) {
    return "Unmerged from person record " + other + ": " + e.reason.value_or("");
  }
  if (e.type == pe::kDuplicateUnmerged) {
    return "Person record " + other + " unmerged from this one: " + e.reason.value_or("");
  }
  return e.type;
}

People::People(storage::Database& db, const Clock& clock, MatchingPolicy matching)
    : db_(db),
      clock_(clock),
      matching_(matching),
      index_(std::make_unique<domain::InMemoryPersonSearch>()) {
  domain::linkage::Bands bands;
  bands.review = matching_.review_probability;
  bands.auto_link = matching_.auto_link_probability;
  index_->set_bands(bands);
}

People::~People() {
  std::thread training;
  {
    std::lock_guard lock(training_mutex_);
    training.swap(training_);
  }
  if (training.joinable()) training.join();
}

Status People::load_index() {
  std::lock_guard lock(refresh_mutex_);
  const auto started = std::chrono::steady_clock::now();
  std::int64_t last = 0;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(last, storage::EventStore::last_seq(tx));
    FD_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT id FROM persons WHERE merged_into IS NULL"));
    for (const auto& r : rows) {
      FD_ASSIGN_OR_RETURN(auto p, state_from_projection(tx, r.integer(0)));
      index_->upsert(domain::to_search_record(p));
    }
    return ok_status();
  }));
  index_load_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count();
  indexed_seq_ = last;
  train_if_grown();
  return ok_status();
}

Status People::refresh_index() {
  std::lock_guard lock(refresh_mutex_);
  std::int64_t last = indexed_seq_;
  std::set<std::int64_t> changed;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(
        auto rows, tx.query("SELECT seq, stream FROM events WHERE seq > ? ORDER BY seq", {last}));
    for (const auto& r : rows) {
      last = r.integer(0);
      const std::string stream = r.text(1);
      if (stream.rfind("person/", 0) == 0) changed.insert(std::stoll(stream.substr(7)));
    }
    for (const auto id : changed) {
      FD_ASSIGN_OR_RETURN(auto p, state_from_projection(tx, id));
      if (p.merged_into) {
        index_->remove(id);  // merged: found through the record it was merged into
      } else {
        index_->upsert(domain::to_search_record(p));
      }
    }
    return ok_status();
  }));
  indexed_seq_ = last;
  train_if_grown();
  return ok_status();
}

Result<domain::PersonState> People::create(const Principal& who, domain::PersonDetails details) {
  const auto actor = who.user.actor();
  FD_TRY(domain::authorize(actor, Permission::kEditPerson));
  const Instant now = clock_.now();
  std::optional<domain::PersonState> created;
  FD_TRY(db_.write([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(const std::int64_t id, next_id(tx, "persons"));
    FD_ASSIGN_OR_RETURN(created, run_person_command(tx, actor, id, storage::kNewStream, now,
                                                    [&](const domain::PersonState&) {
                                                      return domain::record_person(details, now);
                                                    }));
    return ok_status();
  }));
  FD_TRY(refresh_index());
  return *created;
}

namespace {

// A child's history: their record's events and every contact naming them,
// and the same of each record merged into theirs.
Result<std::vector<ChronologyEntry>> chronology_in(Transaction& tx,
                                                   const domain::PersonState& person) {
  std::vector<ChronologyEntry> out;
  std::vector<std::string> streams;
  std::vector<std::int64_t> ids{person.id};
  ids.insert(ids.end(), person.merged_from.begin(), person.merged_from.end());
  for (const auto id : ids) {
    streams.push_back(person_stream(id));
    FD_ASSIGN_OR_RETURN(
        auto rows, tx.query("SELECT contact_id FROM contact_people WHERE person_id = ?", {id}));
    for (const auto& r : rows) {
      streams.push_back(contact_stream(r.integer(0)));
      streams.push_back(enquiry_stream(r.integer(0)));
      FD_ASSIGN_OR_RETURN(auto checks,
                          tx.query("SELECT id FROM checks WHERE contact_id = ?", {r.integer(0)}));
      for (const auto& k : checks) streams.push_back(check_stream(k.integer(0)));
    }
  }
  std::sort(streams.begin(), streams.end());
  streams.erase(std::unique(streams.begin(), streams.end()), streams.end());
  FD_ASSIGN_OR_RETURN(auto events, storage::EventStore::read_streams(tx, streams));
  out.reserve(events.size());
  for (const auto& e : events) {
    out.push_back(ChronologyEntry{e.occurred_at, e.recorded_at, e.stream, e.type, describe_event(e),
                                  e.actor.display_name, e.actor.role_text(), e.reason});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.occurred_at < b.occurred_at; });
  return out;
}

}  // namespace

Result<PersonView> People::view(const Principal& who, std::int64_t id, WithChronology with) {
  const auto actor = who.user.actor();
  const Instant now = clock_.now();
  std::optional<PersonView> view;
  std::optional<Error> refusal;
  FD_TRY(db_.write([&](Transaction& tx) -> Status {
    auto person = person_for(tx, actor, id, Permission::kViewPerson);
    if (!person.ok()) {
      const auto code = person.error().code;
      if (code != ErrorCode::kNotFound && code != ErrorCode::kForbidden)
        return std::move(person).error();
      refusal = std::move(person).error();
      return storage::AuditLog::record(tx, actor, now, "view", person_stream(id),
                                       std::string(to_string(code)),
                                       storage::AuditOutcome::kRefused);
    }
    const auto basis = domain::authorize_person(actor, Permission::kViewPerson,
                                                domain::PersonRelation{false, person->restricted});
    PersonView v{std::move(person).value(), {}, basis.ok() ? basis->reason : "", {}};
    FD_ASSIGN_OR_RETURN(auto rows,
                        tx.query("SELECT related_person_id, kind FROM relationships WHERE "
                                 "person_id = ? ORDER BY related_person_id",
                                 {id}));
    std::set<std::int64_t> hidden;
    for (const auto& r : rows) {
      auto other = state_from_projection(tx, r.integer(0));
      if (!other.ok()) continue;
      if (!may_see(actor, *other)) {
        hidden.insert(other->id);
        continue;
      }
      const auto kind = domain::parse_relationship_kind(r.text(1));
      v.household.push_back(HouseholdMember{summary_of(*other),
                                            std::string(kind ? domain::label(*kind) : "Related")});
    }
    std::erase_if(v.person.relationships, [&](const domain::Relationship& rel) {
      return hidden.count(rel.person_id) != 0;
    });
    if (with == WithChronology::kYes) {
      FD_ASSIGN_OR_RETURN(v.chronology, chronology_in(tx, v.person));
    }
    view = std::move(v);
    return storage::AuditLog::record(tx, actor, now, "view", person_stream(id), view->access_basis,
                                     storage::AuditOutcome::kAllowed);
  }));
  if (refusal) return *refusal;
  return std::move(*view);
}

domain::PersonQuery People::query_from_text(const std::string& text) {
  domain::PersonQuery q;
  q.limit = 20;
  if (auto dob = parse_date(text)) {
    q.date_of_birth = dob;
    return q;
  }
  std::string compact;
  for (char c : text) {
    if (c != ' ' && c != '-')
      compact += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  const auto letter = [](char c) { return c >= 'A' && c <= 'Z'; };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const std::size_t n = compact.size();
  // A full UK postcode: an outward code starting with a letter, then digit,
  // letter, letter.
  const bool postcode =
      n >= 5 && n <= 7 && letter(compact[0]) && digit(compact[n - 3]) && letter(compact[n - 2]) &&
      letter(compact[n - 1]) &&
      std::all_of(compact.begin(), compact.end(), [&](char c) { return letter(c) || digit(c); });
  const std::size_t digits =
      static_cast<std::size_t>(std::count_if(compact.begin(), compact.end(), digit));
  if (postcode) {
    q.postcode = text;
  } else if (n >= 6 && digits * 2 > n) {
    q.identifier = text;  // mostly digits: an NHS number, a UPN or a reference
  } else {
    q.name = text;
  }
  return q;
}

Result<std::vector<PersonSummary>> People::search(const Principal& who,
                                                  const domain::PersonQuery& query) {
  const auto actor = who.user.actor();
  FD_TRY(domain::authorize(actor, Permission::kSearchPeople));
  // Catch up with people recorded since the last refresh, by other processes
  // on the same database too (one indexed read when there is nothing new).
  FD_TRY(refresh_index());
  const auto hits = index_->search(query);
  std::vector<PersonSummary> out;
  if (hits.empty()) return out;
  // A hit's summary needs only the projection's columns, not the whole record
  // (parsing each hit's state was a third of a search's time), and every hit's
  // row comes in one query (one round trip to PostgreSQL, not one a hit).
  std::string sql =
      "SELECT id, kind, given_name, family_name, date_of_birth, postcode, restricted FROM "
      "persons WHERE id IN (";
  storage::Params ids;
  ids.reserve(hits.size());
  for (const auto& h : hits) {
    sql += ids.empty() ? "?" : ", ?";
    ids.emplace_back(h.person_id);
  }
  sql += ")";
  std::map<std::int64_t, storage::Row> rows;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto found, tx.query(sql, ids));
    for (auto& row : found) {
      const std::int64_t id = row.integer(0);
      rows.emplace(id, std::move(row));
    }
    return ok_status();
  }));
  for (const auto& h : hits) {  // in the index's order, best first
    auto it = rows.find(h.person_id);
    if (it == rows.end()) continue;
    const storage::Row& row = it->second;
    if (row.integer(6) != 0 && actor.role != domain::Role::kMashTeamManager) continue;
    domain::PersonState p;
    p.id = h.person_id;
    p.details.kind = domain::parse_person_kind(row.text(1)).value_or(domain::PersonKind::kChild);
    p.details.given_name = row.text(2);
    p.details.family_name = row.text(3);
    PersonSummary s;
    s.id = p.id;
    s.name = p.full_name();
    s.kind = row.text(1);
    if (auto dob = row.opt_text(4)) s.date_of_birth = parse_date(*dob);
    s.postcode = row.text(5);
    s.score = h.score;
    s.reasons = h.reasons;
    s.match_probability = h.probability;
    s.match_band = domain::linkage::to_string(h.band);
    s.explanation = h.explanation;
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<ChronologyEntry>> People::chronology(const Principal& who, std::int64_t id) {
  FD_ASSIGN_OR_RETURN(auto view, view(who, id, WithChronology::kYes));
  return std::move(view.chronology);
}

Result<PersonAccessLog> People::viewers(const Principal& who, std::int64_t id) {
  const auto actor = who.user.actor();
  FD_ASSIGN_OR_RETURN(auto basis, domain::authorize(actor, Permission::kViewAudit));
  const Instant now = clock_.now();
  std::optional<PersonAccessLog> log;
  auto work = [&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto person, load_person(tx, id));
    // Reads of the person's record, and of checks that asked about them.
    std::vector<std::string> subjects{person_stream(id)};
    FD_ASSIGN_OR_RETURN(auto checks,
                        tx.query("SELECT check_id FROM check_people WHERE person_id = ?", {id}));
    for (const auto& k : checks) subjects.push_back(check_stream(k.integer(0)));
    FD_ASSIGN_OR_RETURN(auto entries, storage::AuditLog::for_subjects(tx, subjects));
    log = PersonAccessLog{std::move(person), std::move(entries)};
    return storage::AuditLog::record(tx, actor, now, "view_access_log", person_stream(id),
                                     basis.reason, storage::AuditOutcome::kAllowed);
  };
  FD_TRY(log_if_refused(db_, actor, now, "view_access_log", person_stream(id), db_.write(work)));
  return std::move(*log);
}

Result<domain::PersonState> People::edit(const Principal& who, std::int64_t id,
                                         std::int64_t expected_version, const PersonDecider& decide,
                                         const std::string& action) {
  const auto actor = who.user.actor();
  FD_TRY(domain::authorize(actor, Permission::kEditPerson));
  const Instant now = clock_.now();
  std::optional<domain::PersonState> result;
  auto work = [&](Transaction& tx) -> Status {
    FD_TRY(person_for(tx, actor, id, Permission::kEditPerson));
    FD_ASSIGN_OR_RETURN(result, run_person_command(tx, actor, id, expected_version, now, decide));
    return ok_status();
  };
  FD_TRY(log_if_refused(db_, actor, now, action, person_stream(id), db_.write(work)));
  FD_TRY(refresh_index());
  return *result;
}

Result<domain::PersonState> People::correct(const Principal& who, std::int64_t id,
                                            std::int64_t expected_version,
                                            domain::PersonDetails details,
                                            const std::string& reason) {
  const Instant now = clock_.now();
  return edit(
      who, id, expected_version,
      [&](const domain::PersonState& s) {
        return domain::correct_person_details(s, details, reason, now);
      },
      "correct");
}

Result<domain::PersonState> People::move(const Principal& who, std::int64_t id,
                                         std::int64_t expected_version,
                                         domain::PersonAddress address) {
  return edit(
      who, id, expected_version,
      [&](const domain::PersonState& s) { return domain::record_move(s, address); }, "move");
}

Result<domain::PersonState> People::record_relationship(const Principal& who, std::int64_t id,
                                                        std::int64_t other,
                                                        domain::RelationshipKind kind) {
  const auto actor = who.user.actor();
  FD_TRY(domain::authorize(actor, Permission::kEditPerson));
  const Instant now = clock_.now();
  std::optional<domain::PersonState> result;
  auto work = [&](Transaction& tx) -> Status {
    FD_TRY(person_for(tx, actor, id, Permission::kEditPerson));
    // The relative too must be a record this user may see: a restricted one is
    // answered as if there were no such person.
    FD_TRY(person_for(tx, actor, other, Permission::kViewPerson));
    FD_ASSIGN_OR_RETURN(result, run_person_command(tx, actor, id, storage::kAnyVersion, now,
                                                   [&](const domain::PersonState& s) {
                                                     return domain::record_relationship(s, other,
                                                                                        kind);
                                                   }));
    return ok_status();
  };
  FD_TRY(
      log_if_refused(db_, actor, now, "record_relationship", person_stream(id), db_.write(work)));
  return *result;
}

Result<domain::PersonState> People::restrict(const Principal& who, std::int64_t id,
                                             const std::string& reason) {
  // Only someone who may work on a restricted record may restrict one; anyone
  // else is refused whichever record they name, so the answer tells nothing.
  const auto actor = who.user.actor();
  domain::PersonRelation restricted;
  restricted.restricted = true;
  if (!domain::authorize_person(actor, Permission::kEditPerson, restricted).ok()) {
    return log_if_refused(
               db_, actor, clock_.now(), "restrict", person_stream(id),
               Status{Error::forbidden("Only a MASH team manager can restrict a record")})
        .error();
  }
  return edit(
      who, id, storage::kAnyVersion,
      [&](const domain::PersonState& s) { return domain::restrict_person(s, reason); }, "restrict");
}

}  // namespace frontdoor::app
