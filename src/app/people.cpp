#include "app/people.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "app/records.hpp"
#include "core/json.hpp"
#include "domain/access.hpp"
#include "domain/contact.hpp"
#include "domain/linker.hpp"
#include "storage/event_store.hpp"

namespace frontdoor::app {

using domain::Permission;
using storage::Transaction;

namespace {

// See People::train_model().
constexpr double kMinimumU = 0.001;
constexpr std::uint64_t kTrainingSeed = 20261201;

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

Status People::train_model() {
  // At most matching_.training_sample people, drawn evenly from the store
  // (reservoir sampling, the same draw every time): enough for u and for EM,
  // and bounded in time and memory however large the store.
  std::vector<domain::linkage::LinkRecord> records;
  std::size_t people = 0;
  std::mt19937_64 rng(kTrainingSeed);
  index_->for_each_record([&](std::int64_t, const domain::linkage::LinkRecord& r) {
    ++people;
    if (records.size() < matching_.training_sample) {
      records.push_back(r);
    } else if (const auto k = std::uniform_int_distribution<std::size_t>(0, people - 1)(rng);
               k < matching_.training_sample) {
      records[k] = r;
    }
  });
  if (records.size() < 2) return ok_status();
  namespace lk = domain::linkage;
  const lk::Model reference = lk::reference_model();
  lk::Linker linker(reference);
  lk::TrainingOptions options;
  // Random pairs for u: plenty, but no more than there are pairs to draw.
  options.random_pairs = std::min<std::size_t>(options.random_pairs, records.size() * 100);
  options.estimate_m = people >= matching_.em_minimum_people;
  std::vector<lk::CandidatePair> pairs;
  if (options.estimate_m) pairs = lk::candidate_pairs(records, nullptr);
  const auto report = linker.train(records, nullptr, pairs, options);
  lk::Model model = linker.model();
  // The prior of the search: the chance a person asked about is a given
  // candidate, not the share of duplicates among the store's own pairs.
  model.set_prior(reference.prior());
  // A level the store's random pairs never show is not impossible among
  // different people: at least 1 in 1,000 (as in the reference model).
  for (std::size_t c = 0; c < model.comparisons(); ++c) {
    auto u = model.parameters(c).u;
    for (std::size_t l = 1; l < u.size(); ++l) u[l] = std::max(u[l], kMinimumU);
    model.set_u(c, std::move(u));
  }
  index_->set_model(model);
  std::lock_guard lock(training_mutex_);
  auto& st = model_status_;
  st.trained = true;
  st.trained_at = clock_.now();
  st.people = people;
  st.sampled = records.size();
  st.random_pairs = report.random_pairs;
  st.candidate_pairs = report.candidate_pairs;
  st.estimated_m = options.estimate_m;
  st.em_iterations = report.em.iterations;
  st.em_converged = report.em.converged;
  return ok_status();
}

Result<std::optional<AutomaticLink>> People::automatic_link(Transaction& tx,
                                                            const domain::ChildOnContact& child,
                                                            const domain::ContactDetails& contact) {
  domain::PersonQuery q;
  q.given_name = child.given_name;
  q.family_name = child.family_name;
  q.date_of_birth = child.date_of_birth ? child.date_of_birth : child.expected_date_of_birth;
  q.postcode = contact.postcode;
  q.address = contact.address_line;
  q.limit = 2;
  const auto hits = index_->search(q);
  if (hits.empty() || hits[0].probability < matching_.auto_link_probability) {
    return std::optional<AutomaticLink>{};
  }
  // However likely, the date of birth and both names must agree too:
  // exactly, or with day and month swapped, a known nickname, a previous
  // family name. A brother or sister shares the address, the postcode and
  // the family name, and twins the date of birth; twins' names may differ
  // by a letter (Rowan and Rowen), so a slip of spelling is left to a person.
  namespace lk = domain::linkage;
  const auto& levels = hits[0].levels;
  const auto within = [&levels](std::size_t c, std::int8_t closest_allowed) {
    return c < levels.size() && levels[c] >= 0 && levels[c] <= closest_allowed;
  };
  if (!within(lk::kDateOfBirth, 1) || !within(lk::kGivenName, 1) || !within(lk::kFamilyName, 1)) {
    return std::optional<AutomaticLink>{};
  }
  if (hits.size() > 1 && hits[1].probability >= matching_.review_probability) {
    return std::optional<AutomaticLink>{};
  }
  FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT restricted FROM persons WHERE id = ? AND "
                                             "merged_into IS NULL",
                                             {hits[0].person_id}));
  if (!row || row->integer(0) != 0) return std::optional<AutomaticLink>{};
  // Never "100%": what would round up to it is "over 99.99%".
  char probability[32];
  if (hits[0].probability >= 0.99995) {
    std::snprintf(probability, sizeof probability, "over 99.99%%");
  } else {
    std::snprintf(probability, sizeof probability, "%.2f%%", 100 * hits[0].probability);
  }
  std::string reason = "Linked automatically: match probability " + std::string(probability);
  for (std::size_t i = 0; i < hits[0].explanation.size(); ++i) {
    reason += (i == 0 ? ". " : "; ") + hits[0].explanation[i];
  }
  return std::optional<AutomaticLink>{AutomaticLink{hits[0].person_id, reason}};
}

domain::linkage::Linker People::linker() const {
  return index_->linker();
}

MatchingModelStatus People::model_status() const {
  std::lock_guard lock(training_mutex_);
  MatchingModelStatus st = model_status_;
  st.training = training_running_;
  st.index_people = index_->size();
  st.index_bytes = index_->approximate_bytes();
  st.index_loaded_in = std::chrono::milliseconds{index_load_ms_.load()};
  return st;
}

void People::train_if_grown() {
  const std::size_t people = index_->size();
  std::lock_guard lock(training_mutex_);
  if (training_running_ || people < matching_.train_minimum_people) return;
  if (model_status_.trained && people < model_status_.people + model_status_.people / 4) return;
  if (training_.joinable()) training_.join();  // the last one has finished
  training_running_ = true;
  training_ = std::thread([this] {
    // Behind the requests: this thread alone runs at a lower priority.
    (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
    const Status trained = train_model();
    if (!trained.ok()) std::cerr << "people: training the matching model failed\n";
    std::lock_guard done(training_mutex_);
    training_running_ = false;
  });
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

// May this user see that person record? (Its relatives are shown only to
// those who may see them.)
bool may_see(const domain::Actor& actor, const domain::PersonState& person) {
  domain::PersonRelation relation;
  relation.restricted = person.restricted;
  return domain::authorize_person(actor, Permission::kViewPerson, relation).ok();
}

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
    for (const auto& r : rows) streams.push_back(contact_stream(r.integer(0)));
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
    FD_ASSIGN_OR_RETURN(auto entries, storage::AuditLog::for_subject(tx, person_stream(id)));
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

Result<std::vector<DuplicatePair>> People::find_duplicates(const Principal& who,
                                                           std::size_t limit) {
  const auto actor = who.user.actor();
  FD_ASSIGN_OR_RETURN(auto basis, domain::authorize(actor, Permission::kMergePeople));
  FD_TRY(refresh_index());
  namespace lk = domain::linkage;
  std::vector<std::int64_t> ids;
  std::vector<lk::LinkRecord> records;
  index_->for_each_record([&](std::int64_t id, const lk::LinkRecord& r) {
    ids.push_back(id);
    records.push_back(r);
  });
  const lk::Linker linker = index_->linker();
  lk::Bands bands;
  bands.review = matching_.review_probability;
  bands.auto_link = matching_.auto_link_probability;
  struct Found {
    std::int64_t first = 0;
    std::int64_t second = 0;
    lk::ScoredPair pair;
    std::uint32_t left = 0;
    std::uint32_t right = 0;
  };
  std::vector<Found> found;
  for (const auto& p : lk::candidate_pairs(records, nullptr)) {
    auto scored = linker.score(records[p.left], records[p.right], bands);
    if (scored.band == lk::Band::kNoMatch) continue;
    // Brothers and sisters share the address, the postcode and the family
    // name, which alone would make them look alike: a duplicate needs the
    // person's own details to agree as well (the date of birth at least in
    // month and year, the given names at least in an initial).
    const auto& levels = scored.comparison.levels;
    if (levels[lk::kDateOfBirth] > 3 || levels[lk::kGivenName] > 4) continue;
    const auto a = std::min(ids[p.left], ids[p.right]);
    const auto b = std::max(ids[p.left], ids[p.right]);
    found.push_back(
        {a, b, scored, ids[p.left] == a ? p.left : p.right, ids[p.left] == a ? p.right : p.left});
  }
  std::sort(found.begin(), found.end(), [](const Found& x, const Found& y) {
    if (x.pair.probability != y.pair.probability) return x.pair.probability > y.pair.probability;
    return std::pair(x.first, x.second) < std::pair(y.first, y.second);
  });
  if (found.size() > limit) found.resize(limit);
  std::vector<DuplicatePair> out;
  const Instant now = clock_.now();
  FD_TRY(db_.write([&](Transaction& tx) -> Status {
    for (const auto& f : found) {
      FD_ASSIGN_OR_RETURN(auto first, state_from_projection(tx, f.first));
      FD_ASSIGN_OR_RETURN(auto second, state_from_projection(tx, f.second));
      if (!may_see(actor, first) || !may_see(actor, second)) continue;
      out.push_back(DuplicatePair{summary_of(first), summary_of(second), f.pair.probability,
                                  lk::to_string(f.pair.band),
                                  linker.explain(records[f.left], records[f.right])});
    }
    return storage::AuditLog::record(tx, actor, now, "find_duplicates", "people/duplicates",
                                     basis.reason, storage::AuditOutcome::kAllowed);
  }));
  return out;
}

Result<People::MergeView> People::compare(const Principal& who, std::int64_t id,
                                          std::optional<std::int64_t> other) {
  const auto actor = who.user.actor();
  FD_ASSIGN_OR_RETURN(auto basis, domain::authorize(actor, Permission::kMergePeople));
  const Instant now = clock_.now();
  MergeView view;
  std::optional<Error> unknown_other;
  auto work = [&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(view.person, person_for(tx, actor, id, Permission::kEditPerson));
    FD_TRY(storage::AuditLog::record(tx, actor, now, "view", person_stream(id), basis.reason,
                                     storage::AuditOutcome::kAllowed));
    if (!other) return ok_status();
    auto second = person_for(tx, actor, *other, Permission::kEditPerson);
    if (!second.ok() || *other == id) {
      if (!second.ok() && second.error().code != ErrorCode::kNotFound)
        return std::move(second).error();
      unknown_other =
          Error::field("with", *other == id ? "Enter the number of a different person record"
                                            : "There is no person record with that number");
      return ok_status();
    }
    view.other = std::move(second).value();
    return storage::AuditLog::record(tx, actor, now, "view", person_stream(*other), basis.reason,
                                     storage::AuditOutcome::kAllowed);
  };
  FD_TRY(log_if_refused(db_, actor, now, "view", person_stream(id), db_.write(work)));
  if (unknown_other) return *unknown_other;
  if (view.other) {
    namespace lk = domain::linkage;
    const auto a = lk::make_link_record(domain::to_search_record(view.person));
    const auto b = lk::make_link_record(domain::to_search_record(*view.other));
    const auto linker = index_->linker();
    lk::Bands bands;
    bands.review = matching_.review_probability;
    bands.auto_link = matching_.auto_link_probability;
    const auto scored = linker.score(a, b, bands);
    view.comparison =
        DuplicatePair{summary_of(view.person), summary_of(*view.other), scored.probability,
                      lk::to_string(scored.band), linker.explain(a, b)};
  }
  return view;
}

namespace {

// A merge or unmerge is written to the audit log of both records.
Status audit_both(Transaction& tx, const domain::Actor& actor, Instant now, const char* action,
                  std::int64_t duplicate, std::int64_t keep, const std::string& what) {
  for (const auto id : {duplicate, keep}) {
    FD_TRY(storage::AuditLog::record(tx, actor, now, action, person_stream(id), what,
                                     storage::AuditOutcome::kAllowed));
  }
  return ok_status();
}

}  // namespace

Result<domain::PersonState> People::merge(const Principal& who, std::int64_t duplicate,
                                          std::int64_t keep, const std::string& reason) {
  const auto actor = who.user.actor();
  FD_TRY(domain::authorize(actor, Permission::kMergePeople));
  const Instant now = clock_.now();
  std::optional<domain::PersonState> kept;
  auto work = [&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto dup, person_for(tx, actor, duplicate, Permission::kEditPerson));
    auto other = person_for(tx, actor, keep, Permission::kEditPerson);
    if (!other.ok()) {
      if (other.error().code != ErrorCode::kNotFound) return std::move(other).error();
      return Error::field("keep", "There is no person with that identifier");
    }
    FD_TRY(run_person_command(
        tx, actor, duplicate, dup.version, now,
        [&](const domain::PersonState& s) { return domain::merge_duplicate(s, *other, reason); }));
    FD_ASSIGN_OR_RETURN(kept, run_person_command(tx, actor, keep, other->version, now,
                                                 [&](const domain::PersonState& s) {
                                                   return domain::receive_duplicate(s, dup, reason);
                                                 }));
    return audit_both(
        tx, actor, now, "merge", duplicate, keep,
        "P" + std::to_string(duplicate) + " merged into P" + std::to_string(keep) + ": " + reason);
  };
  FD_TRY(log_if_refused(db_, actor, now, "merge", person_stream(duplicate), db_.write(work)));
  FD_TRY(refresh_index());
  return *kept;
}

Result<domain::PersonState> People::unmerge(const Principal& who, std::int64_t duplicate,
                                            const std::string& reason) {
  const auto actor = who.user.actor();
  FD_TRY(domain::authorize(actor, Permission::kMergePeople));
  const Instant now = clock_.now();
  std::optional<domain::PersonState> separated;
  auto work = [&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto dup, person_for(tx, actor, duplicate, Permission::kEditPerson));
    // Refused (not merged, no reason) before the other record is read.
    FD_TRY(domain::unmerge_duplicate(dup, reason));
    const std::int64_t keep = *dup.merged_into;
    FD_ASSIGN_OR_RETURN(auto kept, person_for(tx, actor, keep, Permission::kEditPerson));
    FD_ASSIGN_OR_RETURN(separated, run_person_command(tx, actor, duplicate, dup.version, now,
                                                      [&](const domain::PersonState& s) {
                                                        return domain::unmerge_duplicate(s, reason);
                                                      }));
    FD_TRY(run_person_command(
        tx, actor, keep, kept.version, now,
        [&](const domain::PersonState& s) { return domain::release_duplicate(s, dup, reason); }));
    return audit_both(tx, actor, now, "unmerge", duplicate, keep,
                      "P" + std::to_string(duplicate) + " unmerged from P" + std::to_string(keep) +
                          ": " + reason);
  };
  FD_TRY(log_if_refused(db_, actor, now, "unmerge", person_stream(duplicate), db_.write(work)));
  FD_TRY(refresh_index());
  return *separated;
}

Result<People::BulkRecords> People::bulk_records(const std::string& operator_name,
                                                 const std::string& purpose) {
  if (operator_name.empty() || purpose.empty()) {
    return Error::validation("A read of every person record must name its operator and purpose");
  }
  FD_TRY(refresh_index());
  std::vector<std::pair<std::int64_t, domain::linkage::LinkRecord>> all;
  index_->for_each_record(
      [&all](std::int64_t id, const domain::linkage::LinkRecord& r) { all.emplace_back(id, r); });
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  const std::string basis = "Every person record read (" + std::to_string(all.size()) +
                            ") at the shell by operator " + operator_name + ": " + purpose;
  FD_TRY(db_.write([&](Transaction& tx) -> Status {
    return storage::AuditLog::record(tx, domain::Actor::system(), clock_.now(), "bulk_match",
                                     "people/all", basis, storage::AuditOutcome::kAllowed);
  }));
  BulkRecords out;
  out.ids.reserve(all.size());
  out.records.reserve(all.size());
  for (auto& [id, record] : all) {
    out.ids.push_back(id);
    out.records.push_back(std::move(record));
  }
  return out;
}

}  // namespace frontdoor::app
