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

class People {
 public:
  People(storage::Database& db, const Clock& clock);

  // Loads the index from the projection at start-up, then follows the log.
  Status load_index();
  // Applies every person event recorded since the last refresh to the index.
  Status refresh_index();
  std::size_t index_size() const { return index_->size(); }

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

 private:
  // Runs one command on a person record (checked for kEditPerson, and for the
  // record's restriction; a refusal is logged) and keeps the search index current.
  Result<domain::PersonState> edit(const Principal& who, std::int64_t id,
                                   std::int64_t expected_version, const PersonDecider& decide,
                                   const std::string& action);
  storage::Database& db_;
  const Clock& clock_;
  std::unique_ptr<domain::PersonSearch> index_;
  std::mutex refresh_mutex_;
  std::atomic<std::int64_t> indexed_seq_{0};
};

// A one-line, readable description of an event for a chronology.
std::string describe_event(const domain::RecordedEvent& e);

}  // namespace frontdoor::app
