#include "domain/fellegi_sunter.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <utility>

namespace frontdoor::domain::linkage {
namespace {

constexpr std::size_t kMaxLevels = 100;

// Floors every value at Model::kFloor and scales them to sum to 1.
std::vector<double> normalised(std::vector<double> values) {
  double sum = 0;
  for (double& v : values) {
    if (!(v >= Model::kFloor)) v = Model::kFloor;  // also NaN
    sum += v;
  }
  for (double& v : values) v /= sum;
  return values;
}

// A level that is not kMissing, as an index.
std::size_t index(std::int8_t level) {
  return static_cast<std::size_t>(static_cast<unsigned char>(level));
}

double clamp_probability(double p) {
  if (!(p >= Model::kFloor)) return Model::kFloor;
  return std::min(p, 1.0 - Model::kFloor);
}

}  // namespace

Model::Model(std::vector<ComparisonSpec> specs) : specs_(std::move(specs)) {
  if (specs_.empty()) throw std::invalid_argument("a model needs at least one comparison");
  params_.reserve(specs_.size());
  for (const auto& spec : specs_) {
    const std::size_t n = spec.levels.size();
    if (n < 2 || n > kMaxLevels) {
      throw std::invalid_argument("comparison " + spec.name + " needs 2 to 100 levels");
    }
    // m halves and u doubles from one level to the next.
    std::vector<double> m(n);
    std::vector<double> u(n);
    for (std::size_t l = 0; l < n; ++l) {
      m[l] = std::ldexp(1.0, -static_cast<int>(l));
      u[l] = std::ldexp(1.0, static_cast<int>(l) - static_cast<int>(n));
    }
    params_.push_back({normalised(std::move(m)), normalised(std::move(u))});
  }
}

void Model::set_parameters(std::size_t c, std::vector<double> m, std::vector<double> u) {
  set_m(c, std::move(m));
  set_u(c, std::move(u));
}

void Model::set_m(std::size_t c, std::vector<double> m) {
  auto& p = params_.at(c);
  if (m.size() != p.m.size()) throw std::invalid_argument("m needs one value per level");
  p.m = normalised(std::move(m));
}

void Model::set_u(std::size_t c, std::vector<double> u) {
  auto& p = params_.at(c);
  if (u.size() != p.u.size()) throw std::invalid_argument("u needs one value per level");
  p.u = normalised(std::move(u));
}

void Model::set_prior(double prior) {
  prior_ = clamp_probability(prior);
}

double Model::level_weight(std::size_t c, std::int8_t level) const {
  if (level == kMissing) return 0;
  const auto& p = params_.at(c);
  const auto l = index(level);
  return std::log2(p.m.at(l) / p.u.at(l));
}

double Model::tf_level_weight(std::size_t c, std::int8_t level, double term_frequency) const {
  if (level == kMissing) return 0;
  const auto& p = params_.at(c);
  return std::log2(p.m.at(index(level)) / clamp_probability(term_frequency));
}

double Model::match_weight(std::span<const std::int8_t> levels) const {
  if (levels.size() != specs_.size()) throw std::invalid_argument("one level per comparison");
  double w = std::log2(prior_ / (1 - prior_));
  for (std::size_t c = 0; c < levels.size(); ++c) w += level_weight(c, levels[c]);
  return w;
}

std::vector<WeightPart> Model::explain(std::span<const std::int8_t> levels) const {
  if (levels.size() != specs_.size()) throw std::invalid_argument("one level per comparison");
  std::vector<WeightPart> parts;
  parts.reserve(levels.size());
  for (std::size_t c = 0; c < levels.size(); ++c) {
    parts.push_back({c, levels[c], level_weight(c, levels[c])});
  }
  return parts;
}

double Model::probability(double match_weight) {
  // 2^w / (1 + 2^w), written to stay finite for large |w|.
  if (match_weight >= 0) return 1.0 / (1.0 + std::exp2(-match_weight));
  const double e = std::exp2(match_weight);
  return e / (1.0 + e);
}

double Model::weight_for_probability(double p) {
  const double q = clamp_probability(p);
  return std::log2(q / (1 - q));
}

std::vector<Pattern> tally(std::span<const std::vector<std::int8_t>> vectors) {
  std::map<std::vector<std::int8_t>, double> counts;
  for (const auto& v : vectors) counts[v] += 1;
  std::vector<Pattern> patterns;
  patterns.reserve(counts.size());
  for (auto& [levels, count] : counts) patterns.push_back({levels, count});
  return patterns;
}

EmResult estimate_em(Model& model, std::span<const Pattern> patterns, const EmOptions& options) {
  const std::size_t comparisons = model.comparisons();
  for (const auto& p : patterns) {
    if (p.levels.size() != comparisons) throw std::invalid_argument("one level per comparison");
    for (std::size_t c = 0; c < comparisons; ++c) {
      const auto l = p.levels[c];
      if (l != kMissing && (l < 0 || index(l) >= model.spec(c).levels.size())) {
        throw std::invalid_argument("level out of range in comparison " + model.spec(c).name);
      }
    }
  }
  auto used = [&](std::size_t c) { return c >= options.left_out.size() || !options.left_out[c]; };
  EmResult result;
  double total = 0;
  for (const auto& p : patterns) total += p.count;
  if (total <= 0) return result;

  std::vector<LevelProbabilities> start;
  for (std::size_t c = 0; c < comparisons; ++c) start.push_back(model.parameters(c));

  for (result.iterations = 1; result.iterations <= options.max_iterations; ++result.iterations) {
    // E step: each pattern's chance of being a match, summed into the
    // expected counts of each level in each class.
    std::vector<std::vector<double>> in_match(comparisons);
    std::vector<std::vector<double>> in_non_match(comparisons);
    for (std::size_t c = 0; c < comparisons; ++c) {
      in_match[c].assign(model.spec(c).levels.size(), 0.0);
      in_non_match[c].assign(model.spec(c).levels.size(), 0.0);
    }
    const double prior = model.prior();
    double matches = 0;
    double log_likelihood = 0;
    for (const auto& p : patterns) {
      double likelihood_m = prior;
      double likelihood_u = 1 - prior;
      for (std::size_t c = 0; c < comparisons; ++c) {
        if (p.levels[c] == kMissing || !used(c)) continue;
        const auto l = index(p.levels[c]);
        likelihood_m *= model.parameters(c).m[l];
        likelihood_u *= model.parameters(c).u[l];
      }
      const double both = likelihood_m + likelihood_u;
      const double g = likelihood_m / both;
      log_likelihood += p.count * std::log(both);
      matches += p.count * g;
      for (std::size_t c = 0; c < comparisons; ++c) {
        if (p.levels[c] == kMissing || !used(c)) continue;
        const auto l = index(p.levels[c]);
        in_match[c][l] += p.count * g;
        in_non_match[c][l] += p.count * (1 - g);
      }
    }
    result.log_likelihood = log_likelihood;

    // M step: the expected shares become the new probabilities.
    double change = std::abs(matches / total - prior);
    model.set_prior(matches / total);
    for (std::size_t c = 0; c < comparisons; ++c) {
      if (!used(c)) continue;
      const auto before = model.parameters(c);
      double seen = 0;
      for (double n : in_match[c]) seen += n;
      for (double n : in_non_match[c]) seen += n;
      if (seen <= 0) continue;  // never observed in these pairs: left as it was
      for (std::size_t l = 0; l < in_match[c].size(); ++l) {
        in_match[c][l] += options.pseudo_count * start[c].m[l];
        in_non_match[c][l] += options.pseudo_count * start[c].u[l];
      }
      if (options.estimate_m) model.set_m(c, in_match[c]);
      if (options.estimate_u) model.set_u(c, in_non_match[c]);
      const auto& after = model.parameters(c);
      for (std::size_t l = 0; l < before.m.size(); ++l) {
        change = std::max(change, std::abs(after.m[l] - before.m[l]));
        change = std::max(change, std::abs(after.u[l] - before.u[l]));
      }
    }
    if (change <= options.tolerance) {
      result.converged = true;
      break;
    }
  }
  result.iterations = std::min(result.iterations, options.max_iterations);
  return result;
}

void estimate_u(Model& model, std::span<const Pattern> random_pairs) {
  for (std::size_t c = 0; c < model.comparisons(); ++c) {
    std::vector<double> counts(model.spec(c).levels.size(), 0.0);
    double seen = 0;
    for (const auto& p : random_pairs) {
      if (p.levels.size() != model.comparisons()) {
        throw std::invalid_argument("one level per comparison");
      }
      const auto l = p.levels[c];
      if (l == kMissing) continue;
      counts.at(index(l)) += p.count;
      seen += p.count;
    }
    if (seen <= 0) continue;
    // A level never seen among the random pairs is rare, not impossible:
    // counted as seen once, so that its weight stays within what the sample
    // can show (log2 of the sample's size) instead of log2(m / kFloor).
    for (double& n : counts) n = std::max(n, 1.0);
    model.set_u(c, std::move(counts));
  }
}

void TermFrequencies::add(std::string_view value) {
  ++counts_[std::string(value)];
  ++total_;
}

void TermFrequencies::remove(std::string_view value) {
  const auto it = counts_.find(std::string(value));
  if (it == counts_.end()) return;
  if (--it->second == 0) counts_.erase(it);
  --total_;
}

double TermFrequencies::frequency(std::string_view value) const {
  if (total_ == 0) return 0;
  const auto it = counts_.find(std::string(value));
  const std::size_t count = it == counts_.end() ? 1 : std::max<std::size_t>(it->second, 1);
  return static_cast<double>(count) / static_cast<double>(total_);
}

}  // namespace frontdoor::domain::linkage
