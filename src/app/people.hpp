#pragma once
// Person records: create, read (audited), search, household and chronology.
// The search index lives in memory and follows the event log by sequence
// number, so it stays current with every write, including other processes'.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/accounts.hpp"
#include "app/contacts.hpp"
#include "app/records.hpp"
#include "core/result.hpp"
#include "domain/linker.hpp"
#include "domain/person.hpp"
#include "domain/person_search.hpp"
#include "domain/views.hpp"
#include "storage/audit_log.hpp"
#include "storage/database.hpp"

namespace frontdoor::app {

using domain::ChronologyEntry;
using domain::DuplicatePair;
using domain::HouseholdMember;
using domain::MatchingModelStatus;
using domain::PersonSummary;

struct PersonView {
  domain::PersonState person;
  // Only the relatives this user may see themselves (no restricted record
  // shows through someone else's household).
  std::vector<HouseholdMember> household;
  std::string access_basis;
  std::vector<ChronologyEntry> chronology;  // when asked for
};

enum class WithChronology : bool { kNo, kYes };

struct PersonAccessLog {
  domain::PersonState person;
  std::vector<storage::AuditEntry> entries;
};

// How person matching is set up (frontdoor.json "matching").
struct MatchingPolicy {
  // Match probabilities at or above which a candidate is offered for
  // review, and linked automatically. No automatic link below auto_link.
  double review_probability = 0.5;
  double auto_link_probability = 0.999;
  // The model is trained on the store's own records once it holds this
  // many people, and again each time their number has grown by a quarter.
  std::size_t train_minimum_people = 1000;
  // m is estimated by EM from the store (not kept from the reference model)
  // once it holds this many people: fewer, and look-alikes such as siblings
  // outnumber true duplicates among the candidate pairs.
  std::size_t em_minimum_people = 10000;
  // Training draws at most this many of the store's people at random, so
  // that its time and memory stay bounded however large the store.
  std::size_t training_sample = 50000;
};

class People {
 public:
  People(storage::Database& db, const Clock& clock, MatchingPolicy matching = {});
  ~People();
  People(const People&) = delete;
  People& operator=(const People&) = delete;

  // Loads the index from the projection at start-up, then follows the log.
  Status load_index();
  // Applies every person event recorded since the last refresh to the index.
  Status refresh_index();
  std::size_t index_size() const { return index_->size(); }

  // Trains the matching model on the people in the index now: u and the
  // name frequencies from the store's own records, m by EM once there are
  // em_minimum_people (else the reference model's), the prior the reference
  // model's (the chance a person searched for is a given candidate). Runs
  // in the background by itself as the store grows (see MatchingPolicy);
  // this call trains now and waits.
  Status train_model();
  MatchingModelStatus model_status() const;
  // The linker that ranks searches now (model and name frequencies).
  domain::linkage::Linker linker() const;
  // The person record a child on a new contact is linked to without a
  // person looking: the one candidate at or above the automatic-link
  // probability, when no other reaches the review probability and the
  // record is not restricted. Nothing otherwise: a worker links at screening.
  Result<std::optional<AutomaticLink>> automatic_link(storage::Transaction& tx,
                                                      const domain::ChildOnContact& child,
                                                      const domain::ContactDetails& contact);
  const MatchingPolicy& matching() const { return matching_; }

  Result<domain::PersonState> create(const Principal& who, domain::PersonDetails details);
  // Reads a person record: checks access and writes one audit entry, whether
  // or not the chronology is read with it.
  Result<PersonView> view(const Principal& who, std::int64_t id,
                          WithChronology with = WithChronology::kNo);
  // What a worker typed in the one search box, read as a date of birth, a
  // postcode, an identifier (NHS number, UPN, LA or police reference) or a
  // name, so that each is matched as what it is.
  static domain::PersonQuery query_from_text(const std::string& text);
  Result<std::vector<PersonSummary>> search(const Principal& who, const domain::PersonQuery& query);
  // A child's history: their own record's events and every contact naming
  // them (a read of the record like view(), audited once).
  Result<std::vector<ChronologyEntry>> chronology(const Principal& who, std::int64_t id);
  // Who viewed (or was refused) a person's record: for administrators and
  // managers. Reading the log is itself logged; it does not open the record.
  Result<PersonAccessLog> viewers(const Principal& who, std::int64_t id);
  // Corrects recorded details (names, date of birth, identifiers...) with a
  // reason; the earlier values stay in the record's history.
  Result<domain::PersonState> correct(const Principal& who, std::int64_t id,
                                      std::int64_t expected_version, domain::PersonDetails details,
                                      const std::string& reason);
  // A new current address; the old one joins the previous addresses.
  Result<domain::PersonState> move(const Principal& who, std::int64_t id,
                                   std::int64_t expected_version, domain::PersonAddress address);
  Result<domain::PersonState> record_relationship(const Principal& who, std::int64_t id,
                                                  std::int64_t other,
                                                  domain::RelationshipKind kind);
  // Restricts the record to MASH team managers, with the reason.
  Result<domain::PersonState> restrict(const Principal& who, std::int64_t id,
                                       const std::string& reason);

  // The duplicate-finder: pairs of records (not merged) whose match
  // probability reaches the review band, most likely first, at most `limit`.
  // Audited as one read of the list.
  Result<std::vector<DuplicatePair>> find_duplicates(const Principal& who, std::size_t limit = 50);
  // Two records side by side before a merge, with the model's view of them:
  // each read is audited. `other` absent: just the first record.
  struct MergeView {
    domain::PersonState person;
    std::optional<domain::PersonState> other;
    std::optional<DuplicatePair> comparison;
  };
  Result<MergeView> compare(const Principal& who, std::int64_t id,
                            std::optional<std::int64_t> other);
  // Merges `duplicate` into `keep`: one event on each record, with the
  // reason, in one transaction; both are audited. The duplicate leaves the
  // search; its history shows in the kept record's chronology. Returns the
  // kept record.
  Result<domain::PersonState> merge(const Principal& who, std::int64_t duplicate, std::int64_t keep,
                                    const std::string& reason);
  // Undoes a merge: both records are as they were before it. Returns the
  // duplicate.
  Result<domain::PersonState> unmerge(const Principal& who, std::int64_t duplicate,
                                      const std::string& reason);

  // Every person record in the search index (merged ones are found through
  // the record they were merged into; restricted ones are included), as
  // comparison records with their ids, in the order of the ids: for linking
  // a file against the whole store at the shell (`frontdoor match
  // --against-store`). A read of every child's record, so audited: one entry
  // by Frontdoor itself, action "bulk_match", subject "people/all", whose
  // basis names the operator (the account at the shell), the purpose and
  // the number of records read. If the entry cannot be written nothing is
  // returned. Nothing else in the store changes.
  struct BulkRecords {
    std::vector<std::int64_t> ids;
    std::vector<domain::linkage::LinkRecord> records;  // records[i] is person ids[i]'s
  };
  Result<BulkRecords> bulk_records(const std::string& operator_name, const std::string& purpose);

 private:
  // Runs one command on a person record (checked for kEditPerson, and for the
  // record's restriction; a refusal is logged) and keeps the search index current.
  Result<domain::PersonState> edit(const Principal& who, std::int64_t id,
                                   std::int64_t expected_version, const PersonDecider& decide,
                                   const std::string& action);
  // Starts a training in the background when the store has grown enough.
  void train_if_grown();

  storage::Database& db_;
  const Clock& clock_;
  MatchingPolicy matching_;
  std::unique_ptr<domain::InMemoryPersonSearch> index_;
  std::mutex refresh_mutex_;
  std::atomic<std::int64_t> indexed_seq_{0};
  std::atomic<std::int64_t> index_load_ms_{0};
  mutable std::mutex training_mutex_;  // guards the three below
  MatchingModelStatus model_status_;
  std::thread training_;
  bool training_running_ = false;
};

// A one-line, readable description of an event for a chronology.
std::string describe_event(const domain::RecordedEvent& e);

}  // namespace frontdoor::app
