// Each comparison rule of person matching, level by level.
#include "domain/person_comparison.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace frontdoor::domain::linkage {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;

sys_days date(int y, unsigned m, unsigned d) {
  return sys_days{std::chrono::year_month_day{year{y}, month{m}, day{d}}};
}

struct Person {
  std::vector<std::string> given{"Jonathan"};
  std::vector<std::string> family{"Smith"};
  std::optional<sys_days> dob = date(2015, 3, 7);
  std::vector<std::string> postcodes{"SW1A 1AA"};
  std::vector<std::string> addresses{"12 High Street"};
  std::vector<std::string> identifiers{};

  LinkRecord record() const {
    PersonSearchRecord r;
    r.given_names = given;
    r.family_names = family;
    r.date_of_birth = dob;
    r.postcodes = postcodes;
    r.address_lines = addresses;
    r.identifiers = identifiers;
    return make_link_record(r);
  }
};

std::int8_t level(const Person& a, const Person& b, PersonComparison c) {
  return compare(a.record(), b.record()).levels[c];
}

TEST(PersonComparison, EveryLevelHasASentence) {
  const auto specs = person_comparison_specs();
  ASSERT_EQ(specs.size(), static_cast<std::size_t>(kPersonComparisons));
  EXPECT_EQ(specs[kGivenName].levels.size(), 6U);
  EXPECT_EQ(specs[kFamilyName].levels.size(), 5U);
  EXPECT_EQ(specs[kDateOfBirth].levels.size(), 6U);
  EXPECT_EQ(specs[kPostcode].levels.size(), 4U);
  EXPECT_EQ(specs[kAddress].levels.size(), 3U);
  EXPECT_EQ(specs[kIdentifier].levels.size(), 2U);
  for (const auto& spec : specs) {
    for (const auto& sentence : spec.levels) EXPECT_FALSE(sentence.empty()) << spec.name;
  }
  const Model model(specs);  // a valid model
  EXPECT_EQ(model.comparisons(), 6U);
}

TEST(PersonComparison, GivenNameLevels) {
  EXPECT_EQ(given_word_level("jonathan", "jonathan"), 0);
  EXPECT_EQ(given_word_level("jon", "jonathan"), 1);       // nickname
  EXPECT_EQ(given_word_level("peggy", "margaret"), 1);     // nickname, nothing alike
  EXPECT_EQ(given_word_level("jonathon", "jonathan"), 2);  // one letter
  EXPECT_EQ(given_word_level("stephen", "steven"), 1);     // the table knows these variants
  EXPECT_EQ(given_word_level("catherine", "kathryn"), 1);
  EXPECT_EQ(given_word_level("jaydon", "jayden"), 2);  // close spelling
  EXPECT_EQ(given_word_level("philip", "filip"), 3);   // sounds the same (FLP)
  EXPECT_EQ(given_word_level("sian", "shaun"), 3);     // XN
  EXPECT_EQ(given_word_level("j", "jonathan"), 4);     // an initial
  EXPECT_EQ(given_word_level("jonathan", "olivia"), 5);
  EXPECT_EQ(given_word_level("", "olivia"), kMissing);
}

TEST(PersonComparison, GivenNameAgreesThroughAMiddleName) {
  Person a;
  a.given = {"Mary Louise"};
  Person b = a;
  b.given = {"Louise"};
  EXPECT_EQ(level(a, b, kGivenName), 4);
  b.given = {};
  EXPECT_EQ(level(a, b, kGivenName), kMissing);
}

TEST(PersonComparison, GivenNamesAreFoldedFirst) {
  Person a;
  a.given = {"Zoë"};
  Person b = a;
  b.given = {"ZOE"};
  EXPECT_EQ(level(a, b, kGivenName), 0);
  a.given = {"Mr John"};  // a title is dropped
  b.given = {"john"};
  EXPECT_EQ(level(a, b, kGivenName), 0);
}

TEST(PersonComparison, FamilyNameLevels) {
  Person a;
  Person b = a;
  EXPECT_EQ(level(a, b, kFamilyName), 0);
  a.family = {"O'Brien"};
  b.family = {"obrien"};
  EXPECT_EQ(level(a, b, kFamilyName), 0);  // punctuation folded
  a.family = {"Smith-Jones"};
  b.family = {"Jones"};
  EXPECT_EQ(level(a, b, kFamilyName), 1);  // one part of a double-barrelled name
  a.family = {"Taylor", "Smith"};          // maiden name Smith
  b.family = {"Smith"};
  EXPECT_EQ(level(a, b, kFamilyName), 1);
  a.family = {"Thompson"};
  b.family = {"Thomson"};
  EXPECT_EQ(level(a, b, kFamilyName), 2);
  a.family = {"Smyth"};
  b.family = {"Smith"};
  EXPECT_EQ(level(a, b, kFamilyName), 2);
  a.family = {"Knight"};
  b.family = {"Night"};
  EXPECT_EQ(level(a, b, kFamilyName), 2);
  a.family = {"Philips"};
  b.family = {"Fillips"};
  EXPECT_EQ(level(a, b, kFamilyName), 3);  // sounds the same
  a.family = {"Smith"};
  b.family = {"Khan"};
  EXPECT_EQ(level(a, b, kFamilyName), 4);
}

TEST(PersonComparison, SwappedGivenAndFamilyNamesAgree) {
  Person a;
  a.given = {"Ahmed"};
  a.family = {"Hussain"};
  Person b = a;
  b.given = {"Hussain"};
  b.family = {"Ahmed"};
  const auto c = compare(a.record(), b.record());
  EXPECT_TRUE(c.names_swapped);
  EXPECT_EQ(c.levels[kGivenName], 0);
  EXPECT_EQ(c.levels[kFamilyName], 0);
  EXPECT_FALSE(compare(a.record(), a.record()).names_swapped);
}

TEST(PersonComparison, DateOfBirthLevels) {
  Person a;  // 2015-03-07
  Person b = a;
  EXPECT_EQ(level(a, b, kDateOfBirth), 0);
  b.dob = date(2015, 7, 3);
  EXPECT_EQ(level(a, b, kDateOfBirth), 1);  // day and month swapped
  b.dob = date(2015, 3, 8);
  EXPECT_EQ(level(a, b, kDateOfBirth), 2);  // one digit
  b.dob = date(2016, 3, 7);
  EXPECT_EQ(level(a, b, kDateOfBirth), 2);  // one digit, in the year
  b.dob = date(2015, 3, 21);
  EXPECT_EQ(level(a, b, kDateOfBirth), 3);  // same month and year
  b.dob = date(2008, 3, 7);
  EXPECT_EQ(level(a, b, kDateOfBirth), 4);  // same day and month
  b.dob = date(2009, 11, 30);
  EXPECT_EQ(level(a, b, kDateOfBirth), 5);
  b.dob.reset();
  EXPECT_EQ(level(a, b, kDateOfBirth), kMissing);
}

TEST(PersonComparison, PostcodeLevelsAcrossPreviousAddresses) {
  Person a;  // SW1A 1AA
  Person b = a;
  b.postcodes = {"sw1a1aa"};
  EXPECT_EQ(level(a, b, kPostcode), 0);
  b.postcodes = {"SW1A 1BB"};
  EXPECT_EQ(level(a, b, kPostcode), 1);
  b.postcodes = {"SW1A 2AA"};
  EXPECT_EQ(level(a, b, kPostcode), 2);
  b.postcodes = {"M1 1AE"};
  EXPECT_EQ(level(a, b, kPostcode), 3);
  b.postcodes = {"M1 1AE", "SW1A 1AA"};  // moved from a's address
  EXPECT_EQ(level(a, b, kPostcode), 0);
  b.postcodes = {};
  EXPECT_EQ(level(a, b, kPostcode), kMissing);
}

TEST(PersonComparison, AddressLevels) {
  Person a;  // 12 High Street
  Person b = a;
  b.addresses = {"12 High St"};
  EXPECT_EQ(level(a, b, kAddress), 0);  // abbreviation expanded
  b.addresses = {"Flat 3, 12 High Street"};
  EXPECT_EQ(level(a, b, kAddress), 1);  // the same number and street, not the same home
  b.addresses = {"14 High Street"};
  EXPECT_EQ(level(a, b, kAddress), 2);
  b.addresses = {};
  EXPECT_EQ(level(a, b, kAddress), kMissing);
}

TEST(PersonComparison, IdentifierLevels) {
  Person a;
  a.identifiers = {"943 476 5919"};
  Person b = a;
  b.identifiers = {"9434765919"};
  EXPECT_EQ(level(a, b, kIdentifier), 0);
  b.identifiers = {"4010232137"};
  EXPECT_EQ(level(a, b, kIdentifier), 1);
  b.identifiers = {};
  EXPECT_EQ(level(a, b, kIdentifier), kMissing);
}

TEST(PersonComparison, AWellFittedModelRanksTheNicknameAndSwappedDateAboveAStranger) {
  // The child the referrer describes: "Jon Smith", born 07/03 written 03/07.
  Person child;
  Person described = child;
  described.given = {"Jon"};
  described.dob = date(2015, 7, 3);
  Person sibling = child;
  sibling.given = {"Olivia"};
  sibling.dob = date(2017, 9, 12);
  Model model(person_comparison_specs());
  const auto to_child = compare(described.record(), child.record()).levels;
  const auto to_sibling = compare(described.record(), sibling.record()).levels;
  EXPECT_GT(model.match_weight(to_child), model.match_weight(to_sibling));
}

}  // namespace
}  // namespace frontdoor::domain::linkage
