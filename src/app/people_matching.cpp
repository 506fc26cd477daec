// People: person matching in the service (issue #4): training the model on
// the store's own people, automatic links, the duplicate-finder, comparing,
// merging and unmerging records, and the audited bulk read of `frontdoor
// match`. The rest of the People service is in people.cpp.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <random>

#include "app/people.hpp"
#include "app/people_internal.hpp"
#include "app/records.hpp"
#include "domain/access.hpp"
#include "domain/linker.hpp"

namespace frontdoor::app {

using domain::Permission;
using people_detail::may_see;
using people_detail::state_from_projection;
using people_detail::summary_of;
using storage::Transaction;

namespace {

// See People::train_model().
constexpr double kMinimumU = 0.001;
constexpr std::uint64_t kTrainingSeed = 20261201;

}  // namespace

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
