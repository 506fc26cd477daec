#include "domain/linker.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <random>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "domain/name_matching.hpp"
#include "domain/person_search_internal.hpp"

namespace frontdoor::domain::linkage {
namespace {

namespace nm = name_matching;

std::string ymd_key(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd{d};
  char text[16];
  std::snprintf(text, sizeof text, "%04d%02u%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

// The blocking keys of one record (see the header).
std::vector<std::string> blocking_keys(const LinkRecord& r) {
  std::vector<std::string> keys;
  const std::string given = r.given_names.empty() ? "" : r.given_names.front();
  const std::string family = r.family_names.empty() ? "" : r.family_names.front();
  const std::string given_initial = given.empty() ? "" : given.substr(0, 1);
  const std::string given_sound = nm::metaphone(given);
  if (!given_initial.empty()) {
    std::vector<std::string> family_forms = r.family_names;
    family_forms.insert(family_forms.end(), r.family_parts.begin(), r.family_parts.end());
    for (const auto& f : family_forms) {
      if (auto sound = nm::metaphone(f); !sound.empty())
        keys.push_back("F" + sound + given_initial);
    }
  }
  if (!given_sound.empty() && !family.empty())
    keys.push_back("F" + given_sound + family.substr(0, 1));
  if (r.date_of_birth) {
    const std::chrono::year_month_day ymd{*r.date_of_birth};
    if (!given_sound.empty()) {
      keys.push_back("Y" + given_sound + std::to_string(static_cast<int>(ymd.year())));
    }
    keys.push_back("D" + ymd_key(*r.date_of_birth));
    if (auto swapped = person_search_detail::day_month_swapped(*r.date_of_birth)) {
      keys.push_back("D" + ymd_key(*swapped));
    }
  }
  const std::string family_sound = nm::metaphone(family);
  std::string year;
  if (r.date_of_birth)
    year = std::to_string(static_cast<int>(std::chrono::year_month_day{*r.date_of_birth}.year()));
  if (!family_sound.empty() && !year.empty()) keys.push_back("Z" + family_sound + year);
  if (!given_sound.empty() && !family_sound.empty())
    keys.push_back("G" + given_sound + family_sound);
  for (const auto& pc : r.postcodes) {
    keys.push_back("P" + pc + given_initial);
    if (!year.empty()) keys.push_back("Q" + pc + year);
  }
  for (const auto& words : r.addresses) {
    // The house number and the first street word: "12 high".
    std::string number;
    std::string street;
    for (const auto& w : words) {
      if (number.empty() && std::isdigit(static_cast<unsigned char>(w.front())) != 0) {
        number = w;
      } else if (street.empty() && std::isalpha(static_cast<unsigned char>(w.front())) != 0) {
        street = w;
      }
    }
    if (!number.empty() && !street.empty()) keys.push_back("A" + number + " " + street);
  }
  for (const auto& id : r.identifiers) keys.push_back("I" + id);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::uint64_t pack(std::uint32_t a, std::uint32_t b) {
  return (static_cast<std::uint64_t>(a) << 32) | b;
}

}  // namespace

const char* to_string(Band band) {
  switch (band) {
    case Band::kAutoLink:
      return "link";
    case Band::kReview:
      return "review";
    case Band::kNoMatch:
      break;
  }
  return "no match";
}

std::vector<CandidatePair> candidate_pairs(const std::vector<LinkRecord>& left,
                                           const std::vector<LinkRecord>* right,
                                           const BlockingOptions& options) {
  struct Block {
    std::vector<std::uint32_t> left;
    std::vector<std::uint32_t> right;
  };
  std::unordered_map<std::string, Block> blocks;
  for (std::uint32_t i = 0; i < left.size(); ++i) {
    for (auto& key : blocking_keys(left[i])) blocks[std::move(key)].left.push_back(i);
  }
  if (right != nullptr) {
    for (std::uint32_t j = 0; j < right->size(); ++j) {
      for (auto& key : blocking_keys((*right)[j])) blocks[std::move(key)].right.push_back(j);
    }
  }
  std::vector<std::uint64_t> packed;
  for (const auto& [key, block] : blocks) {
    if (right != nullptr) {
      if (block.left.size() * block.right.size() > options.max_block * options.max_block / 4 ||
          block.left.size() > options.max_block || block.right.size() > options.max_block) {
        continue;
      }
      for (auto i : block.left) {
        for (auto j : block.right) packed.push_back(pack(i, j));
      }
    } else {
      if (block.left.size() > options.max_block) continue;
      for (std::size_t x = 0; x < block.left.size(); ++x) {
        for (std::size_t y = x + 1; y < block.left.size(); ++y) {
          packed.push_back(pack(block.left[x], block.left[y]));  // ascending: x < y
        }
      }
    }
  }
  std::sort(packed.begin(), packed.end());
  packed.erase(std::unique(packed.begin(), packed.end()), packed.end());
  std::vector<CandidatePair> pairs;
  pairs.reserve(packed.size());
  for (auto p : packed) {
    pairs.push_back({static_cast<std::uint32_t>(p >> 32), static_cast<std::uint32_t>(p)});
  }
  return pairs;
}

Linker::Linker() : model_(person_comparison_specs()) {}
Linker::Linker(Model model) : model_(std::move(model)) {}

void Linker::count_names(const std::vector<LinkRecord>& records) {
  for (const auto& r : records) add_names(r);
}

void Linker::add_names(const LinkRecord& r) {
  if (!r.given_names.empty()) given_.add(r.given_names.front());
  if (!r.family_names.empty()) family_.add(r.family_names.front());
}

void Linker::remove_names(const LinkRecord& r) {
  if (!r.given_names.empty()) given_.remove(r.given_names.front());
  if (!r.family_names.empty()) family_.remove(r.family_names.front());
}

TrainingReport Linker::train(const std::vector<LinkRecord>& left,
                             const std::vector<LinkRecord>* right,
                             const std::vector<CandidatePair>& candidates,
                             const TrainingOptions& options) {
  TrainingReport report;
  given_ = {};
  family_ = {};
  count_names(left);
  if (right != nullptr) count_names(*right);

  // u: pairs drawn at random are nearly all two different people.
  const std::vector<LinkRecord>& other = right != nullptr ? *right : left;
  std::vector<std::vector<std::int8_t>> random;
  if (!left.empty() && !other.empty() && (right != nullptr || left.size() > 1)) {
    std::mt19937_64 rng(options.seed);
    std::uniform_int_distribution<std::size_t> pick_left(0, left.size() - 1);
    std::uniform_int_distribution<std::size_t> pick_right(0, other.size() - 1);
    random.reserve(options.random_pairs);
    while (random.size() < options.random_pairs) {
      const std::size_t i = pick_left(rng);
      const std::size_t j = pick_right(rng);
      if (right == nullptr && i == j) continue;
      const auto c = compare(left[i], other[j]);
      random.emplace_back(c.levels.begin(), c.levels.end());
    }
  }
  report.random_pairs = random.size();
  if (!random.empty()) estimate_u(model_, tally(random));
  if (!options.estimate_m) return report;

  // m: EM over candidate pairs that agree on one thing, with that thing
  // left out (pairs chosen for agreeing on it say nothing of how often
  // matches agree on it): pairs born the same day give m of the names and
  // the rest; pairs of the same full name give m of the date of birth and
  // the rest. What both sessions estimate is averaged.
  std::vector<PairComparison> compared;
  compared.reserve(candidates.size());
  for (const auto& p : candidates) compared.push_back(compare(left[p.left], other[p.right]));
  report.candidate_pairs = compared.size();
  // A session's model, its EM result, and which comparisons its pairs ever
  // showed (a field no pair of the session has taught it nothing).
  struct Session {
    Model model;
    EmResult em;
    std::array<bool, kPersonComparisons> seen{};
  };
  auto session = [&](const auto& selects, std::vector<bool> left_out) {
    std::vector<std::vector<std::int8_t>> vectors;
    Session out{model_, {}, {}};
    for (const auto& c : compared) {
      if (!selects(c)) continue;
      vectors.emplace_back(c.levels.begin(), c.levels.end());
      for (std::size_t i = 0; i < kPersonComparisons; ++i) {
        out.seen[i] = out.seen[i] || c.levels[i] != kMissing;
      }
    }
    out.model.set_prior(0.5);
    EmOptions em = options.em;
    em.estimate_u = false;
    em.left_out = std::move(left_out);
    if (!vectors.empty()) out.em = estimate_em(out.model, tally(vectors), em);
    return out;
  };
  std::vector<bool> without_dob(kPersonComparisons, false);
  without_dob[kDateOfBirth] = true;
  std::vector<bool> without_names(kPersonComparisons, false);
  without_names[kGivenName] = without_names[kFamilyName] = true;
  const Session by_dob =
      session([](const PairComparison& c) { return c.levels[kDateOfBirth] == 0; }, without_dob);
  const Session by_name = session(
      [](const PairComparison& c) {
        return c.levels[kGivenName] == 0 && c.levels[kFamilyName] == 0 && !c.names_swapped;
      },
      without_names);
  report.em = by_dob.em;
  report.em.converged = by_dob.em.converged && by_name.em.converged;
  report.em.iterations = by_dob.em.iterations + by_name.em.iterations;
  // Each comparison's m from the sessions whose pairs showed it: the names
  // from the date-of-birth session, the date from the names session, the
  // rest averaged over those that saw them (a session that never saw a
  // field would only repeat its starting guess). Unseen: m stays.
  auto take = [&](std::size_t c, std::initializer_list<const Session*> sessions) {
    std::vector<double> sum(model_.parameters(c).m.size(), 0.0);
    int n = 0;
    for (const Session* from : sessions) {
      if (!from->seen[c]) continue;
      const auto& m = from->model.parameters(c).m;
      for (std::size_t l = 0; l < sum.size(); ++l) sum[l] += m[l];
      ++n;
    }
    if (n == 0) return;
    for (auto& x : sum) x /= n;
    model_.set_m(c, std::move(sum));
  };
  take(kGivenName, {&by_dob});
  take(kFamilyName, {&by_dob});
  take(kDateOfBirth, {&by_name});
  for (std::size_t c : {std::size_t{kPostcode}, std::size_t{kAddress}, std::size_t{kIdentifier}}) {
    take(c, {&by_dob, &by_name});
  }
  // The prior: the share of candidate pairs that are matches, m and u held.
  if (!compared.empty()) {
    std::vector<std::vector<std::int8_t>> vectors;
    vectors.reserve(compared.size());
    for (const auto& c : compared) vectors.emplace_back(c.levels.begin(), c.levels.end());
    model_.set_prior(0.05);
    EmOptions em = options.em;
    em.estimate_u = false;
    em.estimate_m = false;
    (void)estimate_em(model_, tally(vectors), em);
  }
  return report;
}

double Linker::level_weight(std::size_t comparison, std::int8_t level, const LinkRecord& a,
                            const LinkRecord& b, bool swapped) const {
  // Term frequency: an exact agreement weighs by how common the name is.
  if (level == 0 && !swapped) {
    if (comparison == kGivenName && uses_frequencies(given_) && !a.given_names.empty() &&
        a.given_names.front() == b.given_names.front()) {
      return model_.tf_level_weight(comparison, level, given_.frequency(a.given_names.front()));
    }
    if (comparison == kFamilyName && uses_frequencies(family_) && !a.family_names.empty()) {
      return model_.tf_level_weight(comparison, level, family_.frequency(a.family_names.front()));
    }
  }
  return model_.level_weight(comparison, level);
}

namespace {

Band band_of(double probability, const Bands& bands) {
  return probability >= bands.auto_link ? Band::kAutoLink
         : probability >= bands.review  ? Band::kReview
                                        : Band::kNoMatch;
}

}  // namespace

ScoredPair Linker::score(const LinkRecord& a, const LinkRecord& b, const Bands& bands) const {
  ScoredPair s;
  s.comparison = compare(a, b);
  double w = std::log2(model_.prior() / (1 - model_.prior()));
  for (std::size_t c = 0; c < kPersonComparisons; ++c) {
    w += level_weight(c, s.comparison.levels[c], a, b, s.comparison.names_swapped);
  }
  s.match_weight = w;
  s.probability = Model::probability(w);
  s.band = band_of(s.probability, bands);
  return s;
}

Linker::Weights Linker::weights_for(const LinkRecord& a) const {
  Weights weights;
  weights.prior_weight = std::log2(model_.prior() / (1 - model_.prior()));
  for (std::size_t c = 0; c < kPersonComparisons; ++c) {
    const std::size_t levels = model_.spec(c).levels.size();
    if (levels > kMaxLevels) throw std::invalid_argument("too many levels in a comparison");
    for (std::size_t l = 0; l < levels; ++l) {
      weights.level[c][l] = model_.level_weight(c, static_cast<std::int8_t>(l));
    }
  }
  weights.swapped_exact = {weights.level[kGivenName][0], weights.level[kFamilyName][0]};
  // Exact agreement weighs by how common the name is (level_weight(): the
  // first given names are then equal, the current family names too).
  if (uses_frequencies(given_) && !a.given_names.empty()) {
    weights.level[kGivenName][0] =
        model_.tf_level_weight(kGivenName, 0, given_.frequency(a.given_names.front()));
  }
  if (uses_frequencies(family_) && !a.family_names.empty()) {
    weights.level[kFamilyName][0] =
        model_.tf_level_weight(kFamilyName, 0, family_.frequency(a.family_names.front()));
  }
  return weights;
}

double Linker::weight_of(const Weights& weights, std::size_t comparison, std::int8_t level,
                         bool swapped) {
  if (level == kMissing) return 0;
  if (level == 0 && swapped && comparison <= kFamilyName) {
    return weights.swapped_exact[comparison];
  }
  return weights.level[comparison][static_cast<std::size_t>(level)];
}

double Linker::match_weight(const Weights& weights, const PairComparison& comparison) {
  double w = weights.prior_weight;
  for (std::size_t c = 0; c < kPersonComparisons; ++c) {
    w += weight_of(weights, c, comparison.levels[c], comparison.names_swapped);
  }
  return w;
}

ScoredPair Linker::score(const Weights& weights, const PairComparison& comparison,
                         const Bands& bands) const {
  ScoredPair s;
  s.comparison = comparison;
  const double w = match_weight(weights, comparison);
  s.match_weight = w;
  s.probability = Model::probability(w);
  s.band = band_of(s.probability, bands);
  return s;
}

namespace {

// " (%+.1f)" of w, as snprintf writes it, without its cost in the common
// case: w * 10 rounds the same way as w's exact decimal value unless it is
// within a hair of half way, where snprintf itself decides.
std::string weight_text(double w) {
  const double tenths = w * 10;
  const double rounded = std::nearbyint(tenths);
  if (std::isfinite(w) && std::abs(tenths) < 1e9 &&
      std::abs(std::abs(tenths - rounded) - 0.5) > 1e-6) {
    const auto n = static_cast<long long>(std::abs(rounded));
    std::string out = std::signbit(w) ? " (-" : " (+";
    out += std::to_string(n / 10);
    out += '.';
    out += static_cast<char>('0' + n % 10);
    out += ')';
    return out;
  }
  char text[32];
  std::snprintf(text, sizeof text, " (%+.1f)", w);
  return text;
}

// The parts of a pair's match weight, strongest first; weight_of(i, level)
// gives each comparison's weight.
template <typename WeightOf>
std::vector<std::string> explain_levels(const Model& model, const PairComparison& c,
                                        const WeightOf& weight_of) {
  std::vector<std::pair<double, std::string>> parts;
  for (std::size_t i = 0; i < kPersonComparisons; ++i) {
    const auto level = c.levels[i];
    if (level == kMissing) continue;
    const double w = weight_of(i, level);
    parts.emplace_back(w,
                       model.spec(i).levels.at(static_cast<std::size_t>(level)) + weight_text(w));
  }
  std::stable_sort(parts.begin(), parts.end(), [](const auto& x, const auto& y) {
    return std::abs(x.first) > std::abs(y.first);
  });
  std::vector<std::string> lines;
  lines.reserve(parts.size() + 1);
  if (c.names_swapped) lines.emplace_back("given and family names are written the other way round");
  for (auto& [w, text] : parts) lines.push_back(std::move(text));
  return lines;
}

}  // namespace

std::vector<std::string> Linker::explain(const LinkRecord& a, const LinkRecord& b) const {
  const PairComparison c = compare(a, b);
  return explain_levels(model_, c, [&](std::size_t i, std::int8_t level) {
    return level_weight(i, level, a, b, c.names_swapped);
  });
}

std::vector<std::string> Linker::explain(const Weights& weights,
                                         const PairComparison& comparison) const {
  return explain_levels(model_, comparison, [&](std::size_t i, std::int8_t level) {
    return weight_of(weights, i, level, comparison.names_swapped);
  });
}

}  // namespace frontdoor::domain::linkage
