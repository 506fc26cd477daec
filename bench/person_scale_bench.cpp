// Person search at the scale of a large council's records (issue #4): a
// synthetic population with British names at realistic frequencies, indexed
// by the live search engine (domain::InMemoryPersonSearch), then searched
// with what a referrer would say on the phone: typos, nicknames, swapped or
// missing dates of birth, moved addresses, no NHS number.
//
//   build/release/bench/person_scale_bench [--people 1000000] [--queries 10000] [--seed S]
//   build/release/bench/person_scale_bench --write-reference-model src/domain/reference_model.cpp
//
// The second form trains the linker, without labels, on 100,000 of these
// people linked to 20,000 referrers' descriptions of them, and writes the
// model as the C++ source of reference_model(): the model a council's store
// starts from (src/domain/linker.hpp). Its m reflects the errors made here
// (nicknames, swapped dates, moves), which FEBRL's files do not have.
//
// Reports the index's build time and memory per person, each query's
// latency (p50, p99), recall at 1 and 10, and the same queries answered by a
// full scan (every person compared and scored by the Fellegi–Sunter linker,
// the baseline) on a sample, in the same process: its latency and recall, and
// the index's speed as a ratio of it. No real person: every name is drawn at
// random from lists, every date and number made up.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "domain/linker.hpp"
#include "domain/person_search.hpp"
#include "synthetic_errors.hpp"

namespace {

using namespace frontdoor::domain;
using Clock = std::chrono::steady_clock;

// Common British given names (as in birth registrations) and family names
// (as in the census), most common first, drawn with Zipf weights. Rarer
// family names are made of parts (Ash + worth + ington).
constexpr std::array kGirls{
    "Olivia",  "Amelia",   "Isla",  "Ava",       "Mia",     "Ivy",       "Lily",      "Isabella",
    "Rosie",   "Sophia",   "Grace", "Willow",    "Freya",   "Florence",  "Emily",     "Ella",
    "Poppy",   "Evie",     "Elsie", "Charlotte", "Evelyn",  "Sienna",    "Sofia",     "Daisy",
    "Phoebe",  "Sophie",   "Alice", "Harper",    "Matilda", "Ruby",      "Emilia",    "Maya",
    "Millie",  "Isabelle", "Eva",   "Luna",      "Jessica", "Elizabeth", "Katherine", "Margaret",
    "Rebecca", "Hannah",   "Chloe", "Zara",      "Aisha",   "Fatima",    "Maryam",    "Amira",
    "Niamh",   "Sian"};
constexpr std::array kBoys{
    "Noah",     "Oliver",  "George",    "Arthur",  "Muhammad",    "Leo",     "Harry",   "Oscar",
    "Archie",   "Henry",   "Theodore",  "Freddie", "Jack",        "Charlie", "Theo",    "Alfie",
    "Jacob",    "Thomas",  "Finley",    "Arlo",    "William",     "Lucas",   "Roman",   "Tommy",
    "Isaac",    "Teddy",   "Alexander", "Luca",    "Edward",      "James",   "Joshua",  "Albie",
    "Elijah",   "Max",     "Mohammed",  "Reggie",  "Daniel",      "Samuel",  "Joseph",  "Benjamin",
    "Jonathan", "Michael", "Robert",    "Richard", "Christopher", "Matthew", "Ibrahim", "Yusuf",
    "Callum",   "Rhys"};
constexpr std::array kFamilies{
    "Smith",     "Jones",     "Williams", "Taylor",  "Brown",    "Davies",     "Evans",
    "Wilson",    "Thomas",    "Johnson",  "Roberts", "Robinson", "Thompson",   "Wright",
    "Walker",    "White",     "Edwards",  "Hughes",  "Green",    "Hall",       "Lewis",
    "Harris",    "Clarke",    "Patel",    "Jackson", "Wood",     "Turner",     "Martin",
    "Cooper",    "Hill",      "Ward",     "Morris",  "Moore",    "Clark",      "Lee",
    "King",      "Baker",     "Harrison", "Morgan",  "Allen",    "James",      "Scott",
    "Phillips",  "Watson",    "Davis",    "Parker",  "Price",    "Bennett",    "Young",
    "Griffiths", "Mitchell",  "Kelly",    "Cook",    "Carter",   "Richardson", "Bailey",
    "Collins",   "Bell",      "Shaw",     "Murphy",  "Miller",   "Cox",        "Richards",
    "Khan",      "Marshall",  "Anderson", "Simpson", "Ellis",    "Adams",      "Singh",
    "Begum",     "Wilkinson", "Foster",   "Chapman", "Powell",   "Webb",       "Rogers",
    "Gray",      "Mason",     "Ali",      "Hunt",    "Hussain",  "Campbell",   "Matthews",
    "Owen",      "Palmer",    "Holmes",   "Mills",   "Barnes",   "Knight",     "Lloyd",
    "Butler",    "Russell",   "Barker",   "Fisher",  "Stevens",  "Jenkins",    "Murray",
    "Dixon",     "Harvey",    "Okafor",   "Nowak",   "Kowalski", "Ahmed",      "Begum"};
constexpr std::array kPrefixes{"Ash",   "Brad", "Brom", "Chad",  "Dun",   "Elm",   "Fair",
                               "Gold",  "Hart", "Holt", "Kings", "Lang",  "Marsh", "New",
                               "North", "Oak",  "Pen",  "Rad",   "Stan",  "Thorn", "Wake",
                               "West",  "Whit", "Win",  "Brook", "Cross", "Dray",  "Fen"};
constexpr std::array kSuffixes{"worth", "ley",   "ford",  "ton", "well",  "by",   "field",
                               "wood",  "combe", "hurst", "ham", "stead", "wick", "more"};
// Short forms a referrer may use.
constexpr std::array<std::array<const char*, 2>, 16> kNicknames{{{"William", "Bill"},
                                                                 {"Elizabeth", "Beth"},
                                                                 {"Katherine", "Kate"},
                                                                 {"Margaret", "Peggy"},
                                                                 {"Jonathan", "Jon"},
                                                                 {"Alexander", "Alex"},
                                                                 {"Thomas", "Tom"},
                                                                 {"Robert", "Bob"},
                                                                 {"Richard", "Dick"},
                                                                 {"Christopher", "Chris"},
                                                                 {"Matthew", "Matt"},
                                                                 {"Samuel", "Sam"},
                                                                 {"Benjamin", "Ben"},
                                                                 {"Joseph", "Joe"},
                                                                 {"Rebecca", "Becky"},
                                                                 {"Daniel", "Dan"}}};
constexpr std::array kStreets{"High Street",   "Station Road", "Church Lane", "Park Road",
                              "Victoria Road", "Green Lane",   "Manor Road",  "Mill Lane",
                              "Kings Road",    "Queens Road",  "New Road",    "School Lane"};

// Zipf-weighted choice: the k-th entry has weight 1/(k+1)^exponent.
template <typename List>
class Zipf {
 public:
  Zipf(const List& list, double exponent) : list_(list) {
    std::vector<double> w(list.size());
    for (std::size_t k = 0; k < w.size(); ++k) {
      w[k] = std::pow(static_cast<double>(k + 1), -exponent);
    }
    dist_ = std::discrete_distribution<std::size_t>(w.begin(), w.end());
  }
  std::string operator()(std::mt19937_64& rng) { return list_[dist_(rng)]; }

 private:
  const List& list_;
  std::discrete_distribution<std::size_t> dist_;
};

std::string nhs_number(std::mt19937_64& rng) {
  for (;;) {
    std::string digits;
    int sum = 0;
    for (int i = 0; i < 9; ++i) {
      const int d = static_cast<int>(rng() % 10);
      digits += static_cast<char>('0' + d);
      sum += d * (10 - i);
    }
    int check = 11 - sum % 11;
    if (check == 11) check = 0;
    if (check == 10) continue;
    return digits + static_cast<char>('0' + check);
  }
}

using frontdoor::bench::typo;

struct Generated {
  PersonSearchRecord record;
  std::string given;
  std::string family;
};

struct Population {
  std::mt19937_64 rng;
  // Given names spread over decades: the commonest is about 2% of people.
  Zipf<decltype(kGirls)> girls{kGirls, 0.5};
  Zipf<decltype(kBoys)> boys{kBoys, 0.5};
  Zipf<decltype(kFamilies)> families{kFamilies, 1.0};

  explicit Population(std::uint64_t seed) : rng(seed) {}

  std::string postcode() {
    static constexpr std::array kAreas{"ZZ", "ZY", "ZX", "ZW", "ZV", "ZU", "ZT", "ZS"};
    return std::string(kAreas[rng() % kAreas.size()]) + std::to_string(1 + rng() % 40) + " " +
           std::to_string(rng() % 10) + static_cast<char>('A' + rng() % 26) +
           static_cast<char>('A' + rng() % 26);
  }

  Generated person(std::int64_t id) {
    Generated g;
    g.given = rng() % 2 == 0 ? girls(rng) : boys(rng);
    // A quarter of people have one of the commonest family names (Smith
    // then about 1 in 20, more than the census's 1 in 80: a harder test);
    // the rest rarer ones made of parts (Ash + worth + ington), 5,488 of them.
    if (rng() % 4 == 0) {
      g.family = families(rng);
    } else {
      g.family =
          std::string(kPrefixes[rng() % kPrefixes.size()]) + kSuffixes[rng() % kSuffixes.size()];
      static constexpr std::array kEndings{"",     "e",   "s",   "er",  "ington", "all", "en",
                                           "ings", "ett", "ock", "ley", "ridge",  "by",  "ey"};
      g.family += kEndings[rng() % kEndings.size()];
    }
    auto& r = g.record;
    r.person_id = id;
    r.given_names = {g.given};
    r.family_names = {g.family};
    const int year = 1950 + static_cast<int>(rng() % 76);
    r.date_of_birth = std::chrono::sys_days{
        std::chrono::year{year} / std::chrono::month{1 + static_cast<unsigned>(rng() % 12)} /
        std::chrono::day{1 + static_cast<unsigned>(rng() % 28)}};
    r.postcodes = {postcode()};
    r.address_lines = {std::to_string(1 + rng() % 200) + " " + kStreets[rng() % kStreets.size()]};
    if (rng() % 10 < 8) r.identifiers = {nhs_number(rng)};
    return g;
  }

  // What a referrer says about a known person, with the errors of the
  // issue: typos, nicknames, swapped or missing dates, moved address, no NHS
  // number.
  PersonQuery query_for(const Generated& g) {
    PersonQuery q;
    q.given_name = g.given;
    q.family_name = g.family;
    const auto roll = rng() % 100;
    if (roll < 15) {
      q.given_name = typo(q.given_name, rng);
    } else if (roll < 30) {
      q.family_name = typo(q.family_name, rng);
    } else if (roll < 40) {
      for (const auto& [full, short_form] : kNicknames) {
        if (q.given_name == full) q.given_name = short_form;
      }
    }
    q.date_of_birth = g.record.date_of_birth;
    const auto dob_roll = rng() % 100;
    if (dob_roll < 10) {
      const std::chrono::year_month_day d{*q.date_of_birth};
      const std::chrono::year_month_day swapped{d.year(),
                                                std::chrono::month{static_cast<unsigned>(d.day())},
                                                std::chrono::day{static_cast<unsigned>(d.month())}};
      if (swapped.ok()) q.date_of_birth = std::chrono::sys_days{swapped};
    } else if (dob_roll < 20) {
      q.date_of_birth.reset();
    }
    if (rng() % 100 < 20) {
      q.postcode = postcode();  // moved
    } else {
      q.postcode = g.record.postcodes.front();
      q.address = g.record.address_lines.front();
    }
    if (!g.record.identifiers.empty() && rng() % 2 == 0)
      q.identifier = g.record.identifiers.front();
    q.limit = 10;
    return q;
  }
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto k = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size()))) - 1;
  return v[std::min(k, v.size() - 1)];
}

// The query as a record, for the baseline's comparison.
PersonSearchRecord as_record(const PersonQuery& q) {
  PersonSearchRecord r;
  r.given_names = {q.given_name};
  r.family_names = {q.family_name};
  r.date_of_birth = q.date_of_birth;
  if (!q.postcode.empty()) r.postcodes = {q.postcode};
  if (!q.identifier.empty()) r.identifiers = {q.identifier};
  if (!q.address.empty()) r.address_lines = {q.address};
  return r;
}

}  // namespace

// The source of reference_model(): the linker trained on `people` of the
// population linked to `queries` descriptions of them.
int write_reference_model(const char* out, std::uint64_t seed) {
  constexpr std::size_t kPeople = 100'000;
  constexpr std::size_t kQueries = 20'000;
  Population population(seed);
  std::vector<Generated> generated;
  std::vector<linkage::LinkRecord> left;
  for (std::size_t i = 0; i < kPeople; ++i) {
    generated.push_back(population.person(static_cast<std::int64_t>(i + 1)));
    left.push_back(linkage::make_link_record(generated.back().record));
  }
  std::vector<linkage::LinkRecord> right;
  for (std::size_t k = 0; k < kQueries; ++k) {
    right.push_back(linkage::make_link_record(
        as_record(population.query_for(generated[population.rng() % kPeople]))));
  }
  linkage::Linker linker;
  const auto report = linker.train(left, &right, linkage::candidate_pairs(left, &right));
  // These errors are cleaner than a council's: no true match here has a
  // wholly different given name, say, so EM puts m of that level near 0
  // and it would weigh -19, ruling a real match out on one field. Every m
  // is floored: names at 3% (a child known by a middle or another name, a
  // name changed on adoption; FEBRL's files show 8-12%), the date of birth
  // at 1%, addresses at 0.5%, and identifiers at 0.1% (an NHS number's check
  // digit catches most mistakes), so that an identifier agreeing stays
  // near-decisive against names disagreeing.
  constexpr std::array kMinimumM{0.03, 0.03, 0.01, 0.005, 0.005, 0.001};
  auto& model = linker.model();
  for (std::size_t c = 0; c < model.comparisons(); ++c) {
    auto m = model.parameters(c).m;
    for (auto& x : m) x = std::max(x, kMinimumM.at(c));
    model.set_m(c, std::move(m));  // renormalised
  }
  // Likewise u: these people never have an initial for a given name or a
  // previous family name, so those levels' u would be 1 in 200,000 random
  // pairs and an initial agreeing would weigh +12. Every level but exact
  // agreement is floored at 0.1% of different people (a council's own
  // records replace u at start-up anyway).
  constexpr double kMinimumU = 0.001;
  for (std::size_t c = 0; c < model.comparisons(); ++c) {
    auto u = model.parameters(c).u;
    for (std::size_t l = 1; l < u.size(); ++l) u[l] = std::max(u[l], kMinimumU);
    model.set_u(c, std::move(u));
  }
  std::ofstream f(out);
  f << "// Generated by `person_scale_bench --write-reference-model` (seed " << seed
    << "): the linker\n// trained without labels on " << kPeople << " synthetic people linked to "
    << kQueries << " descriptions of them\n// (" << report.candidate_pairs << " candidate pairs, "
    << report.random_pairs
    << " random pairs). Do not edit by hand.\n"
       "#include \"domain/linker.hpp\"\n\nnamespace frontdoor::domain::linkage {\n\n"
       "Model reference_model() {\n  Model model(person_comparison_specs());\n";
  char number[32];
  auto list = [&](const std::vector<double>& v) {
    std::string text = "{";
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::snprintf(number, sizeof number, "%.6g", v[i]);
      text += (i == 0 ? "" : ", ") + std::string(number);
    }
    return text + "}";
  };
  for (std::size_t c = 0; c < model.comparisons(); ++c) {
    const auto& p = model.parameters(c);
    f << "  // " << model.spec(c).name << "\n  model.set_parameters(" << c << ", " << list(p.m)
      << ",\n                       " << list(p.u) << ");\n";
  }
  std::snprintf(number, sizeof number, "%.6g", model.prior());
  f << "  model.set_prior(" << number << ");\n  return model;\n}\n\n"
    << "}  // namespace frontdoor::domain::linkage\n";
  if (!f) {
    std::cerr << out << ": could not write\n";
    return 2;
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--write-reference-model") {
    return write_reference_model(argv[2], 20261201);
  }
  std::size_t people = 1'000'000;
  std::size_t queries = 10'000;
  std::size_t scan_queries = 20;
  std::uint64_t seed = 20261201;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    const auto value = std::stoull(argv[i + 1]);
    if (arg == "--people") {
      people = value;
    } else if (arg == "--queries") {
      queries = value;
    } else if (arg == "--scan-queries") {
      scan_queries = value;
    } else if (arg == "--seed") {
      seed = value;
    } else {
      std::cerr << "usage: person_scale_bench [--people N] [--queries N] [--scan-queries N] "
                   "[--seed S] | --write-reference-model FILE\n";
      return 2;
    }
  }
  Population population(seed);
  std::vector<Generated> generated;
  generated.reserve(people);
  for (std::size_t i = 0; i < people; ++i) {
    generated.push_back(population.person(static_cast<std::int64_t>(i + 1)));
  }

  InMemoryPersonSearch index;
  const auto t0 = Clock::now();
  for (const auto& g : generated) index.upsert(g.record);
  const double build_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("index: %zu people in %.2f s (%.0f a second); about %.0f bytes a person\n",
              index.size(), build_s, static_cast<double>(index.size()) / build_s,
              static_cast<double>(index.approximate_bytes()) / static_cast<double>(index.size()));

  std::vector<std::size_t> targets(queries);
  std::vector<PersonQuery> asked(queries);
  for (std::size_t k = 0; k < queries; ++k) {
    targets[k] = population.rng() % people;
    asked[k] = population.query_for(generated[targets[k]]);
  }
  std::vector<double> latency_ms;
  latency_ms.reserve(queries);
  std::size_t first = 0;
  std::size_t top10 = 0;
  for (std::size_t k = 0; k < queries; ++k) {
    const auto q0 = Clock::now();
    const auto hits = index.search(asked[k]);
    latency_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - q0).count());
    const auto want = generated[targets[k]].record.person_id;
    for (std::size_t h = 0; h < hits.size(); ++h) {
      if (hits[h].person_id != want) continue;
      first += h == 0 ? 1 : 0;
      top10 += 1;
      break;
    }
  }
  std::printf(
      "index search, %zu queries one at a time: p50 %.3f ms, p99 %.3f ms, max %.3f ms; "
      "recall at 1 %.4f, at 10 %.4f\n",
      queries, percentile(latency_ms, 50), percentile(latency_ms, 99),
      *std::max_element(latency_ms.begin(), latency_ms.end()),
      static_cast<double>(first) / static_cast<double>(queries),
      static_cast<double>(top10) / static_cast<double>(queries));

  // The baseline: every person compared and scored, for the first
  // scan_queries queries, by the linker trained on a sample of the people.
  std::vector<linkage::LinkRecord> records;
  records.reserve(people);
  for (const auto& g : generated) records.push_back(linkage::make_link_record(g.record));
  linkage::Linker linker;
  {
    std::vector<linkage::LinkRecord> sample(
        records.begin(),
        records.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(people, 20000)));
    linker.train(sample, nullptr, linkage::candidate_pairs(sample, nullptr));
    linker.count_names(records);
  }
  scan_queries = std::min(scan_queries, queries);
  std::vector<double> scan_ms;
  std::size_t scan_first = 0;
  std::size_t index_first_same = 0;
  for (std::size_t k = 0; k < scan_queries; ++k) {
    const auto query = linkage::make_link_record(as_record(asked[k]));
    const auto q0 = Clock::now();
    double best = -1e300;
    std::size_t best_i = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
      const double w = linker.score(query, records[i]).match_weight;
      if (w > best) {
        best = w;
        best_i = i;
      }
    }
    scan_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - q0).count());
    scan_first += best_i == targets[k] ? 1 : 0;
    const auto hits = index.search(asked[k]);
    index_first_same +=
        !hits.empty() && hits.front().person_id == generated[targets[k]].record.person_id ? 1 : 0;
  }
  const double scan_p50 = percentile(scan_ms, 50);
  std::printf(
      "full scan (baseline), first %zu queries: p50 %.1f ms, p99 %.1f ms; recall at 1 %.4f "
      "(the index on the same queries: %.4f)\n",
      scan_queries, scan_p50, percentile(scan_ms, 99),
      static_cast<double>(scan_first) / static_cast<double>(scan_queries),
      static_cast<double>(index_first_same) / static_cast<double>(scan_queries));
  std::printf(
      "ratio: the index answers in %.5f of the full scan's median time (%.0f times "
      "faster)\n",
      percentile(latency_ms, 50) / scan_p50, scan_p50 / percentile(latency_ms, 50));
  return 0;
}
