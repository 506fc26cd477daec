// The person search's fast paths give exactly what the plain functions
// give: the bit-parallel Jaro–Winkler, within_one_edit, compare() with the
// name levels worked out beforehand, and the linker's per-query weights.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "domain/linker.hpp"
#include "domain/name_matching.hpp"
#include "domain/person_comparison.hpp"
#include "domain/person_search.hpp"

namespace frontdoor::domain {
namespace {

namespace nm = name_matching;

// Jaro–Winkler as first written (a scan of the window for each letter).
double reference_jaro_winkler(std::string_view a, std::string_view b) {
  constexpr std::size_t kMax = 64;
  if (a.size() > kMax) a = a.substr(0, kMax);
  if (b.size() > kMax) b = b.substr(0, kMax);
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  const std::size_t window =
      std::max(a.size(), b.size()) / 2 > 0 ? std::max(a.size(), b.size()) / 2 - 1 : 0;
  std::array<bool, kMax> a_matched{};
  std::array<bool, kMax> b_matched{};
  std::size_t matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(b.size(), i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!b_matched[j] && a[i] == b[j]) {
        a_matched[i] = b_matched[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t half_transpositions = 0;
  std::size_t j = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[j]) ++j;
    if (a[i] != b[j]) ++half_transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  const double t = static_cast<double>(half_transpositions) / 2.0;
  const double jaro =
      (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) + (m - t) / m) / 3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

// A word and a near copy of it: letters changed, dropped, doubled, swapped.
std::pair<std::string, std::string> word_pair(std::mt19937& rng, std::size_t max_length) {
  const std::string letters = "aaeeioubcdhlmnrst";
  std::string a(1 + rng() % max_length, 'a');
  for (auto& c : a) c = letters[rng() % letters.size()];
  std::string b = a;
  const int edits = static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !b.empty(); ++e) {
    const std::size_t at = rng() % b.size();
    switch (rng() % 4) {
      case 0:
        b[at] = letters[rng() % letters.size()];
        break;
      case 1:
        b.erase(at, 1);
        break;
      case 2:
        b.insert(at, 1, letters[rng() % letters.size()]);
        break;
      default:
        if (at + 1 < b.size()) std::swap(b[at], b[at + 1]);
        break;
    }
  }
  if (rng() % 5 == 0) b = std::string(1 + rng() % max_length, letters[rng() % letters.size()]);
  return {a, b};
}

TEST(PersonSearchFastPaths, JaroWinklerIsTheReferenceToTheLastBit) {
  std::mt19937 rng(7);
  for (int k = 0; k < 200000; ++k) {
    const auto [a, b] = word_pair(rng, k % 10 == 0 ? 80 : 12);
    EXPECT_EQ(nm::jaro_winkler(a, b), reference_jaro_winkler(a, b)) << a << "/" << b;
  }
  for (const char* a : {"", "a", "martha", "dwayne", "dixon"}) {
    for (const char* b : {"", "a", "marhta", "duane", "dicksonx"}) {
      EXPECT_EQ(nm::jaro_winkler(a, b), reference_jaro_winkler(a, b)) << a << "/" << b;
    }
  }
}

TEST(PersonSearchFastPaths, JaroWinklerBoundIsNeverWrong) {
  std::mt19937 rng(23);
  int below = 0;
  for (int k = 0; k < 200000; ++k) {
    const auto [a, b] = word_pair(rng, k % 10 == 0 ? 80 : 12);
    for (const double threshold : {0.85, 0.88, 0.92}) {
      if (nm::jaro_winkler_below(a, b, threshold)) {
        ++below;
        EXPECT_LT(nm::jaro_winkler(a, b), threshold) << a << "/" << b;
      }
    }
  }
  EXPECT_GT(below, 1000);  // and it does rule pairs out
  EXPECT_TRUE(nm::jaro_winkler_below("smith", "okafor", 0.85));
  EXPECT_FALSE(nm::jaro_winkler_below("smith", "smyth", 0.85));
}

TEST(PersonSearchFastPaths, WithinOneEditIsEditDistanceAtMostOne) {
  std::mt19937 rng(11);
  for (int k = 0; k < 200000; ++k) {
    const auto [a, b] = word_pair(rng, k % 10 == 0 ? 80 : 10);
    EXPECT_EQ(nm::within_one_edit(a, b), nm::edit_distance(a, b) <= 1) << a << "/" << b;
  }
  EXPECT_TRUE(nm::within_one_edit("smith", "smtih"));
  EXPECT_TRUE(nm::within_one_edit("jon", "john"));
  EXPECT_TRUE(nm::within_one_edit("", "a"));
  EXPECT_TRUE(nm::within_one_edit("smith", "simth"));   // neighbours swapped
  EXPECT_FALSE(nm::within_one_edit("smith", "smtiy"));  // swapped, and one changed
  EXPECT_FALSE(nm::within_one_edit("kitten", "sitting"));
}

TEST(PersonSearchFastPaths, PostcodeViewsAreTheCopies) {
  for (const char* p : {"SW1A1AA", "SW1A", "M11AA", "2615", "", "B1"}) {
    EXPECT_EQ(nm::postcode_sector_view(p), nm::postcode_sector(p)) << p;
    EXPECT_EQ(nm::postcode_outward_view(p), nm::postcode_outward(p)) << p;
  }
}

// Random people that agree with each other in every way the comparisons
// know: the same, nicknames, typos, sounds, swapped names and dates, moves.
PersonSearchRecord random_person(std::mt19937& rng) {
  static const std::vector<std::string> given = {
      "Jon",      "John",  "Jonathan", "Jack",   "Bill", "William", "Liam", "Kate", "Katherine",
      "Kathryn",  "Cathy", "Stephen",  "Steven", "Sean", "Shaun",   "J",    "Mo",   "Muhammad",
      "Mohammed", "Amy",   "Aimee",    "Zoe",    "Zoë",  "Ann",     "Anne"};
  static const std::vector<std::string> family = {
      "Smith", "Smyth",  "Smiht",   "Jones",  "Johns", "Smith-Jones", "de la Cruz", "Cruz",
      "Brown", "Browne", "O'Brien", "OBrien", "Patel", "Patil",       "Khan",       "Kahn"};
  static const std::vector<std::string> postcodes = {"SW1A 1AA", "SW1A 1AB", "SW1A 2ZZ", "SW1B 1AA",
                                                     "LS1 4AB",  "LS1",      "2615",     ""};
  static const std::vector<std::string> lines = {
      "12 High Street", "12 High St", "14 High Street", "Flat 3 12 High Street", "3 Mill Lane", ""};
  auto pick = [&rng](const std::vector<std::string>& list) { return list[rng() % list.size()]; };
  PersonSearchRecord r;
  r.given_names = {pick(given)};
  if (rng() % 3 == 0) r.given_names.push_back(pick(given));
  if (rng() % 10 == 0) r.given_names[0] += " " + pick(given);
  r.family_names = {pick(family)};
  if (rng() % 4 == 0) r.family_names.push_back(pick(family));
  if (rng() % 8 != 0) {
    const int y = 2010 + static_cast<int>(rng() % 3);
    const unsigned m = 1 + static_cast<unsigned>(rng() % 12);
    const unsigned d = 1 + static_cast<unsigned>(rng() % 12);
    r.date_of_birth =
        std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
  }
  r.postcodes = {pick(postcodes)};
  if (rng() % 3 == 0) r.postcodes.push_back(pick(postcodes));
  r.address_lines = {pick(lines)};
  if (rng() % 3 == 0) r.identifiers = {rng() % 2 == 0 ? "943 476 5919" : "943 476 5920"};
  return r;
}

TEST(PersonSearchFastPaths, CompareWithKnownNameLevelsIsCompare) {
  std::mt19937 rng(13);
  for (int k = 0; k < 20000; ++k) {
    const auto a = linkage::make_link_record(random_person(rng));
    const auto b = linkage::make_link_record(random_person(rng));
    const auto plain = linkage::compare(a, b);
    std::int8_t given = linkage::kMissing;
    std::int8_t family = linkage::kMissing;
    std::string code_a;
    std::string code_b;
    if (!a.given_names.empty() && !b.given_names.empty()) {
      const auto& x = a.given_names.front();
      const auto& y = b.given_names.front();
      given = linkage::given_word_level(x, y);
      code_a = nm::metaphone(x);
      code_b = nm::metaphone(y);
      EXPECT_EQ(given,
                linkage::given_word_level(linkage::NameWord{x, code_a, nm::nickname_groups_of(x)},
                                          linkage::NameWord{y, code_b, nm::nickname_groups_of(y)}))
          << x << "/" << y;
    }
    if (!a.family_names.empty() && !b.family_names.empty()) {
      const auto& x = a.family_names.front();
      const auto& y = b.family_names.front();
      family = linkage::family_word_level(x, y);
      code_a = nm::metaphone(x);
      code_b = nm::metaphone(y);
      EXPECT_EQ(family, linkage::family_word_level(linkage::NameWord{x, code_a, nullptr},
                                                   linkage::NameWord{y, code_b, nullptr}))
          << x << "/" << y;
    }
    const auto fast = linkage::compare(a, b, given, family);
    EXPECT_EQ(fast.levels, plain.levels);
    EXPECT_EQ(fast.names_swapped, plain.names_swapped);
  }
}

TEST(PersonSearchFastPaths, PerQueryWeightsScoreAndExplainAsTheLinker) {
  std::mt19937 rng(17);
  linkage::Linker linker(linkage::reference_model());
  std::vector<linkage::LinkRecord> records;
  records.reserve(300);
  for (int k = 0; k < 300; ++k) records.push_back(linkage::make_link_record(random_person(rng)));
  linker.count_names(records);
  const linkage::Bands bands{.review = 0.4, .auto_link = 0.99};
  for (std::size_t i = 0; i < 60; ++i) {
    const auto& a = records[i];
    const auto weights = linker.weights_for(a);
    for (const auto& b : records) {
      const auto plain = linker.score(a, b, bands);
      const auto comparison = linkage::compare(a, b);
      const auto fast = linker.score(weights, comparison, bands);
      EXPECT_EQ(fast.match_weight, plain.match_weight);  // to the last bit
      EXPECT_EQ(linkage::Linker::match_weight(weights, comparison), plain.match_weight);
      EXPECT_EQ(fast.probability, plain.probability);
      EXPECT_EQ(fast.band, plain.band);
      EXPECT_EQ(linker.explain(weights, comparison), linker.explain(a, b));
    }
  }
}

// A common family name touching thousands of people: the search shortlists
// fewer of them, and still finds the person by date of birth and postcode.
TEST(PersonSearchFastPaths, CommonNameAmongThousandsStillFindsThePerson) {
  InMemoryPersonSearch search;
  std::mt19937 rng(19);
  for (std::int64_t id = 1; id <= 5000; ++id) {
    PersonSearchRecord r;
    r.person_id = id;
    r.given_names = {id % 2 == 0 ? "Olivia" : "Oliver"};
    r.family_names = {"Smith"};
    r.date_of_birth =
        std::chrono::sys_days{std::chrono::year{2000 + static_cast<int>(id % 20)} /
                              std::chrono::month{1 + static_cast<unsigned>(rng() % 12)} /
                              std::chrono::day{1 + static_cast<unsigned>(rng() % 28)}};
    r.postcodes = {"LS" + std::to_string(1 + id % 30) + " " + std::to_string(id % 10) + "AB"};
    search.upsert(r);
  }
  PersonSearchRecord target;
  target.person_id = 9999;
  target.given_names = {"Olivia"};
  target.family_names = {"Smith"};
  target.date_of_birth = std::chrono::sys_days{std::chrono::year{2012} / 2 / 29};
  target.postcodes = {"ZZ9 9ZZ"};
  search.upsert(target);
  PersonQuery q;
  q.given_name = "Olivia";
  q.family_name = "Smith";
  q.date_of_birth = target.date_of_birth;
  q.postcode = "ZZ9 9ZZ";
  q.limit = 10;
  const auto hits = search.search(q);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].person_id, 9999);
  EXPECT_EQ(hits.size(), 10U);
  for (std::size_t i = 1; i < hits.size(); ++i) {
    EXPECT_GE(hits[i - 1].match_weight, hits[i].match_weight);
  }
  q.postcode.clear();
  q.date_of_birth.reset();
  EXPECT_EQ(search.search(q).size(), 10U);  // names alone: ten of the many
}

}  // namespace
}  // namespace frontdoor::domain
