#pragma once
// Person records: create, read (audited), search, household and chronology.
// The search index lives in memory and follows the event log by sequence
// number, so it stays current with every write, including other processes'.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/records.hpp"
#include "core/result.hpp"
#include "domain/person.hpp"
#include "domain/person_search.hpp"
#include "domain/views.hpp"
#include "storage/audit_log.hpp"
#include "storage/database.hpp"

namespace frontdoor::app {

using domain::ChronologyEntry;
using domain::HouseholdMember;
using domain::PersonSummary;

struct PersonView {
  domain::PersonState person;
  std::vector<HouseholdMember> household;
  std::string access_basis;
};

struct PersonAccessLog {
  domain::PersonState person;
  std::vector<storage::AuditEntry> entries;
};

class People {
 public:
  People(storage::Database& db, const Clock& clock);

  // Loads the index from the projection at start-up, then follows the log.
  Status load_index();
  // Applies every person event recorded since the last refresh to the index.
  Status refresh_index();
  std::size_t index_size() const { return index_->size(); }

  Result<domain::PersonState> create(const Principal& who, domain::PersonDetails details);
  Result<PersonView> view(const Principal& who, std::int64_t id);
  // What a worker typed in the one search box, read as a date of birth, a
  // postcode, an identifier (NHS number, UPN, LA or police reference) or a
  // name, so that each is matched as what it is.
  static domain::PersonQuery query_from_text(const std::string& text);
  Result<std::vector<PersonSummary>> search(const Principal& who, const domain::PersonQuery& query);
  // A child's history: their own record's events and every contact naming them.
  Result<std::vector<ChronologyEntry>> chronology(const Principal& who, std::int64_t id);
  // Who has read this person's record (and who was refused).
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

 private:
  // Runs one command on a person record (checked for kEditPerson) and keeps
  // the search index current.
  Result<domain::PersonState> edit(const Principal& who, std::int64_t id,
                                   std::int64_t expected_version, const PersonDecider& decide);
  storage::Database& db_;
  const Clock& clock_;
  std::unique_ptr<domain::PersonSearch> index_;
  std::mutex refresh_mutex_;
  std::atomic<std::int64_t> indexed_seq_{0};
};

// A one-line, readable description of an event for a chronology.
std::string describe_event(const domain::RecordedEvent& e);

}  // namespace frontdoor::app
