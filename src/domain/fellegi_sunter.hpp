#pragma once
// The Fellegi–Sunter model of record linkage, the statistics behind person
// matching (issue #4; Splink uses the same model).
//
// A pair of records is compared field by field; each comparison gives a
// level of agreement (level 0 the closest, the last level "differs"), or
// kMissing when either record lacks the value. For every level the model
// holds two probabilities:
//   m = P(level | the two records are the same person)
//   u = P(level | they are two different people)
// and the prior, lambda = P(same person) for a candidate pair. A level's
// weight is log2(m / u), positive when it is evidence for a match; the
// pair's match weight is the prior's log2 odds plus the weights of its
// levels (a missing value weighs nothing), and its match probability is
// 2^w / (1 + 2^w). Everything assumes the comparisons are independent given
// match status, as the model does.
//
// The parameters are estimated from the council's own records, without
// labels: u from random pairs (nearly all of them two different people), m
// and lambda by expectation maximisation over candidate pairs
// (estimate_em). A term-frequency adjustment replaces u of an exact
// agreement on a name by how common that name is, so that two records
// sharing "Smith" count for less than two sharing "Zebedee".
//
// Pure: no I/O.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace frontdoor::domain::linkage {

constexpr std::int8_t kMissing = -1;

// One comparison of a pair: its name and, for each level, how it reads in
// an explanation ("date of birth has day and month swapped"). Level 0 is
// the closest agreement; the last level is disagreement.
struct ComparisonSpec {
  std::string name;
  std::vector<std::string> levels;
};

struct LevelProbabilities {
  std::vector<double> m;
  std::vector<double> u;
};

// One part of a pair's match weight, for its explanation.
struct WeightPart {
  std::size_t comparison = 0;
  std::int8_t level = kMissing;
  double weight = 0;  // log2 Bayes factor; 0 when missing
};

class Model {
 public:
  // Probabilities below this never occur: a level seen never in one class
  // would otherwise weigh infinitely.
  static constexpr double kFloor = 1e-6;

  // Starts from a neutral guess: m falls and u rises from level 0 to the
  // last level, prior 1e-3. specs must be non-empty, each with at least two
  // levels and at most 100 (a programming error otherwise: it throws).
  explicit Model(std::vector<ComparisonSpec> specs);

  std::size_t comparisons() const { return specs_.size(); }
  const ComparisonSpec& spec(std::size_t c) const { return specs_.at(c); }
  const LevelProbabilities& parameters(std::size_t c) const { return params_.at(c); }
  double prior() const { return prior_; }

  // Replaces one comparison's probabilities; each list must have one value
  // per level, each in (0, 1]; they are floored and renormalised to sum 1.
  void set_parameters(std::size_t c, std::vector<double> m, std::vector<double> u);
  void set_m(std::size_t c, std::vector<double> m);
  void set_u(std::size_t c, std::vector<double> u);
  void set_prior(double prior);  // clamped to [kFloor, 1 - kFloor]

  // log2(m / u) of one level; 0 for kMissing.
  double level_weight(std::size_t c, std::int8_t level) const;
  // log2(m / term_frequency): an exact agreement on a value this common.
  double tf_level_weight(std::size_t c, std::int8_t level, double term_frequency) const;

  // The prior's log2 odds plus each comparison's weight. levels has one
  // entry per comparison.
  double match_weight(std::span<const std::int8_t> levels) const;
  std::vector<WeightPart> explain(std::span<const std::int8_t> levels) const;

  static double probability(double match_weight);
  // The match weight at which probability() is p.
  static double weight_for_probability(double p);

 private:
  std::vector<ComparisonSpec> specs_;
  std::vector<LevelProbabilities> params_;
  double prior_ = 1e-3;
};

// Identical comparison vectors counted together: EM's input.
struct Pattern {
  std::vector<std::int8_t> levels;
  double count = 0;
};
std::vector<Pattern> tally(std::span<const std::vector<std::int8_t>> vectors);

struct EmOptions {
  int max_iterations = 500;
  // Converged when no probability moves by more than this in an iteration.
  double tolerance = 1e-9;
  // Off: u stays as given (estimated from random pairs, which is steadier).
  bool estimate_u = true;
  // Off: m stays as given (only the prior, and u when on, are estimated).
  bool estimate_m = true;
  // Comparisons left out of this estimation (true at their index): they
  // count as missing and keep their values. Pairs chosen because they agree
  // on a field say nothing about how often matches agree on it, so a
  // session trained on pairs of the same date of birth leaves the date out
  // (Splink trains the same way).
  std::vector<bool> left_out;
  // Pairs' worth of the starting probabilities added to every M step's
  // counts (a Dirichlet prior). Without it a level the pairs happen never to
  // show among matches gets m at the floor, and a real match showing it
  // later weighs near -20: with a few hundred records, one nickname or one
  // swapped date among the matches is chance.
  double pseudo_count = 0;
};

struct EmResult {
  int iterations = 0;
  bool converged = false;
  double log_likelihood = 0;  // natural log, of the patterns under the final model
};

// Expectation maximisation of m, u (optionally) and the prior from candidate
// pairs, starting from the model's current values (start with m above u at
// level 0: the labels "match" and "non-match" follow the start).
EmResult estimate_em(Model& model, std::span<const Pattern> patterns, const EmOptions& options);

// u from pairs drawn at random: the share of each level among pairs where
// the comparison is not missing; a level none of them shows counts as shown
// by one.
void estimate_u(Model& model, std::span<const Pattern> random_pairs);

// How common each value of a field is among the records: the chance that a
// record drawn at random has that value, which is u of an exact agreement on
// it (two different people share "smith" far more often than "zebedee").
class TermFrequencies {
 public:
  void add(std::string_view value);
  // Takes back one add() of the value (a record changed or left); a value
  // never added is ignored.
  void remove(std::string_view value);
  // count / total, at least 1 / total (an unseen value is as rare as a
  // value seen once); 0 when nothing was added.
  double frequency(std::string_view value) const;
  std::size_t total() const { return total_; }

 private:
  std::unordered_map<std::string, std::size_t> counts_;
  std::size_t total_ = 0;
};

}  // namespace frontdoor::domain::linkage
