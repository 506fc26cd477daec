#pragma once
// Internal to person search (person_search.cpp, person_search_scoring.cpp):
// the index's view of a person and of a query, shared by the index and the
// scoring. Not part of the public API.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/person_comparison.hpp"
#include "domain/person_search.hpp"

namespace frontdoor::domain::person_search_detail {

constexpr std::size_t kMaxGroups = 4;

enum TokenFlags : std::uint8_t {
  kPrevious = 1,  // from a previous or alternative name
  kPart = 2,      // one word of a name of several words (Smith of Smith-Jones)
  kMiddle = 4,    // a given name that is not the first word of the current given name
  kJoined = 8,    // the words of a several-word name run together (smithjones)
};

struct NameToken {
  std::string text;  // folded
  std::string code;  // metaphone
  std::array<std::uint16_t, kMaxGroups> groups{};
  std::uint8_t group_count = 0;
  std::uint8_t flags = 0;
};

// The words of one name as tokens: each word (particles only within the
// joined form, for family names) plus the joined form.
void add_name(std::vector<NameToken>& tokens, std::string_view name, bool family,
              std::uint8_t base_flags, bool first_is_primary);

struct Postcode {
  std::string full;     // normalised
  std::string outward;  // SW1A
  std::string sector;   // SW1A1 (empty for a partial postcode)
};

Postcode make_postcode(std::string_view raw);

struct Entry {
  std::int64_t person_id = 0;
  bool live = false;
  std::vector<NameToken> given;
  std::vector<NameToken> family;
  std::optional<std::chrono::sys_days> date_of_birth;
  std::vector<Postcode> postcodes;  // current first
  std::vector<std::vector<std::string>> addresses;
  std::vector<std::string> identifiers;
  linkage::LinkRecord link;  // the same person as the ranking model compares it
};

struct PreparedQuery {
  bool either_name = false;  // one free-text word: a given or a family name
  std::vector<NameToken> given;
  std::vector<NameToken> family;
  std::optional<std::chrono::sys_days> date_of_birth;
  std::optional<Postcode> postcode;
  std::vector<std::string> address;
  std::string identifier;
  // The query as the ranking model compares it; with one free-text word,
  // link has it as a family name and link_as_given as a given name.
  linkage::LinkRecord link;
  std::optional<linkage::LinkRecord> link_as_given;
};

PreparedQuery prepare(const PersonQuery& q);

// The date with day and month swapped, when that is a different valid date.
std::optional<std::chrono::sys_days> day_month_swapped(std::chrono::sys_days d);

// How well a person agrees with a query, in [0, 1]; the reasons in words
// when reasons is not null.
double score_entry(const PreparedQuery& q, const Entry& e, std::vector<std::string>* reasons);

}  // namespace frontdoor::domain::person_search_detail
