// Person-matching accuracy on synthetic data with known truth
// (../shared/linkage: FEBRL 1-4 and Splink's fake_1000), for issue #4. The
// linker (src/domain/linker.hpp) is trained on each file without its labels,
// as a council's records would be, then judged against the truth.
//
//   build/release/bench/linkage_bench [--data DIR]
//
// Figures, and how they are defined, in docs/PERFORMANCE.md ("Person
// matching: accuracy").
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/csv.hpp"
#include "domain/link_table.hpp"
#include "domain/linker.hpp"

namespace {

using namespace frontdoor;
using namespace frontdoor::domain::linkage;
using Clock = std::chrono::steady_clock;

struct Dataset {
  std::vector<LinkRecord> records;
  std::vector<std::string> entity;  // the truth: same entity, same person
};

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// FEBRL's rec-N-org / rec-N-dup-k: the person is N. Splink's: the cluster.
Dataset load(const std::filesystem::path& file, bool identifiers) {
  csv::Options options;
  options.trim_unquoted = true;
  auto table = csv::read_file(file, options);
  if (!table.ok()) {
    std::cerr << file << ": " << table.error().message << "\n";
    std::exit(2);
  }
  LinkTableOptions link_options;
  link_options.use_identifiers = identifiers;
  auto people = people_from_table(*table, link_options);
  if (!people.ok()) {
    std::cerr << file << ": " << people.error().message << "\n";
    std::exit(2);
  }
  Dataset d;
  const auto cluster = table->column("cluster");
  for (std::size_t r = 0; r < people->rows.size(); ++r) {
    const auto& row = people->rows[r];
    d.records.push_back(make_link_record(row.person));
    if (cluster) {
      d.entity.push_back(table->rows[r].fields[*cluster]);
    } else {
      // rec-1070-org, rec-552-dup-3
      const auto first = row.id.find('-');
      const auto second = row.id.find('-', first + 1);
      d.entity.push_back(row.id.substr(first + 1, second - first - 1));
    }
  }
  return d;
}

struct PairwiseFigures {
  std::size_t true_pairs = 0;
  std::size_t predicted = 0;
  std::size_t correct = 0;
  void count(bool linked, bool same_person) {
    predicted += linked ? 1 : 0;
    correct += linked && same_person ? 1 : 0;
  }
  double precision() const { return predicted ? double(correct) / double(predicted) : 0; }
  double recall() const { return true_pairs ? double(correct) / double(true_pairs) : 0; }
  double f1() const {
    const double p = precision();
    const double r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

void print_pairwise(const char* label, const PairwiseFigures& f) {
  std::printf(
      "    %-34s precision %.4f  recall %.4f  F1 %.4f  (%zu of %zu true pairs; %zu linked)\n",
      label, f.precision(), f.recall(), f.f1(), f.correct, f.true_pairs, f.predicted);
}

// Linking one file to another: each record of `right` is a query for its
// person in `left`.
void link(const char* name, const Dataset& left, const Dataset& right, const Bands& bands) {
  const auto t0 = Clock::now();
  const auto pairs = candidate_pairs(left.records, &right.records);
  const double blocking_s = seconds_since(t0);
  Linker linker;
  const auto t1 = Clock::now();
  const auto report = linker.train(left.records, &right.records, pairs);
  const double training_s = seconds_since(t1);

  std::unordered_map<std::string, std::uint32_t> left_of;
  for (std::uint32_t i = 0; i < left.entity.size(); ++i) left_of[left.entity[i]] = i;
  struct Query {
    double best_true = -1;   // probability of the true record; -1 when not a candidate
    double best_other = -1;  // the best wrong record: what would be linked were the person absent
    std::size_t rank = 0;    // 1 for first; 0 when not a candidate
  };
  std::vector<Query> queries(right.records.size());
  std::vector<std::vector<std::pair<double, std::uint32_t>>> by_query(right.records.size());
  PairwiseFigures at_auto;
  PairwiseFigures at_review;
  const auto t2 = Clock::now();
  for (const auto& p : pairs) {
    const auto s = linker.score(left.records[p.left], right.records[p.right], bands);
    by_query[p.right].emplace_back(s.probability, p.left);
    const bool same = left.entity[p.left] == right.entity[p.right];
    at_auto.count(s.probability >= bands.auto_link, same);
    at_review.count(s.probability >= bands.review, same);
  }
  const double scoring_s = seconds_since(t2);
  std::size_t with_truth = 0;
  std::size_t first = 0;
  std::size_t top10 = 0;
  for (std::uint32_t j = 0; j < right.records.size(); ++j) {
    const auto it = left_of.find(right.entity[j]);
    if (it == left_of.end()) continue;
    ++with_truth;
    auto& hits = by_query[j];
    std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    Query& q = queries[j];
    for (std::size_t k = 0; k < hits.size(); ++k) {
      if (hits[k].second == it->second) {
        q.best_true = hits[k].first;
        if (q.rank == 0) q.rank = k + 1;
      } else {
        q.best_other = std::max(q.best_other, hits[k].first);
      }
    }
    first += q.rank == 1 ? 1 : 0;
    top10 += (q.rank >= 1 && q.rank <= 10) ? 1 : 0;
  }
  at_auto.true_pairs = at_review.true_pairs = with_truth;

  std::printf("%s: %zu records against %zu, %zu with their person in the other file\n", name,
              right.records.size(), left.records.size(), with_truth);
  std::printf(
      "    candidate pairs %zu (blocking %.2f s); trained on %zu random pairs and the "
      "candidates in %.2f s (EM %d iterations%s); scored at %.0f pairs/s\n",
      pairs.size(), blocking_s, report.random_pairs, training_s, report.em.iterations,
      report.em.converged ? "" : ", not converged",
      double(pairs.size()) / std::max(scoring_s, 1e-9));
  std::printf("    recall at 1 %.4f, at 10 %.4f\n", double(first) / double(with_truth),
              double(top10) / double(with_truth));
  print_pairwise("at the automatic-link threshold:", at_auto);
  print_pairwise("at the review threshold:", at_review);
  // The share that could be linked automatically with false links held at
  // a ceiling: a threshold t links a query's best record when it scores at
  // least t. Were the person absent, their best wrong record would be linked
  // when it scores at least t: that is a false link.
  std::vector<double> others;
  for (const auto& q : queries) others.push_back(q.best_other);
  std::sort(others.begin(), others.end(), std::greater<>());
  for (double ceiling : {0.01, 0.001}) {
    const auto allowed = static_cast<std::size_t>(ceiling * double(with_truth));
    // The lowest threshold above the (allowed+1)th best wrong score.
    const double t = allowed < others.size() ? std::nextafter(others[allowed], 2.0) : 0.0;
    std::size_t linked = 0;
    for (const auto& q : queries) {
      linked += (q.rank == 1 && q.best_true >= t) ? 1 : 0;
    }
    std::printf(
        "    at most %.1f%% false links (threshold probability %.6f): %.4f linked "
        "automatically\n",
        ceiling * 100, t, double(linked) / double(with_truth));
  }
}

// Deduplicating one file.
void dedupe(const char* name, const Dataset& d, const Bands& bands) {
  const auto t0 = Clock::now();
  const auto pairs = candidate_pairs(d.records, nullptr);
  Linker linker;
  const auto report = linker.train(d.records, nullptr, pairs);
  std::map<std::string, std::size_t> sizes;
  for (const auto& e : d.entity) ++sizes[e];
  PairwiseFigures at_auto;
  PairwiseFigures at_review;
  std::size_t true_candidates = 0;
  for (const auto& [e, n] : sizes) at_auto.true_pairs += n * (n - 1) / 2;
  at_review.true_pairs = at_auto.true_pairs;
  for (const auto& p : pairs) {
    const auto s = linker.score(d.records[p.left], d.records[p.right], bands);
    const bool same = d.entity[p.left] == d.entity[p.right];
    true_candidates += same ? 1 : 0;
    at_auto.count(s.probability >= bands.auto_link, same);
    at_review.count(s.probability >= bands.review, same);
  }
  std::printf(
      "%s: %zu records, %zu true pairs; %zu candidate pairs hold %zu of them (%.4f); "
      "EM %d iterations%s; %.2f s in all\n",
      name, d.records.size(), at_auto.true_pairs, pairs.size(), true_candidates,
      double(true_candidates) / double(std::max<std::size_t>(at_auto.true_pairs, 1)),
      report.em.iterations, report.em.converged ? "" : " (not converged)", seconds_since(t0));
  print_pairwise("at the automatic-link threshold:", at_auto);
  print_pairwise("at the review threshold:", at_review);
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path data =
      std::filesystem::path(FRONTDOOR_SOURCE_DIR) / ".." / "shared" / "linkage";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--data" && i + 1 < argc) {
      data = argv[++i];
    } else {
      std::cerr << "usage: linkage_bench [--data DIR]\n";
      return 2;
    }
  }
  const Bands bands;
  std::printf("bands: review at probability %.3f, automatic link at %.3f\n\n", bands.review,
              bands.auto_link);
  for (bool identifiers : {true, false}) {
    const auto a = load(data / "febrl_dataset4a.csv", identifiers);
    const auto b = load(data / "febrl_dataset4b.csv", identifiers);
    link(identifiers ? "febrl 4b -> 4a" : "febrl 4b -> 4a without identifiers", a, b, bands);
    std::printf("\n");
  }
  for (const char* file :
       {"febrl_dataset3.csv", "febrl_dataset2.csv", "febrl_dataset1.csv", "splink_fake_1000.csv"}) {
    dedupe(file, load(data / file, true), bands);
    std::printf("\n");
  }
  return 0;
}
