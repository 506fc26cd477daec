#include "domain/person_comparison.hpp"

#include <algorithm>
#include <cctype>
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
// name of four letters or more.
bool close_spelling(const std::string& a, const std::string& b) {
  if (nm::jaro_winkler(a, b) >= 0.92) return true;
  return std::min(a.size(), b.size()) >= 4 && nm::edit_distance(a, b) <= 1;
}

bool sounds_alike(const std::string& a, const std::string& b) {
  const std::string ca = nm::metaphone(a);
  return (!ca.empty() && ca == nm::metaphone(b)) || nm::jaro_winkler(a, b) >= 0.85;
}

std::int8_t family_word_level(const std::string& a, const std::string& b) {
  if (a == b) return kFamilyExact;
  if (close_spelling(a, b)) return kFamilyClose;
  if (sounds_alike(a, b)) return kFamilySounds;
  return kFamilyDiffers;
}

std::int8_t given_level(const LinkRecord& a, const LinkRecord& b) {
  if (a.given_names.empty() || b.given_names.empty()) return kMissing;
  std::int8_t level = given_word_level(a.given_names.front(), b.given_names.front());
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

std::int8_t family_level(const LinkRecord& a, const LinkRecord& b) {
  if (a.family_names.empty() || b.family_names.empty()) return kMissing;
  const std::int8_t current = family_word_level(a.family_names.front(), b.family_names.front());
  if (current == kFamilyExact) return current;
  // A previous or other name, or one part of a double-barrelled name.
  auto names_and_parts = [](const LinkRecord& r) {
    std::vector<std::string> all = r.family_names;
    all.insert(all.end(), r.family_parts.begin(), r.family_parts.end());
    return all;
  };
  for (const auto& x : names_and_parts(a)) {
    for (const auto& y : names_and_parts(b)) {
      if (x == y) return kFamilyOtherOrPart;
    }
  }
  return current;
}

std::int8_t dob_level(const LinkRecord& a, const LinkRecord& b) {
  if (!a.date_of_birth || !b.date_of_birth) return kMissing;
  if (*a.date_of_birth == *b.date_of_birth) return kDobExact;
  if (person_search_detail::day_month_swapped(*a.date_of_birth) == *b.date_of_birth) {
    return kDobSwapped;
  }
  const std::chrono::year_month_day x{*a.date_of_birth};
  const std::chrono::year_month_day y{*b.date_of_birth};
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
    for (const auto& y : b.postcodes) {
      if (x == y) return kPostcodeExact;
      const std::string sx = nm::postcode_sector(x);
      if (!sx.empty() && sx == nm::postcode_sector(y)) {
        best = std::min(best, kPostcodeSector);
      } else if (nm::postcode_outward(x) == nm::postcode_outward(y)) {
        best = std::min(best, kPostcodeDistrict);
      }
    }
  }
  return best;
}

bool is_number(const std::string& word) {
  return std::any_of(word.begin(), word.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

std::int8_t address_pair_level(const std::vector<std::string>& x,
                               const std::vector<std::string>& y) {
  std::vector<std::string> sx(x.begin(), x.end());
  std::vector<std::string> sy(y.begin(), y.end());
  std::sort(sx.begin(), sx.end());
  sx.erase(std::unique(sx.begin(), sx.end()), sx.end());
  std::sort(sy.begin(), sy.end());
  sy.erase(std::unique(sy.begin(), sy.end()), sy.end());
  std::vector<std::string> common;
  std::set_intersection(sx.begin(), sx.end(), sy.begin(), sy.end(), std::back_inserter(common));
  const std::size_t all = sx.size() + sy.size() - common.size();
  auto numbers = [](const std::vector<std::string>& words) {
    std::vector<std::string> n;
    std::copy_if(words.begin(), words.end(), std::back_inserter(n), is_number);
    return n;
  };
  const bool same_numbers = numbers(sx) == numbers(sy);
  if (all > 0 && same_numbers && common.size() * 4 >= all * 3) return kAddressSame;
  const bool shares_number = std::any_of(common.begin(), common.end(), is_number);
  const bool shares_word =
      std::any_of(common.begin(), common.end(), [](const std::string& w) { return !is_number(w); });
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
  if (close_spelling(a, b)) return kGivenClose;
  if (sounds_alike(a, b)) return kGivenSounds;
  if ((a.size() == 1 || b.size() == 1) && a.front() == b.front()) return kGivenInitialOrMiddle;
  return kGivenDiffers;
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
  PairComparison result;
  auto& levels = result.levels;
  levels[kGivenName] = given_level(a, b);
  levels[kFamilyName] = family_level(a, b);
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
