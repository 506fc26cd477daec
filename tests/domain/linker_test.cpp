// Blocking, training and scoring of the linker, and reading tables of people.
#include "domain/linker.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/csv.hpp"
#include "core/time.hpp"
#include "domain/link_table.hpp"

namespace frontdoor::domain::linkage {
namespace {

LinkRecord person(std::string given, std::string family, std::string dob, std::string postcode,
                  std::string address = "", std::string id = "") {
  csv::Table t;
  t.header = {"given_name", "family_name", "date_of_birth", "postcode", "address", "nhs_number"};
  t.rows.push_back({1, {given, family, dob, postcode, address, id}});
  auto table = people_from_table(t);
  EXPECT_TRUE(table.ok());
  return make_link_record(table->rows.front().person);
}

// Fewer random pairs than the default keep the sanitizer build quick.
TrainingOptions quick() {
  TrainingOptions options;
  options.random_pairs = 20000;
  return options;
}

bool paired(const std::vector<CandidatePair>& pairs, std::uint32_t a, std::uint32_t b) {
  return std::any_of(pairs.begin(), pairs.end(),
                     [&](const CandidatePair& p) { return p.left == a && p.right == b; });
}

TEST(Linker, OneErrorInOneFieldCannotHideAPerson) {
  const std::vector<LinkRecord> known{
      person("Jonathan", "Smith", "2015-03-07", "SW1A 1AA"),
      person("Ahmed", "Hussain", "2012-11-02", "M1 1AE"),
      person("Margaret", "Okafor", "2016-06-09", "LS1 4AP"),
  };
  const std::vector<LinkRecord> described{
      person("Jon", "Smyth", "2015-07-03", ""),                 // nickname, typo, swapped date
      person("Hussain", "Ahmed", "", "M1 1AE"),                 // names swapped, no date
      person("Peggy", "Okafor-Brown", "2016-06-09", ""),        // nickname of another initial
      person("Olivia", "Zielinska", "2001-01-01", "ZZ99 3AB"),  // nobody known
  };
  const auto pairs = candidate_pairs(known, &described);
  EXPECT_TRUE(paired(pairs, 0, 0));
  EXPECT_TRUE(paired(pairs, 1, 1));
  EXPECT_TRUE(paired(pairs, 2, 2));
  for (std::uint32_t k = 0; k < known.size(); ++k) EXPECT_FALSE(paired(pairs, k, 3));
  EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end(), [](const auto& x, const auto& y) {
    return x.left != y.left ? x.left < y.left : x.right < y.right;
  }));
}

TEST(Linker, DeduplicationPairsEachTwoOnceInOrder) {
  const std::vector<LinkRecord> records{
      person("Amy", "Clarke", "2014-02-02", "B1 1AA"),
      person("Amy", "Clarke", "2014-02-02", "B1 1AA"),
      person("Amy", "Clark", "2014-02-02", "B1 1AA"),
  };
  const auto pairs = candidate_pairs(records, nullptr);
  ASSERT_EQ(pairs.size(), 3U);  // 0-1, 0-2, 1-2, though they share many keys
  for (const auto& p : pairs) EXPECT_LT(p.left, p.right);
}

TEST(Linker, ABlockTooCommonToPairOnIsLeftOut) {
  std::vector<LinkRecord> records;
  const std::vector<std::string> given{"Alex", "Bella", "Carl", "Dora", "Eve"};
  const std::vector<std::string> family{"Ng", "Oduya", "Price", "Quinn", "Reyes"};
  for (int i = 0; i < 5; ++i) {
    // Only the date of birth is shared (and so its day/month swap).
    records.push_back(person(given[i], family[i], "2015-03-07", ""));
  }
  BlockingOptions small;
  small.max_block = 4;
  EXPECT_TRUE(candidate_pairs(records, nullptr, small).empty());
  small.max_block = 5;
  EXPECT_FALSE(candidate_pairs(records, nullptr, small).empty());
}

// A small population with duplicates made by known errors.
struct Population {
  std::vector<LinkRecord> left;
  std::vector<LinkRecord> right;
  std::vector<int> truth;  // right[j] is left[truth[j]]
};

Population population() {
  const std::vector<std::string> given{"Oliver", "Amelia", "Jack",   "Isla",  "Harry",    "Ava",
                                       "George", "Mia",    "Noah",   "Emily", "Leo",      "Grace",
                                       "Oscar",  "Freya",  "Arthur", "Lily",  "Muhammad", "Zara"};
  const std::vector<std::string> family{"Smith",   "Jones",    "Taylor", "Brown",  "Williams",
                                        "Wilson",  "Johnson",  "Davies", "Patel",  "Robinson",
                                        "Wright",  "Thompson", "Evans",  "Walker", "White",
                                        "Roberts", "Green",    "Hall",   "Khan",   "Lewis"};
  std::mt19937 rng(7);
  auto draw = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
  Population p;
  for (int i = 0; i < 400; ++i) {
    const auto g = given[rng() % given.size()];
    const auto f = family[rng() % family.size()];
    char dob[11];
    std::snprintf(dob, sizeof dob, "20%02u-%02u-%02u", 5 + draw(15), 1 + draw(12), 1 + draw(28));
    char pc[9];
    std::snprintf(pc, sizeof pc, "B%u %uAA", 1 + draw(30), 1 + draw(9));
    p.left.push_back(person(g, f, dob, pc));
    if (i % 2 == 0) {
      // The same child again, with one error of a different kind each time.
      std::string g2 = g;
      std::string f2 = f;
      std::string dob2 = dob;
      std::string pc2 = pc;
      switch (i % 8) {
        case 0:
          g2 = g.substr(0, g.size() - 1);
          break;  // a letter dropped
        case 2:
          std::swap(dob2[5], dob2[8]);
          std::swap(dob2[6], dob2[9]);
          break;
        case 4:
          pc2 = "";
          break;
        default:
          f2 += "e";
          break;
      }
      p.right.push_back(person(g2, f2, dob2, pc2));
      p.truth.push_back(i);
    }
  }
  return p;
}

TEST(Linker, TrainingOnTheRecordsSeparatesTheSameChildFromOthers) {
  const auto p = population();
  const auto pairs = candidate_pairs(p.left, &p.right);
  Linker linker;
  const auto report = linker.train(p.left, &p.right, pairs, quick());
  EXPECT_EQ(report.candidate_pairs, pairs.size());
  EXPECT_GT(report.random_pairs, 0U);
  EXPECT_TRUE(report.em.converged);
  // The estimated m of "differs" is low, its u high, for names and dates.
  for (std::size_t c :
       {std::size_t{kGivenName}, std::size_t{kFamilyName}, std::size_t{kDateOfBirth}}) {
    const auto& params = linker.model().parameters(c);
    EXPECT_LT(params.m.back(), 0.2) << c;
    EXPECT_GT(params.u.back(), 0.5) << c;
  }
  int first = 0;
  for (std::size_t j = 0; j < p.right.size(); ++j) {
    double best = -1;
    int best_i = -1;
    for (const auto& pair : pairs) {
      if (pair.right != j) continue;
      const double prob = linker.score(p.left[pair.left], p.right[j]).probability;
      if (prob > best) {
        best = prob;
        best_i = static_cast<int>(pair.left);
      }
    }
    first += best_i == p.truth[j] ? 1 : 0;
  }
  EXPECT_GE(first, static_cast<int>(p.right.size() * 95 / 100));
}

TEST(Linker, AFieldOneSessionNeverSawIsLearntFromTheOtherAlone) {
  // Identifiers appear on both sides only where the names were changed, so
  // the session of pairs with the same full name never sees one agree or
  // differ; the session of pairs born the same day does.
  auto p = population();
  Population with_ids;
  for (std::size_t i = 0; i < p.left.size(); ++i) {
    LinkRecord r = p.left[i];
    r.identifiers = {std::to_string(4000000000 + i)};
    with_ids.left.push_back(r);
  }
  for (std::size_t j = 0; j < p.right.size(); ++j) {
    LinkRecord r = p.right[j];
    const auto& truth = with_ids.left[static_cast<std::size_t>(p.truth[j])];
    const bool names_changed =
        r.given_names != truth.given_names || r.family_names != truth.family_names;
    if (names_changed) r.identifiers = truth.identifiers;
    with_ids.right.push_back(r);
  }
  Linker linker;
  const Model start = linker.model();
  linker.train(with_ids.left, &with_ids.right, candidate_pairs(with_ids.left, &with_ids.right),
               quick());
  // Learnt: an identifier agreeing is nearly certain among matches. Averaged
  // with the other session's untouched starting guess (2/3) it would not be.
  EXPECT_GT(linker.model().parameters(kIdentifier).m[0], 0.9);
  EXPECT_NE(linker.model().parameters(kIdentifier).m, start.parameters(kIdentifier).m);
}

TEST(Linker, BandsFollowTheThresholdsAndAutoLinksNeverFallBelowIt) {
  const auto p = population();
  const auto pairs = candidate_pairs(p.left, &p.right);
  Linker linker;
  linker.train(p.left, &p.right, pairs, quick());
  Bands bands;
  bands.review = 0.4;
  bands.auto_link = 0.99;
  int autos = 0;
  for (const auto& pair : pairs) {
    const auto s = linker.score(p.left[pair.left], p.right[pair.right], bands);
    EXPECT_NEAR(s.probability, Model::probability(s.match_weight), 1e-12);
    if (s.band == Band::kAutoLink) {
      ++autos;
      EXPECT_GE(s.probability, 0.99);
    } else if (s.band == Band::kReview) {
      EXPECT_GE(s.probability, 0.4);
      EXPECT_LT(s.probability, 0.99);
    } else {
      EXPECT_LT(s.probability, 0.4);
    }
  }
  EXPECT_GT(autos, 0);
  EXPECT_STREQ(to_string(Band::kAutoLink), "link");
  EXPECT_STREQ(to_string(Band::kReview), "review");
  EXPECT_STREQ(to_string(Band::kNoMatch), "no match");
}

TEST(Linker, ARareNameAgreeingWeighsMoreThanACommonOne) {
  std::vector<LinkRecord> records;
  for (int i = 0; i < 50; ++i) records.push_back(person("Jack", "Smith", "", ""));
  records.push_back(person("Jack", "Zebedee", "", ""));
  Linker linker;
  linker.count_names(records);
  const auto common = linker.score(records[0], records[1]);
  const auto rare = linker.score(records[50], person("Jack", "Zebedee", "", ""));
  EXPECT_GT(rare.match_weight, common.match_weight);
}

TEST(Linker, NameFrequenciesFollowRecordsAddedAndRemoved) {
  const auto smith = person("Jack", "Smith", "", "");
  const auto zebedee = person("Jack", "Zebedee", "", "");
  const auto other_smith = person("Jill", "Smith", "", "");
  Linker linker;
  for (int i = 0; i < 50; ++i) linker.add_names(other_smith);
  linker.add_names(zebedee);
  // How much more a rare family name agreeing weighs than a common one.
  auto rarity = [&] {
    return linker.score(zebedee, zebedee).match_weight - linker.score(smith, smith).match_weight;
  };
  EXPECT_NEAR(rarity(), std::log2(50.0), 1e-9);
  for (int i = 0; i < 49; ++i) linker.remove_names(other_smith);
  EXPECT_NEAR(rarity(), 0, 1e-9);
}

TEST(Linker, TrainingWithoutMKeepsTheStartingMAndPrior) {
  const auto p = population();
  Linker linker(reference_model());
  TrainingOptions options = quick();
  options.estimate_m = false;
  const auto report = linker.train(p.left, &p.right, candidate_pairs(p.left, &p.right), options);
  EXPECT_GT(report.random_pairs, 0U);
  EXPECT_EQ(report.em.iterations, 0);
  const Model reference = reference_model();
  EXPECT_EQ(linker.model().prior(), reference.prior());
  for (std::size_t c = 0; c < kPersonComparisons; ++c) {
    EXPECT_EQ(linker.model().parameters(c).m, reference.parameters(c).m) << c;
  }
  // u is the records' own: nearly every random pair differs in date of birth.
  EXPECT_NE(linker.model().parameters(kDateOfBirth).u, reference.parameters(kDateOfBirth).u);
  EXPECT_GT(linker.model().parameters(kDateOfBirth).u.back(), 0.9);
}

TEST(Linker, TheReferenceModelWeighsEvidenceTheRightWayRound) {
  const Model model = reference_model();
  for (std::size_t c = 0; c < kPersonComparisons; ++c) {
    const auto levels = static_cast<std::int8_t>(model.spec(c).levels.size());
    EXPECT_GT(model.level_weight(c, 0), 3) << model.spec(c).name;  // agreement: evidence for
    EXPECT_LT(model.level_weight(c, static_cast<std::int8_t>(levels - 1)), -1)
        << model.spec(c).name;  // disagreement: against
  }
  // A nickname and a day/month swap are evidence for, not against.
  EXPECT_GT(model.level_weight(kGivenName, 1), 0);
  EXPECT_GT(model.level_weight(kDateOfBirth, 1), 0);
  // An identifier agreeing outweighs any one name disagreeing.
  EXPECT_GT(model.level_weight(kIdentifier, 0), -model.level_weight(kGivenName, 5));
}

TEST(Linker, TheExplanationReadsAsSentencesWithTheirWeights) {
  Linker linker;
  const auto lines = linker.explain(person("Jon", "Smith", "2015-07-03", "SW1A 1AA"),
                                    person("Jonathan", "Smith", "2015-03-07", ""));
  ASSERT_EQ(lines.size(), 3U);  // postcode missing on one side: left out
  const auto has = [&](const std::string& text) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(has("given name is a known nickname or short form of the other ("));
  EXPECT_TRUE(has("family name matches exactly (+"));
  EXPECT_TRUE(has("date of birth has day and month swapped ("));
  const auto swapped =
      linker.explain(person("Ahmed", "Hussain", "", ""), person("Hussain", "Ahmed", "", ""));
  ASSERT_FALSE(swapped.empty());
  EXPECT_EQ(swapped.front(), "given and family names are written the other way round");
}

TEST(LinkTable, ReadsFebrlAndSplinkColumnsAsTheyAre) {
  csv::Options options;
  options.trim_unquoted = true;
  auto febrl = csv::parse(
      "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, "
      "date_of_birth, soc_sec_id\n"
      "rec-1070-org, michaela, neumann, 8, stanley street, miami, winston hills, 4223, nsw, "
      "19151111, 5304218\n"
      "rec-1070-dup-0, michaela, neumann, , stanley street, , , 4223, nsw, 1915111, \n",
      options);
  ASSERT_TRUE(febrl.ok()) << febrl.error().message;
  auto rows = people_from_table(*febrl);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->rows.size(), 2U);
  const auto& first = rows->rows[0];
  EXPECT_EQ(first.id, "rec-1070-org");
  EXPECT_EQ(first.person.given_names, std::vector<std::string>{"michaela"});
  EXPECT_EQ(first.person.family_names, std::vector<std::string>{"neumann"});
  EXPECT_EQ(first.person.address_lines, std::vector<std::string>{"8 stanley street"});
  EXPECT_EQ(first.person.postcodes, std::vector<std::string>{"4223"});
  EXPECT_EQ(first.person.identifiers, std::vector<std::string>{"5304218"});
  ASSERT_TRUE(first.person.date_of_birth);
  EXPECT_EQ(format_date(*first.person.date_of_birth), "1915-11-11");
  EXPECT_FALSE(rows->rows[1].person.date_of_birth);  // 7 digits: unreadable
  EXPECT_EQ(rows->unreadable_dates, 1U);
  EXPECT_TRUE(rows->rows[1].person.identifiers.empty());

  LinkTableOptions no_ids;
  no_ids.use_identifiers = false;
  EXPECT_TRUE(people_from_table(*febrl, no_ids)->rows[0].person.identifiers.empty());

  auto splink = csv::parse(
      "unique_id,first_name,surname,dob,city,email,cluster\n"
      "0,Robert,Alan,1971-06-24,,robert255@smith.net,0\n");
  ASSERT_TRUE(splink.ok());
  auto s = people_from_table(*splink);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->rows[0].id, "0");
  EXPECT_EQ(format_date(*s->rows[0].person.date_of_birth), "1971-06-24");
}

TEST(LinkTable, ReadsEnglishDatesAndRefusesATableWithoutNames) {
  auto t = csv::parse("Forename,Last_Name,DOB\nAmy,Clarke,07/03/2015\nBen,Hall,31/02/2015\n");
  ASSERT_TRUE(t.ok());
  auto rows = people_from_table(*t);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(format_date(*rows->rows[0].person.date_of_birth), "2015-03-07");  // day first
  EXPECT_FALSE(rows->rows[1].person.date_of_birth);                           // no 31 February
  EXPECT_EQ(rows->rows[1].id, "2");  // no id column: the row's number

  auto nameless = csv::parse("id,dob\n1,2015-03-07\n");
  ASSERT_TRUE(nameless.ok());
  auto refused = people_from_table(*nameless);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
  EXPECT_NE(refused.error().message.find("given name or family name column"), std::string::npos);
}

}  // namespace
}  // namespace frontdoor::domain::linkage
