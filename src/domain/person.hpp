#pragma once
// People: children, unborn children and adults, with their names over time,
// addresses over time, identifiers and relationships. State is the fold of
// the person's events (stream "person/<id>").
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/event.hpp"

namespace frontdoor::domain {

enum class PersonKind { kChild, kUnborn, kAdult };
std::string_view to_string(PersonKind);
std::optional<PersonKind> parse_person_kind(std::string_view);

enum class RelationshipKind { kParent, kCarer, kSibling, kHouseholdMember, kPartner, kChild };
std::string_view to_string(RelationshipKind);
std::string_view label(RelationshipKind);
std::optional<RelationshipKind> parse_relationship_kind(std::string_view);
// The same relationship seen from the other person: parent <-> child.
RelationshipKind reciprocal(RelationshipKind);

struct PersonName {
  std::string given_name;
  std::string family_name;
  std::string kind;  // "current", "previous", "alias", "birth"
};

struct PersonAddress {
  std::string line;
  std::string postcode;
  std::optional<std::chrono::sys_days> from;
  std::optional<std::chrono::sys_days> to;
};

struct PersonIdentifiers {
  std::string nhs_number;  // 10 digits, validated
  std::string upn;         // 13 characters, validated
  std::string la_child_id;
  std::string police_reference;
};

struct Relationship {
  std::int64_t person_id = 0;
  RelationshipKind kind = RelationshipKind::kHouseholdMember;
};

struct PersonDetails {
  PersonKind kind = PersonKind::kChild;
  std::string given_name;
  std::string family_name;
  std::vector<PersonName> other_names;
  std::optional<std::chrono::sys_days> date_of_birth;
  std::optional<std::chrono::sys_days> expected_date_of_birth;
  std::string sex;        // CIN gender code
  std::string ethnicity;  // CIN ethnicity code
  PersonIdentifiers identifiers;
  std::optional<PersonAddress> address;  // current address
};

struct PersonState {
  std::int64_t id = 0;
  std::int64_t version = 0;
  PersonDetails details;
  std::vector<PersonAddress> previous_addresses;
  std::vector<Relationship> relationships;
  bool restricted = false;
  // A duplicate merged into another record: it stays, with its own history,
  // but searches and links go to the record it was merged into.
  std::optional<std::int64_t> merged_into;
  // Duplicates merged into this record (and not unmerged), oldest first:
  // their histories show in this record's chronology.
  std::vector<std::int64_t> merged_from;

  std::string full_name() const;
};

namespace person_events {
inline constexpr const char* kRecorded = "PersonRecorded";
inline constexpr const char* kDetailsCorrected = "PersonDetailsCorrected";
inline constexpr const char* kMoved = "PersonMoved";
inline constexpr const char* kRelationshipRecorded = "RelationshipRecorded";
// The record is restricted: from then on only MASH team managers may read or
// change it (domain::authorize_person), and searches by anyone else skip it.
inline constexpr const char* kRestricted = "PersonRestricted";
// A merge is two events in one transaction, one on each record: the
// duplicate's "merged into" and the kept record's "duplicate merged". An
// unmerge is the same pair undone. Nothing of either record is rewritten or
// deleted, so an unmerge gives back both exactly as they were.
inline constexpr const char* kMergedInto = "PersonMergedInto";
inline constexpr const char* kDuplicateMerged = "PersonDuplicateMerged";
inline constexpr const char* kUnmerged = "PersonUnmerged";
inline constexpr const char* kDuplicateUnmerged = "PersonDuplicateUnmerged";
}  // namespace person_events

void apply(PersonState& state, const RecordedEvent& event);
PersonState fold_person(std::int64_t id, const std::vector<RecordedEvent>& events);

// Validates identifiers (NHS number check digit, UPN check letter) and
// normalises them in place.
Status normalise_person_details(PersonDetails& details, Instant now);
Result<std::vector<NewEvent>> record_person(PersonDetails details, Instant now);
Result<std::vector<NewEvent>> correct_person_details(const PersonState& state,
                                                     PersonDetails details,
                                                     const std::string& reason, Instant now);
Result<std::vector<NewEvent>> record_move(const PersonState& state, PersonAddress address);
Result<std::vector<NewEvent>> record_relationship(const PersonState& state, std::int64_t other,
                                                  RelationshipKind kind);
// Restricts the record (a child in a refuge, a high-profile family), with the
// reason; a record is restricted once and stays so.
Result<std::vector<NewEvent>> restrict_person(const PersonState& state, const std::string& reason);

nlohmann::json to_json(const PersonDetails& d);
Result<PersonDetails> person_details_from_json(const nlohmann::json& j);
nlohmann::json to_json(const PersonState& s);

// Age in whole years on a date (for display: "7 years").
// Merging `duplicate` into `kept`, with the reason: the events of each
// record. Refused for a record merged already (either way round), a record
// merged into itself, or without a reason.
Result<std::vector<NewEvent>> merge_duplicate(const PersonState& duplicate, const PersonState& kept,
                                              const std::string& reason);
Result<std::vector<NewEvent>> receive_duplicate(const PersonState& kept,
                                                const PersonState& duplicate,
                                                const std::string& reason);
// Undoing a merge, with the reason: the events of the duplicate and of the
// record it was merged into.
Result<std::vector<NewEvent>> unmerge_duplicate(const PersonState& duplicate,
                                                const std::string& reason);
Result<std::vector<NewEvent>> release_duplicate(const PersonState& kept,
                                                const PersonState& duplicate,
                                                const std::string& reason);

std::optional<int> age_on(const PersonDetails& d, std::chrono::sys_days on);

}  // namespace frontdoor::domain
