#include "domain/person_comparison.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string_view>

#include "domain/name_matching.hpp"
#include "domain/person_search_internal.hpp"

namespace frontdoor::domain::linkage {
namespace {

namespace nm = name_matching;

// Given name levels.
constexpr std::int8_t kGivenExact = 0;
constexpr std::int8_t kGivenNickname = 1;
constexpr std::int8_t kGivenClose = 2;
constexpr std::int8_t kGivenSounds = 3;
constexpr std::int8_t kGivenInitialOrMiddle = 4;
constexpr std::int8_t kGivenDiffers = 5;
// Family name levels.
constexpr std::int8_t kFamilyExact = 0;
constexpr std::int8_t kFamilyOtherOrPart = 1;
constexpr std::int8_t kFamilyClose = 2;
constexpr std::int8_t kFamilySounds = 3;
constexpr std::int8_t kFamilyDiffers = 4;
// Date of birth levels.
constexpr std::int8_t kDobExact = 0;
constexpr std::int8_t kDobSwapped = 1;
constexpr std::int8_t kDobOneDigit = 2;
constexpr std::int8_t kDobYearMonth = 3;
constexpr std::int8_t kDobDayMonth = 4;
constexpr std::int8_t kDobDiffers = 5;
// Postcode levels.
constexpr std::int8_t kPostcodeExact = 0;
constexpr std::int8_t kPostcodeSector = 1;
constexpr std::int8_t kPostcodeDistrict = 2;
constexpr std::int8_t kPostcodeDiffers = 3;
// Address levels.
constexpr std::int8_t kAddressSame = 0;
constexpr std::int8_t kAddressNumberAndStreet = 1;
constexpr std::int8_t kAddressDiffers = 2;
// Identifier levels.
constexpr std::int8_t kIdentifierSame = 0;
constexpr std::int8_t kIdentifierDiffers = 1;

// A slip of the keyboard: Jaro–Winkler of at least 0.92, or one edit in a
// name of four letters or more. Sounding alike: the same Metaphone code, or
// Jaro–Winkler of at least 0.85. jw is jaro_winkler(a, b).
bool close_spelling(std::string_view a, std::string_view b, double jw) {
  if (jw >= 0.92) return true;
  return std::min(a.size(), b.size()) >= 4 && nm::within_one_edit(a, b);
}

bool sounds_alike(std::string_view code_a, std::string_view code_b, double jw) {
  if (jw >= 0.85) return true;
  return !code_a.empty() && code_a == code_b;
}

bool share_group(const std::vector<std::uint16_t>* a, const std::vector<std::uint16_t>* b) {
  if (a == nullptr || b == nullptr) return false;
  return std::any_of(a->begin(), a->end(), [b](std::uint16_t g) {
    return std::find(b->begin(), b->end(), g) != b->end();
  });
}

// Calls f on each of a record's family names and on each part of a family
// name of several words.
template <typename F>
bool any_family_form(const LinkRecord& r, F&& f) {
  for (const auto& x : r.family_names) {
    if (f(x)) return true;
  }
  for (const auto& x : r.family_parts) {
    if (f(x)) return true;
  }
  return false;
}

std::int8_t given_level(const LinkRecord& a, const LinkRecord& b, std::int8_t front) {
  if (a.given_names.empty() || b.given_names.empty()) return kMissing;
  const std::int8_t level = front;
  if (level > kGivenInitialOrMiddle) {
    // Known by a middle name: any word of one is any word of the other.
    for (const auto& x : a.given_names) {
      for (const auto& y : b.given_names) {
        if (x.size() > 1 && x == y) return kGivenInitialOrMiddle;
      }
    }
  }
  return level;
}

std::int8_t family_level(const LinkRecord& a, const LinkRecord& b, std::int8_t current) {
  if (a.family_names.empty() || b.family_names.empty()) return kMissing;
  if (current == kFamilyExact) return current;
  // A previous or other name, or one part of a double-barrelled name.
  const bool shared = any_family_form(a, [&b](const std::string& x) {
    return any_family_form(b, [&x](const std::string& y) { return x == y; });
  });
  return shared ? kFamilyOtherOrPart : current;
}

std::int8_t dob_level(const LinkRecord& a, const LinkRecord& b) {
  if (!a.date_of_birth || !b.date_of_birth) return kMissing;
  if (*a.date_of_birth == *b.date_of_birth) return kDobExact;
  const std::chrono::year_month_day x{*a.date_of_birth};
  const std::chrono::year_month_day y{*b.date_of_birth};
  // Day and month swapped (person_search_detail::day_month_swapped(a) == b;
  // b is a valid date, so the swapped date is too).
  const unsigned xd = static_cast<unsigned>(x.day());
  const unsigned xm = static_cast<unsigned>(x.month());
  if (xd <= 12 && xd != xm && y.year() == x.year() && static_cast<unsigned>(y.month()) == xd &&
      static_cast<unsigned>(y.day()) == xm) {
    return kDobSwapped;
  }
  auto digits = [](const std::chrono::year_month_day& d) {
    const int n = static_cast<int>(d.year()) * 10000 +
                  static_cast<int>(static_cast<unsigned>(d.month())) * 100 +
                  static_cast<int>(static_cast<unsigned>(d.day()));
    return n;
  };
  int dx = digits(x);
  int dy = digits(y);
  int differing = 0;
  for (int i = 0; i < 8; ++i, dx /= 10, dy /= 10) differing += (dx % 10 != dy % 10) ? 1 : 0;
  if (differing == 1) return kDobOneDigit;
  if (x.year() == y.year() && x.month() == y.month()) return kDobYearMonth;
  if (x.month() == y.month() && x.day() == y.day()) return kDobDayMonth;
  return kDobDiffers;
}

std::int8_t postcode_level(const LinkRecord& a, const LinkRecord& b) {
  if (a.postcodes.empty() || b.postcodes.empty()) return kMissing;
  std::int8_t best = kPostcodeDiffers;
  for (const auto& x : a.postcodes) {
    const std::string_view sx = nm::postcode_sector_view(x);
    const std::string_view ox = nm::postcode_outward_view(x);
    for (const auto& y : b.postcodes) {
      if (x == y) return kPostcodeExact;
      if (!sx.empty() && sx == nm::postcode_sector_view(y)) {
        best = std::min(best, kPostcodeSector);
      } else if (ox == nm::postcode_outward_view(y)) {
        best = std::min(best, kPostcodeDistrict);
      }
    }
  }
  return best;
}

bool is_number(std::string_view word) {
  return std::any_of(word.begin(), word.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// The distinct words of an address line, sorted, as views; on the stack
// for lines of up to kWords words.
constexpr std::size_t kWords = 24;
struct WordSet {
  std::array<std::string_view, kWords> small{};
  std::vector<std::string_view> large;
  std::size_t size = 0;
  std::string_view* data = nullptr;

  explicit WordSet(const std::vector<std::string>& words) {
    if (words.size() > kWords) {
      large.assign(words.begin(), words.end());
      data = large.data();
    } else {
      std::copy(words.begin(), words.end(), small.begin());
      data = small.data();
    }
    std::sort(data, data + words.size());
    size = static_cast<std::size_t>(std::unique(data, data + words.size()) - data);
  }
  WordSet(const WordSet&) = delete;
  WordSet& operator=(const WordSet&) = delete;
  const std::string_view* begin() const { return data; }
  const std::string_view* end() const { return data + size; }
};

std::int8_t address_pair_level(const std::vector<std::string>& x,
                               const std::vector<std::string>& y) {
  const WordSet sx(x);
  const WordSet sy(y);
  // Walk the two sorted sets together: the words in common, and whether
  // both have the same numbers.
  std::size_t common = 0;
  bool same_numbers = true;
  bool shares_number = false;
  bool shares_word = false;
  const auto* i = sx.begin();
  const auto* j = sy.begin();
  while (i != sx.end() || j != sy.end()) {
    if (j == sy.end() || (i != sx.end() && *i < *j)) {
      if (is_number(*i)) same_numbers = false;
      ++i;
    } else if (i == sx.end() || *j < *i) {
      if (is_number(*j)) same_numbers = false;
      ++j;
    } else {
      ++common;
      (is_number(*i) ? shares_number : shares_word) = true;
      ++i;
      ++j;
    }
  }
  const std::size_t all = sx.size + sy.size - common;
  if (all > 0 && same_numbers && common * 4 >= all * 3) return kAddressSame;
  if (shares_number && shares_word) return kAddressNumberAndStreet;
  return kAddressDiffers;
}

std::int8_t address_level(const LinkRecord& a, const LinkRecord& b) {
  std::int8_t best = kMissing;
  for (const auto& x : a.addresses) {
    if (x.empty()) continue;
    for (const auto& y : b.addresses) {
      if (y.empty()) continue;
      const std::int8_t level = address_pair_level(x, y);
      best = best == kMissing ? level : std::min(best, level);
    }
  }
  return best;
}

std::int8_t identifier_level(const LinkRecord& a, const LinkRecord& b) {
  if (a.identifiers.empty() || b.identifiers.empty()) return kMissing;
  for (const auto& x : a.identifiers) {
    for (const auto& y : b.identifiers) {
      if (x == y) return kIdentifierSame;
    }
  }
  return kIdentifierDiffers;
}

}  // namespace

std::vector<ComparisonSpec> person_comparison_specs() {
  return {
      {"given name",
       {"given name matches exactly", "given name is a known nickname or short form of the other",
        "given name is spelt slightly differently", "given name sounds the same",
        "given names agree only in an initial or a middle name", "given name differs"}},
      {"family name",
       {"family name matches exactly",
        "family name matches a previous name or one part of a double-barrelled name",
        "family name is spelt slightly differently", "family name sounds the same",
        "family name differs"}},
      {"date of birth",
       {"date of birth matches exactly", "date of birth has day and month swapped",
        "date of birth differs in one digit", "date of birth is in the same month and year",
        "date of birth has the same day and month in another year", "date of birth differs"}},
      {"postcode",
       {"postcode matches exactly", "postcode is in the same sector",
        "postcode is in the same district", "postcode differs"}},
      {"address",
       {"address matches", "address has the same house number and street", "address differs"}},
      {"identifier", {"identifier (NHS number or other) matches exactly", "identifiers differ"}},
  };
}

std::int8_t given_word_level(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return kMissing;
  if (a == b) return kGivenExact;
  if (nm::are_nicknames(a, b)) return kGivenNickname;
  const double jw = nm::jaro_winkler(a, b);
  if (close_spelling(a, b, jw)) return kGivenClose;
  if (jw >= 0.85 || sounds_alike(nm::metaphone(a), nm::metaphone(b), jw)) return kGivenSounds;
  if ((a.size() == 1 || b.size() == 1) && a.front() == b.front()) return kGivenInitialOrMiddle;
  return kGivenDiffers;
}

std::int8_t family_word_level(const std::string& a, const std::string& b) {
  if (a == b) return kFamilyExact;
  const double jw = nm::jaro_winkler(a, b);
  if (close_spelling(a, b, jw)) return kFamilyClose;
  if (jw >= 0.85 || sounds_alike(nm::metaphone(a), nm::metaphone(b), jw)) return kFamilySounds;
  return kFamilyDiffers;
}

// jaro_winkler(a, b), or 0 when it is certainly below the lowest threshold
// the word levels ask about (0.85): the same levels either way.
double level_jaro_winkler(std::string_view a, std::string_view b) {
  return nm::jaro_winkler_below(a, b, 0.85) ? 0.0 : nm::jaro_winkler(a, b);
}

std::int8_t given_word_level(const NameWord& a, const NameWord& b) {
  if (a.text.empty() || b.text.empty()) return kMissing;
  if (a.text == b.text) return kGivenExact;
  if (share_group(a.groups, b.groups)) return kGivenNickname;
  const double jw = level_jaro_winkler(a.text, b.text);
  if (close_spelling(a.text, b.text, jw)) return kGivenClose;
  if (sounds_alike(a.code, b.code, jw)) return kGivenSounds;
  if ((a.text.size() == 1 || b.text.size() == 1) && a.text.front() == b.text.front())
    return kGivenInitialOrMiddle;
  return kGivenDiffers;
}

std::int8_t family_word_level(const NameWord& a, const NameWord& b) {
  if (a.text == b.text) return kFamilyExact;
  const double jw = level_jaro_winkler(a.text, b.text);
  if (close_spelling(a.text, b.text, jw)) return kFamilyClose;
  if (sounds_alike(a.code, b.code, jw)) return kFamilySounds;
  return kFamilyDiffers;
}

LinkRecord make_link_record(const PersonSearchRecord& person) {
  LinkRecord r;
  for (const auto& name : person.given_names) {
    for (auto& word : nm::name_words(name)) {
      if (std::find(r.given_names.begin(), r.given_names.end(), word) == r.given_names.end()) {
        r.given_names.push_back(std::move(word));
      }
    }
  }
  for (const auto& name : person.family_names) {
    std::string whole;
    std::vector<std::string> parts;
    for (auto& word : nm::name_words(name)) {
      whole += word;
      if (!nm::is_particle(word)) parts.push_back(std::move(word));
    }
    if (whole.empty()) continue;
    if (std::find(r.family_names.begin(), r.family_names.end(), whole) == r.family_names.end()) {
      r.family_names.push_back(whole);
    }
    if (parts.size() > 1) r.family_parts.insert(r.family_parts.end(), parts.begin(), parts.end());
  }
  r.date_of_birth = person.date_of_birth;
  for (const auto& pc : person.postcodes) {
    if (auto n = nm::normalise_postcode(pc); !n.empty()) r.postcodes.push_back(std::move(n));
  }
  for (const auto& line : person.address_lines) {
    if (auto words = nm::address_words(line); !words.empty())
      r.addresses.push_back(std::move(words));
  }
  for (const auto& id : person.identifiers) {
    if (auto n = nm::normalise_identifier(id); !n.empty()) r.identifiers.push_back(std::move(n));
  }
  return r;
}

PairComparison compare(const LinkRecord& a, const LinkRecord& b) {
  const bool given = !a.given_names.empty() && !b.given_names.empty();
  const bool family = !a.family_names.empty() && !b.family_names.empty();
  return compare(
      a, b, given ? given_word_level(a.given_names.front(), b.given_names.front()) : kMissing,
      family ? family_word_level(a.family_names.front(), b.family_names.front()) : kMissing);
}

PairComparison compare(const LinkRecord& a, const LinkRecord& b, std::int8_t given_front,
                       std::int8_t family_front) {
  PairComparison result;
  auto& levels = result.levels;
  levels[kGivenName] = given_level(a, b, given_front);
  levels[kFamilyName] = family_level(a, b, family_front);
  // Given and family names written the wrong way round: both agree exactly
  // once swapped, and they did not both agree as written.
  if (!a.given_names.empty() && !a.family_names.empty() && !b.given_names.empty() &&
      !b.family_names.empty() &&
      (levels[kGivenName] != kGivenExact || levels[kFamilyName] != kFamilyExact) &&
      a.given_names.front() == b.family_names.front() &&
      a.family_names.front() == b.given_names.front()) {
    levels[kGivenName] = kGivenExact;
    levels[kFamilyName] = kFamilyExact;
    result.names_swapped = true;
  }
  levels[kDateOfBirth] = dob_level(a, b);
  levels[kPostcode] = postcode_level(a, b);
  levels[kAddress] = address_level(a, b);
  levels[kIdentifier] = identifier_level(a, b);
  return result;
}

}  // namespace frontdoor::domain::linkage
