#pragma once
// Linking people: candidate pairs by blocking, a Fellegi–Sunter model
// trained on the records themselves, and each pair scored with its
// explanation and band. Used by `frontdoor match` and the accuracy benchmark
// (bench/linkage_bench.cpp); the live person search will score with it too.
//
// Blocking: two records become a candidate pair when they share any one of
// several keys, so that one error in one field cannot hide a person:
//   family name's sound + given initial; given name's sound + family initial
//   (which also pairs swapped names); both names' sounds; given name's sound
//   + year of birth; family name's sound + year of birth; date of birth (and
//   its day/month swap); postcode + given initial; postcode + year of birth;
//   house number + street; identifier. A key shared by more than max_block records is too common to
//   pair on (the other keys still apply).
//
// Training (train()): u from random pairs; then m and the prior by EM over
// the candidate pairs, with u held; term frequencies of given and family
// names from all the records.
//
// Pure: no I/O.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/fellegi_sunter.hpp"
#include "domain/person_comparison.hpp"

namespace frontdoor::domain::linkage {

enum class Band { kNoMatch, kReview, kAutoLink };
const char* to_string(Band band);

struct Bands {
  // Probabilities at or above which a pair is offered for review, and linked
  // automatically. Automatic links never happen below auto_link.
  double review = 0.5;
  double auto_link = 0.999;
};

struct CandidatePair {
  std::uint32_t left = 0;
  std::uint32_t right = 0;  // into the right-hand set; in deduplication, left < right
};

struct BlockingOptions {
  std::size_t max_block = 2000;
};

// Pairs between two sets (linking), or within one (right == nullptr:
// deduplication). Sorted, no pair twice.
std::vector<CandidatePair> candidate_pairs(const std::vector<LinkRecord>& left,
                                           const std::vector<LinkRecord>* right,
                                           const BlockingOptions& options = {});

struct ScoredPair {
  std::uint32_t left = 0;
  std::uint32_t right = 0;
  double match_weight = 0;
  double probability = 0;
  Band band = Band::kNoMatch;
  PairComparison comparison;
};

struct TrainingOptions {
  std::size_t random_pairs = 200000;  // for u
  // Off: m and the prior stay as they are (only u and the term frequencies
  // are estimated): for a store too small, or too clean, for EM to tell
  // matches from look-alikes such as siblings.
  bool estimate_m = true;
  std::uint64_t seed = 20261201;
  // Parameters to six places are plenty for weights shown to one decimal.
  // pseudo_count: see EmOptions; negligible with thousands of records.
  EmOptions em{.max_iterations = 1000,
               .tolerance = 1e-6,
               .estimate_u = false,
               .estimate_m = true,
               .left_out = {},
               .pseudo_count = 2};
};

struct TrainingReport {
  std::size_t random_pairs = 0;
  std::size_t candidate_pairs = 0;
  EmResult em;
};

class Linker {
 public:
  Linker();                      // the untrained starting model
  explicit Linker(Model model);  // e.g. reference_model()

  // Trains on the records to be linked (right == nullptr: one set), starting
  // from the current model.
  TrainingReport train(const std::vector<LinkRecord>& left, const std::vector<LinkRecord>* right,
                       const std::vector<CandidatePair>& candidates,
                       const TrainingOptions& options = {});

  // Counts names for the term-frequency adjustment (train() does this).
  void count_names(const std::vector<LinkRecord>& records);
  // One record's names counted in, or taken out: a live index keeps its
  // term frequencies current as people are recorded and corrected.
  void add_names(const LinkRecord& record);
  void remove_names(const LinkRecord& record);

  ScoredPair score(const LinkRecord& a, const LinkRecord& b, const Bands& bands = {}) const;
  // The pair's match weight in parts a worker can read, strongest first:
  // "family name matches exactly (+9.3)". Missing comparisons are left out.
  std::vector<std::string> explain(const LinkRecord& a, const LinkRecord& b) const;

  // For scoring one record against many (a search): the weight of every
  // level of every comparison with a as the left-hand record, a's names'
  // term frequencies looked up once. score(weights_for(a), compare(a, b))
  // is score(a, b), to the last bit; explain likewise.
  static constexpr std::size_t kMaxLevels = 8;
  struct Weights {
    double prior_weight = 0;  // log2 of the prior odds
    std::array<std::array<double, kMaxLevels>, kPersonComparisons> level{};
    // Given and family names agreeing exactly only once swapped round: no
    // term-frequency adjustment.
    std::array<double, 2> swapped_exact{};
  };
  Weights weights_for(const LinkRecord& a) const;
  ScoredPair score(const Weights& weights, const PairComparison& comparison,
                   const Bands& bands = {}) const;
  // score(weights, comparison).match_weight alone.
  static double match_weight(const Weights& weights, const PairComparison& comparison);
  std::vector<std::string> explain(const Weights& weights, const PairComparison& comparison) const;

  const Model& model() const { return model_; }
  Model& model() { return model_; }
  // Replaces m, u and the prior; the term frequencies stay.
  void set_model(Model model) { model_ = std::move(model); }
  // Names are weighed by how common they are only once this many have been
  // counted: in a handful of records every name looks common (one child
  // is all of a store's "Kezia"s) and agreeing on it would count for
  // nothing. Default 0: always.
  void set_term_frequency_minimum(std::size_t names) { tf_minimum_ = names; }

 private:
  double level_weight(std::size_t comparison, std::int8_t level, const LinkRecord& a,
                      const LinkRecord& b, bool swapped) const;
  static double weight_of(const Weights& weights, std::size_t comparison, std::int8_t level,
                          bool swapped);

  bool uses_frequencies(const TermFrequencies& names) const {
    return names.total() > 0 && names.total() >= tf_minimum_;
  }

  Model model_;
  TermFrequencies given_;
  TermFrequencies family_;
  std::size_t tf_minimum_ = 0;
};

// The model trained without labels on the FEBRL 4 reference files (4b
// linked to 4a, identifiers included; `linkage_bench --write-reference-model`
// regenerates src/domain/reference_model.cpp). A council's store starts
// from it: u and the name frequencies are always its own; m comes from
// EM on its own records once there are enough of them (see app/people.cpp).
Model reference_model();

}  // namespace frontdoor::domain::linkage
