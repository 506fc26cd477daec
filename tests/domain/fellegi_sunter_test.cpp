// The Fellegi–Sunter model and its estimation, on sets with a known answer.
#include "domain/fellegi_sunter.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

namespace frontdoor::domain::linkage {
namespace {

std::vector<ComparisonSpec> three_comparisons() {
  return {{"name", {"exact", "close", "differs"}},
          {"dob", {"exact", "differs"}},
          {"postcode", {"exact", "district", "differs"}}};
}

// The true parameters the expected counts below are made from.
struct Truth {
  double prior = 0.2;
  std::vector<std::vector<double>> m{{0.85, 0.1, 0.05}, {0.9, 0.1}, {0.7, 0.2, 0.1}};
  std::vector<std::vector<double>> u{{0.05, 0.15, 0.8}, {0.1, 0.9}, {0.02, 0.18, 0.8}};
};

// Every pattern with its expected count among `pairs` pairs drawn from the
// truth's mixture. When a comparison has a share of missing values, each
// pattern is split into its present and missing forms in that proportion.
std::vector<Pattern> expected_patterns(const Truth& t, double pairs,
                                       std::vector<double> missing_share = {0, 0, 0}) {
  std::vector<Pattern> out;
  std::vector<std::int8_t> levels(3);
  std::function<void(std::size_t, double, double, double)> walk = [&](std::size_t c, double pm,
                                                                      double pu, double share) {
    if (c == 3) {
      out.push_back({levels, pairs * share * (t.prior * pm + (1 - t.prior) * pu)});
      return;
    }
    for (std::size_t l = 0; l < t.m[c].size(); ++l) {
      levels[c] = static_cast<std::int8_t>(l);
      walk(c + 1, pm * t.m[c][l], pu * t.u[c][l], share * (1 - missing_share[c]));
    }
    if (missing_share[c] > 0) {
      levels[c] = kMissing;
      walk(c + 1, pm, pu, share * missing_share[c]);
    }
  };
  walk(0, 1, 1, 1);
  return out;
}

void expect_recovers(const Model& model, const Truth& t, double tolerance) {
  EXPECT_NEAR(model.prior(), t.prior, tolerance);
  for (std::size_t c = 0; c < 3; ++c) {
    for (std::size_t l = 0; l < t.m[c].size(); ++l) {
      EXPECT_NEAR(model.parameters(c).m[l], t.m[c][l], tolerance) << "m of " << c << "/" << l;
      EXPECT_NEAR(model.parameters(c).u[l], t.u[c][l], tolerance) << "u of " << c << "/" << l;
    }
  }
}

TEST(FellegiSunter, AWeightIsTheLog2OfMOverUAndThePriorIsItsStart) {
  Model model(three_comparisons());
  model.set_prior(0.5);  // log2 odds 0
  model.set_parameters(0, {0.8, 0.15, 0.05}, {0.05, 0.15, 0.8});
  model.set_parameters(1, {0.9, 0.1}, {0.1, 0.9});
  EXPECT_DOUBLE_EQ(model.level_weight(0, 0), std::log2(0.8 / 0.05));  // 4 bits
  EXPECT_DOUBLE_EQ(model.level_weight(0, 1), 0.0);
  EXPECT_DOUBLE_EQ(model.level_weight(1, 1), std::log2(0.1 / 0.9));
  EXPECT_DOUBLE_EQ(model.level_weight(2, kMissing), 0.0);
  const std::vector<std::int8_t> pair{0, 1, kMissing};
  EXPECT_DOUBLE_EQ(model.match_weight(pair), 4.0 + std::log2(0.1 / 0.9));
  model.set_prior(0.2);  // odds 1:4, -2 bits
  EXPECT_NEAR(model.match_weight(pair), 2.0 + std::log2(0.1 / 0.9), 1e-12);
  const auto parts = model.explain(pair);
  ASSERT_EQ(parts.size(), 3U);
  EXPECT_DOUBLE_EQ(parts[0].weight, 4.0);
  EXPECT_EQ(parts[2].level, kMissing);
  EXPECT_EQ(parts[2].weight, 0.0);
}

TEST(FellegiSunter, ProbabilityAndWeightAreInverses) {
  EXPECT_DOUBLE_EQ(Model::probability(0), 0.5);
  EXPECT_DOUBLE_EQ(Model::probability(1), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(Model::probability(-1), 1.0 / 3.0);
  EXPECT_GT(Model::probability(2000), 0.999999);  // finite, no overflow
  EXPECT_LT(Model::probability(-2000), 1e-300);
  for (double p : {0.01, 0.5, 0.9, 0.999}) {
    EXPECT_NEAR(Model::probability(Model::weight_for_probability(p)), p, 1e-12);
  }
}

TEST(FellegiSunter, ProbabilitiesAreFlooredAndNormalised) {
  Model model(three_comparisons());
  model.set_parameters(1, {3, 1}, {0, 2});  // u of level 0 would weigh infinitely
  EXPECT_DOUBLE_EQ(model.parameters(1).m[0], 0.75);
  EXPECT_GT(model.parameters(1).u[0], 0.0);
  EXPECT_TRUE(std::isfinite(model.level_weight(1, 0)));
  EXPECT_THROW(model.set_m(1, {1, 2, 3}), std::invalid_argument);
  const std::vector<ComparisonSpec> one_level{{"one level", {"only"}}};
  EXPECT_THROW(Model{one_level}, std::invalid_argument);
}

TEST(FellegiSunter, EmRecoversTheParametersThePairsWereMadeFrom) {
  const Truth truth;
  const auto patterns = expected_patterns(truth, 100000);
  Model model(three_comparisons());
  model.set_prior(0.05);
  const EmResult result = estimate_em(model, patterns, {});
  EXPECT_TRUE(result.converged);
  EXPECT_GT(result.iterations, 1);
  expect_recovers(model, truth, 1e-4);
}

TEST(FellegiSunter, EmRecoversThemWithMissingValues) {
  const Truth truth;
  // A third of dates of birth and a half of postcodes unknown.
  const auto patterns = expected_patterns(truth, 100000, {0, 1.0 / 3, 0.5});
  Model model(three_comparisons());
  const EmResult result = estimate_em(model, patterns, {});
  EXPECT_TRUE(result.converged);
  expect_recovers(model, truth, 1e-4);
}

TEST(FellegiSunter, EmWithUFixedEstimatesMAndThePrior) {
  const Truth truth;
  const auto patterns = expected_patterns(truth, 50000);
  Model model(three_comparisons());
  for (std::size_t c = 0; c < 3; ++c) model.set_u(c, truth.u[c]);
  EmOptions options;
  options.estimate_u = false;
  EXPECT_TRUE(estimate_em(model, patterns, options).converged);
  expect_recovers(model, truth, 1e-4);
}

TEST(FellegiSunter, EachIterationRaisesTheLikelihood) {
  const Truth truth;
  const auto patterns = expected_patterns(truth, 1000, {0, 0.2, 0.1});
  Model model(three_comparisons());
  double last = -INFINITY;
  for (int i = 0; i < 30; ++i) {
    EmOptions one;
    one.max_iterations = 1;
    const double ll = estimate_em(model, patterns, one).log_likelihood;
    EXPECT_GE(ll, last - 1e-9) << "iteration " << i;
    last = ll;
  }
}

TEST(FellegiSunter, OneHandWorkedEmStep) {
  // One comparison of two levels, two patterns: 30 pairs agree, 70 differ.
  // Start: prior 0.5, m = (0.8, 0.2), u = (0.2, 0.8).
  // E: agree g = 0.4/(0.4+0.1) = 0.8; differ g = 0.1/(0.1+0.4) = 0.2.
  // M: matches = 30*0.8 + 70*0.2 = 38, prior 0.38; m = (24/38, 14/38);
  //    u = (6/62, 56/62).
  Model model(std::vector<ComparisonSpec>{{"field", {"agree", "differ"}}});
  model.set_prior(0.5);
  model.set_parameters(0, {0.8, 0.2}, {0.2, 0.8});
  const std::vector<Pattern> patterns{{{0}, 30}, {{1}, 70}};
  EmOptions one;
  one.max_iterations = 1;
  const EmResult result = estimate_em(model, patterns, one);
  EXPECT_EQ(result.iterations, 1);
  EXPECT_NEAR(model.prior(), 0.38, 1e-12);
  EXPECT_NEAR(model.parameters(0).m[0], 24.0 / 38, 1e-12);
  EXPECT_NEAR(model.parameters(0).u[1], 56.0 / 62, 1e-12);
  EXPECT_NEAR(result.log_likelihood, 30 * std::log(0.5) + 70 * std::log(0.5), 1e-9);
}

TEST(FellegiSunter, APseudoCountKeepsALevelNeverSeenFromWeighingMinusInfinity) {
  // Three levels; no pair ever shows level 1.
  const std::vector<ComparisonSpec> spec{
      {"a", {"same", "close", "differs"}}, {"b", {"same", "differs"}}, {"c", {"same", "differs"}}};
  const std::vector<Pattern> patterns{
      {{0, 0, 0}, 40}, {{2, 1, 1}, 400}, {{0, 1, 1}, 20}, {{2, 0, 1}, 30}, {{2, 1, 0}, 25}};
  Model plain(spec);
  plain.set_u(0, {0.05, 0.15, 0.8});  // u from random pairs, as the linker does
  EmOptions options;
  options.estimate_u = false;
  estimate_em(plain, patterns, options);
  EXPECT_LT(plain.parameters(0).m[1], 1e-5);
  Model smoothed(spec);
  smoothed.set_u(0, {0.05, 0.15, 0.8});
  options.pseudo_count = 10;
  estimate_em(smoothed, patterns, options);
  // About 10 x 2/7 pseudo-matches of ~50 matches: a few per cent.
  EXPECT_GT(smoothed.parameters(0).m[1], 0.02);
  EXPECT_GT(smoothed.level_weight(0, 1), plain.level_weight(0, 1) + 5);
}

TEST(FellegiSunter, EmRefusesALevelOutOfRange) {
  Model model(three_comparisons());
  const std::vector<Pattern> bad{{{0, 2, 0}, 1}};  // dob has levels 0 and 1
  EXPECT_THROW(estimate_em(model, bad, {}), std::invalid_argument);
}

TEST(FellegiSunter, UFromRandomPairsIsTheShareOfEachLevel) {
  Model model(three_comparisons());
  const std::vector<Pattern> random{{{2, 1, 2}, 90}, {{1, 1, 1}, 8}, {{0, 0, kMissing}, 2}};
  estimate_u(model, random);
  EXPECT_NEAR(model.parameters(0).u[0], 0.02, 1e-9);
  EXPECT_NEAR(model.parameters(0).u[1], 0.08, 1e-9);
  EXPECT_NEAR(model.parameters(1).u[0], 0.02, 1e-9);
  // Postcode: the 2 missing are left out: 8 of 98 in the district; level 0,
  // never seen, counts as seen once (of 99).
  EXPECT_NEAR(model.parameters(2).u[1], 8.0 / 99, 1e-9);
  EXPECT_NEAR(model.parameters(2).u[0], 1.0 / 99, 1e-9);
}

TEST(FellegiSunter, TallyCountsIdenticalVectors) {
  const std::vector<std::vector<std::int8_t>> vectors{{0, 1}, {1, 1}, {0, 1}, {0, kMissing}};
  const auto patterns = tally(vectors);
  ASSERT_EQ(patterns.size(), 3U);
  double total = 0;
  for (const auto& p : patterns) {
    total += p.count;
    if (p.levels == std::vector<std::int8_t>{0, 1}) {
      EXPECT_EQ(p.count, 2);
    }
  }
  EXPECT_EQ(total, 4);
}

TEST(FellegiSunter, ACommonNameAgreeingCountsForLessThanARareOne) {
  TermFrequencies names;
  for (int i = 0; i < 98; ++i) names.add("smith");
  names.add("zebedee");
  names.add("jones");
  EXPECT_DOUBLE_EQ(names.frequency("smith"), 0.98);
  EXPECT_DOUBLE_EQ(names.frequency("zebedee"), 0.01);
  EXPECT_DOUBLE_EQ(names.frequency("never seen"), 0.01);
  Model model(std::vector<ComparisonSpec>{{"family name", {"exact", "differs"}}});
  model.set_parameters(0, {0.9, 0.1}, {0.05, 0.95});
  const double common = model.tf_level_weight(0, 0, names.frequency("smith"));
  const double rare = model.tf_level_weight(0, 0, names.frequency("zebedee"));
  EXPECT_LT(common, model.level_weight(0, 0));
  EXPECT_GT(rare, model.level_weight(0, 0));
  EXPECT_NEAR(rare - common, std::log2(0.98 / 0.01), 1e-12);
  EXPECT_EQ(TermFrequencies{}.frequency("x"), 0.0);
}

TEST(FellegiSunter, TermFrequenciesTakeBackWhatWasAdded) {
  TermFrequencies names;
  names.add("smith");
  names.add("smith");
  names.add("jones");
  names.remove("smith");
  EXPECT_EQ(names.total(), 2U);
  EXPECT_DOUBLE_EQ(names.frequency("smith"), 0.5);
  names.remove("smith");
  names.remove("never added");  // ignored
  EXPECT_EQ(names.total(), 1U);
  EXPECT_DOUBLE_EQ(names.frequency("jones"), 1.0);
  EXPECT_DOUBLE_EQ(names.frequency("smith"), 1.0);  // unseen again: as rare as seen once
}

}  // namespace
}  // namespace frontdoor::domain::linkage
