#pragma once
// Comparing two person records field by field, into the levels of the
// Fellegi–Sunter model (domain/fellegi_sunter.hpp): given name, family name,
// date of birth, postcode, address and identifier. Each level reads as a
// sentence a worker understands ("given name is a known nickname or short
// form of the other"). Pure: no I/O.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/fellegi_sunter.hpp"
#include "domain/person_search.hpp"

namespace frontdoor::domain::linkage {

enum PersonComparison : std::size_t {
  kGivenName = 0,
  kFamilyName,
  kDateOfBirth,
  kPostcode,
  kAddress,
  kIdentifier,
  kPersonComparisons,
};

// The comparisons and their levels, in PersonComparison order.
std::vector<ComparisonSpec> person_comparison_specs();

// A person normalised for comparison. A person who has moved keeps the
// previous addresses: a postcode or address agrees when any of one record's
// agrees with any of the other's.
struct LinkRecord {
  std::vector<std::string> given_names;   // folded words, the first given name first
  std::vector<std::string> family_names;  // folded, each whole (smithjones), current first
  std::vector<std::string> family_parts;  // the words of family names of several words
  std::optional<std::chrono::sys_days> date_of_birth;
  std::vector<std::string> postcodes;               // normalised (SW1A1AA), current first
  std::vector<std::vector<std::string>> addresses;  // address words of each line, current first
  std::vector<std::string> identifiers;             // normalised
};

LinkRecord make_link_record(const PersonSearchRecord& person);

struct PairComparison {
  std::array<std::int8_t, kPersonComparisons> levels{};
  bool names_swapped = false;  // compared as given <-> family
};

PairComparison compare(const LinkRecord& a, const LinkRecord& b);

// compare(a, b) with the levels of the two first given names
// (given_word_level(a.given_names.front(), b.given_names.front())) and the
// two current family names (family_word_level(...)) already known, e.g.
// worked out once for every distinct name a search meets. Either is ignored
// when a record lacks that name.
PairComparison compare(const LinkRecord& a, const LinkRecord& b, std::int8_t given_front,
                       std::int8_t family_front);

// The level of agreement of two folded given-name words (the given-name
// comparison's levels 0 to 5, without the middle-name rule); exposed for
// tests and for the index's candidate checks.
std::int8_t given_word_level(const std::string& a, const std::string& b);
// The same for two whole family names (levels 0, 2, 3 and 4: a previous
// name or one part of a double-barrelled name is compare()'s to find).
std::int8_t family_word_level(const std::string& a, const std::string& b);

// A folded name word (as in a LinkRecord) with what the word levels need
// of it worked out beforehand, for comparing one word with many: its
// Metaphone code and its nickname groups (name_matching::nickname_groups_of,
// nullptr for none). The levels are those of the overloads above.
struct NameWord {
  std::string_view text;
  std::string_view code;
  const std::vector<std::uint16_t>* groups = nullptr;
};
std::int8_t given_word_level(const NameWord& a, const NameWord& b);
std::int8_t family_word_level(const NameWord& a, const NameWord& b);

}  // namespace frontdoor::domain::linkage
