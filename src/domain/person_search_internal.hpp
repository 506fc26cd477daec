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

// A word not in the index's vocabulary (a query's, or one not yet indexed).
constexpr std::uint32_t kNoWord = 0xFFFFFFFF;

struct NameToken {
  std::string text;  // folded
  std::string code;  // metaphone
  std::array<std::uint16_t, kMaxGroups> groups{};
  std::uint8_t group_count = 0;
  std::uint8_t flags = 0;
  std::uint32_t word = kNoWord;  // the index's id of text, once indexed
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
  // The index's ids of link's first given name and current family name
  // (kNoWord when there is none), set when indexed.
  std::uint32_t given_word = kNoWord;
  std::uint32_t family_word = kNoWord;
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

// At most this many name tokens in a query, given and family together.
constexpr std::size_t kMaxQueryTokens = 8;

PreparedQuery prepare(const PersonQuery& q);

// How two name words agree, for score_entry().
enum class Level : std::uint8_t { kNone, kInitial, kSimilar, kPhonetic, kTypo, kNickname, kExact };

struct TokenMatch {
  double value = 0;
  Level level = Level::kNone;
};

TokenMatch compare_tokens(const NameToken& q, const NameToken& r);

// What a search works out once for each distinct word of the index it
// meets, since the same words recur across its candidates: compare_tokens()
// of every query token with the word, and the ranking model's levels of the
// query's first given name and current family name against it (as a
// candidate's first given name, as a current family name, and, for a query
// of one free-text word, that word as a given name). One a thread, reused
// from search to search.
class WordMemo {
 public:
  // A new search of an index whose word ids are below `words`.
  void start(const PreparedQuery& q, std::size_t words);
  // compare_tokens(query token i, r) for i over the query's given tokens,
  // then its family tokens.
  const TokenMatch* matches(const NameToken& r);
  // linkage::given_word_level(q.link's first given name, w), w the word's.
  std::int8_t given_level(std::uint32_t word, const linkage::NameWord& w);
  // linkage::family_word_level(q.link's current family name, w).
  std::int8_t family_level(std::uint32_t word, const linkage::NameWord& w);
  // linkage::given_word_level(q.link_as_given's first given name, w).
  std::int8_t as_given_level(std::uint32_t word, const linkage::NameWord& w);

 private:
  static constexpr std::int8_t kUnknown = -2;
  struct Row {
    std::array<TokenMatch, kMaxQueryTokens> matches{};
    bool matched = false;
    std::int8_t given = kUnknown;
    std::int8_t family = kUnknown;
    std::int8_t as_given = kUnknown;
  };
  Row& row(std::uint32_t word);

  const PreparedQuery* q_ = nullptr;
  // The query's names as the word levels take them.
  std::string given_code_, family_code_, as_given_code_;
  linkage::NameWord given_, family_, as_given_;
  std::vector<std::uint32_t> stamp_;  // per word id: the search that filled its row
  std::vector<std::uint32_t> at_;     // per word id: its row
  std::vector<Row> rows_;
  std::uint32_t generation_ = 0;
  Row spare_;  // for a word without an id
};

// The date with day and month swapped, when that is a different valid date.
std::optional<std::chrono::sys_days> day_month_swapped(std::chrono::sys_days d);

// How well a person agrees with a query, in [0, 1]; the reasons in words
// when reasons is not null.
// memo, when given, must have been started with q.
double score_entry(const PreparedQuery& q, const Entry& e, std::vector<std::string>* reasons,
                   WordMemo* memo = nullptr);

}  // namespace frontdoor::domain::person_search_detail
