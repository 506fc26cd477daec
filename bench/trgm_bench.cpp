// Person search against the baseline a council would otherwise pick (issue
// #4): PostgreSQL with pg_trgm, k-nearest-neighbour trigram search on
// "given surname dob postcode", against the live search engine
// (domain::InMemoryPersonSearch), on the same data in the same run.
//
//   scripts/with-postgres.sh build/release/bench/trgm_bench [--data DIR] [--warmup N]
//                                                           [--misses N]
//   (or bench/trgm.sh, which builds it first)
//
// The store is FEBRL 4a, the queries FEBRL 4b (../shared/linkage), without
// the identifier column: both engines see the same four fields (a second
// pair of rows adds the address). The truth: rec-N-org in 4a is rec-N-dup-0
// in 4b. PostgreSQL comes from FRONTDOOR_TEST_POSTGRES_URL (set by
// scripts/with-postgres.sh: a throwaway cluster on a Unix socket). Each engine
// is asked every query once, one at a time from one client thread (after
// --warmup untimed queries); the figures are queries a second over the whole
// pass, p50 and p99 latency, and recall at 1 and 10. Exits non-zero only on
// an error, never on a missed goal. --misses N prints the first N queries
// Frontdoor ranks wrong at 1 and pg_trgm right. Figures in
// docs/PERFORMANCE.md ("Person search against pg_trgm").
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/csv.hpp"
#include "domain/link_table.hpp"
#include "domain/person_search.hpp"

namespace {

using namespace frontdoor;
using namespace frontdoor::domain;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kTopK = 10;

struct Dataset {
  std::vector<PersonSearchRecord> people;  // without identifiers
  std::vector<std::string> entity;         // the truth: same entity, same person
  std::vector<std::string> text;           // "given surname dob postcode", as in the file
  std::vector<std::string> text_address;   // the same, then the street number and address
  std::size_t unreadable_dates = 0;
};

// FEBRL's rec-N-org / rec-N-dup-k: the person is N (as bench/linkage_bench).
Dataset load(const std::filesystem::path& file) {
  csv::Options options;
  options.trim_unquoted = true;
  auto table = csv::read_file(file, options);
  if (!table.ok()) throw std::runtime_error(file.string() + ": " + table.error().message);
  linkage::LinkTableOptions link_options;
  link_options.use_identifiers = false;
  auto people = linkage::people_from_table(*table, link_options);
  if (!people.ok()) throw std::runtime_error(file.string() + ": " + people.error().message);
  // The baseline's text is the file's own fields, as a council would
  // concatenate its columns (the date as written: 19151111).
  auto column = [&](const char* name) {
    const auto c = table->column(name);
    if (!c) throw std::runtime_error(file.string() + ": no column " + name);
    return *c;
  };
  const auto given = column("given_name");
  const auto surname = column("surname");
  const auto dob = column("date_of_birth");
  const auto postcode = column("postcode");
  const auto street_number = column("street_number");
  const auto address = column("address_1");
  Dataset d;
  d.unreadable_dates = people->unreadable_dates;
  for (std::size_t r = 0; r < people->rows.size(); ++r) {
    const auto& row = people->rows[r];
    const auto& f = table->rows[r].fields;
    d.people.push_back(row.person);
    const auto first = row.id.find('-');
    const auto second = row.id.find('-', first + 1);
    d.entity.push_back(row.id.substr(first + 1, second - first - 1));
    d.text.push_back(f[given] + " " + f[surname] + " " + f[dob] + " " + f[postcode]);
    d.text_address.push_back(d.text.back() + " " + f[street_number] + " " + f[address]);
  }
  return d;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto k = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::min(k == 0 ? 0 : k - 1, v.size() - 1)];
}

struct Figures {
  std::string engine;
  std::size_t queries = 0;
  double seconds = 0;
  std::vector<double> latency_ms;
  std::size_t with_truth = 0;
  std::size_t first = 0;
  std::size_t top10 = 0;
  std::vector<std::int64_t> best;  // each query's first hit, or -1

  double qps() const { return static_cast<double>(queries) / std::max(seconds, 1e-9); }
  double recall1() const {
    return static_cast<double>(first) / static_cast<double>(std::max<std::size_t>(with_truth, 1));
  }
  double recall10() const {
    return static_cast<double>(top10) / static_cast<double>(std::max<std::size_t>(with_truth, 1));
  }
};

// Asks every query once, one at a time: `search(j)` gives query j's ranked
// ids (the store's row numbers), `truth[j]` the row of its person or -1.
template <typename Search>
Figures run(std::string engine, std::size_t queries, std::size_t warmup,
            const std::vector<std::int64_t>& truth, Search&& search) {
  for (std::size_t j = 0; j < std::min(warmup, queries); ++j) (void)search(j);
  Figures f;
  f.engine = std::move(engine);
  f.queries = queries;
  f.latency_ms.reserve(queries);
  f.best.reserve(queries);
  const auto t0 = Clock::now();
  for (std::size_t j = 0; j < queries; ++j) {
    const auto q0 = Clock::now();
    const std::vector<std::int64_t> ids = search(j);
    f.latency_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - q0).count());
    f.best.push_back(ids.empty() ? -1 : ids.front());
    if (truth[j] < 0) continue;
    ++f.with_truth;
    const auto k = std::min(ids.size(), kTopK);
    const auto at = std::find(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(k), truth[j]);
    f.first += (k > 0 && ids.front() == truth[j]) ? 1 : 0;
    f.top10 += at != ids.begin() + static_cast<std::ptrdiff_t>(k) ? 1 : 0;
  }
  f.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("  %-28s %zu queries in %.2f s\n", f.engine.c_str(), f.queries, f.seconds);
  std::fflush(stdout);
  return f;
}

// libpq, with errors as exceptions.
struct PgResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultFree>;

class Pg {
 public:
  explicit Pg(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
      throw std::runtime_error(std::string("postgres: cannot connect: ") +
                               (conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory"));
    }
  }
  ~Pg() { PQfinish(conn_); }
  Pg(const Pg&) = delete;
  Pg& operator=(const Pg&) = delete;

  // A folder for a Unix socket, else a host name.
  std::string host() const { return PQhost(conn_); }

  PgResult exec(const std::string& sql) {
    PgResult r(PQexec(conn_, sql.c_str()));
    check(r.get(), sql);
    return r;
  }

  void prepare(const char* name, const std::string& sql, int params) {
    PgResult r(PQprepare(conn_, name, sql.c_str(), params, nullptr));
    check(r.get(), sql);
  }

  PgResult execute(const char* name, const std::string& param) {
    const char* values[] = {param.c_str()};
    PgResult r(PQexecPrepared(conn_, name, 1, values, nullptr, nullptr, 0));
    check(r.get(), name);
    return r;
  }

  // COPY table FROM STDIN, in text format: one line of tab-separated fields a row.
  void copy_in(const std::string& sql, const std::vector<std::vector<std::string>>& rows) {
    PgResult start(PQexec(conn_, sql.c_str()));
    if (PQresultStatus(start.get()) != PGRES_COPY_IN) check(start.get(), sql);
    std::string buffer;
    for (const auto& row : rows) {
      for (std::size_t c = 0; c < row.size(); ++c) {
        if (c > 0) buffer += '\t';
        for (char ch : row[c]) {
          if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') buffer += '\\';
          buffer += ch == '\t' ? 't' : ch == '\n' ? 'n' : ch == '\r' ? 'r' : ch;
        }
      }
      buffer += '\n';
    }
    if (PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1 ||
        PQputCopyEnd(conn_, nullptr) != 1) {
      throw std::runtime_error(std::string("postgres: COPY: ") + PQerrorMessage(conn_));
    }
    PgResult end(PQgetResult(conn_));
    check(end.get(), sql);
    while (PGresult* more = PQgetResult(conn_)) PQclear(more);
  }

 private:
  void check(const PGresult* r, const std::string& what) {
    const auto status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      throw std::runtime_error("postgres: " + what + ": " + PQerrorMessage(conn_));
    }
  }

  PGconn* conn_;
};

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The baseline: the store in PostgreSQL with GiST trigram indexes and the
// prepared statements knn and knn_address.
std::unique_ptr<Pg> start_baseline(const char* url, const Dataset& store) {
  auto pg = std::make_unique<Pg>(url);
  {
    const PgResult v = pg->exec("SELECT current_setting('server_version')");
    std::printf("postgres %s", PQgetvalue(v.get(), 0, 0));
  }
  pg->exec("SET client_min_messages = warning");
  pg->exec("CREATE EXTENSION IF NOT EXISTS pg_trgm");
  {
    const PgResult v = pg->exec("SELECT extversion FROM pg_extension WHERE extname = 'pg_trgm'");
    const std::string host = pg->host();
    std::printf(", pg_trgm %s, over %s\n", PQgetvalue(v.get(), 0, 0),
                host.starts_with('/') ? ("the Unix socket in " + host).c_str()
                                      : ("TCP to " + host).c_str());
  }
  pg->exec("DROP SCHEMA IF EXISTS trgm_bench CASCADE");
  pg->exec("CREATE SCHEMA trgm_bench");
  pg->exec(
      "CREATE TABLE trgm_bench.people (id integer PRIMARY KEY, body text NOT NULL, "
      "body_address text NOT NULL)");
  const auto t_load = Clock::now();
  {
    std::vector<std::vector<std::string>> rows;
    rows.reserve(store.text.size());
    for (std::size_t i = 0; i < store.text.size(); ++i) {
      rows.push_back({std::to_string(i), store.text[i], store.text_address[i]});
    }
    pg->copy_in("COPY trgm_bench.people (id, body, body_address) FROM STDIN", rows);
  }
  const double load_s = seconds_since(t_load);
  const auto t_index = Clock::now();
  pg->exec("CREATE INDEX people_body ON trgm_bench.people USING gist (body gist_trgm_ops)");
  pg->exec(
      "CREATE INDEX people_body_address ON trgm_bench.people USING gist (body_address "
      "gist_trgm_ops)");
  pg->exec("ANALYZE trgm_bench.people");
  const double index_s = seconds_since(t_index);
  std::printf("pg_trgm: COPY %zu rows %.2f s; GiST trigram indexes and ANALYZE %.2f s\n",
              store.text.size(), load_s, index_s);
  pg->prepare("knn", "SELECT id FROM trgm_bench.people ORDER BY body <-> $1 LIMIT 10", 1);
  pg->prepare("knn_address",
              "SELECT id FROM trgm_bench.people ORDER BY body_address <-> $1 LIMIT 10", 1);
  {
    // Shown so that a reader can check it is the index's nearest-neighbour scan.
    const PgResult plan = pg->exec("EXPLAIN EXECUTE knn('x y 20000101 2000')");
    std::printf("pg_trgm plan:");
    for (int r = 0; r < PQntuples(plan.get()); ++r) {
      std::printf("%s %s", r == 0 ? "" : " |", PQgetvalue(plan.get(), r, 0));
    }
    std::printf("\n");
  }
  return pg;
}

int bench(const std::filesystem::path& data, std::size_t warmup, std::size_t show_misses,
          bool frontdoor_only, const std::string& dump) {
  const char* url = std::getenv("FRONTDOOR_TEST_POSTGRES_URL");
  if (!frontdoor_only && (url == nullptr || *url == '\0')) {
    throw std::runtime_error(
        "FRONTDOOR_TEST_POSTGRES_URL is not set: run under scripts/with-postgres.sh (or "
        "bench/trgm.sh)");
  }
  const Dataset store = load(data / "febrl_dataset4a.csv");
  const Dataset asked = load(data / "febrl_dataset4b.csv");
  std::unordered_map<std::string, std::int64_t> row_of;
  for (std::size_t i = 0; i < store.entity.size(); ++i) {
    row_of[store.entity[i]] = static_cast<std::int64_t>(i);
  }
  std::vector<std::int64_t> truth(asked.entity.size(), -1);
  std::size_t with_truth = 0;
  for (std::size_t j = 0; j < asked.entity.size(); ++j) {
    if (const auto it = row_of.find(asked.entity[j]); it != row_of.end()) {
      truth[j] = it->second;
      ++with_truth;
    }
  }
  const std::size_t n = asked.people.size();
  std::printf(
      "data: %zu people (febrl_dataset4a), %zu queries (febrl_dataset4b), %zu with their "
      "person in the store; unreadable dates %zu + %zu (left out by Frontdoor, kept as text by "
      "pg_trgm)\n",
      store.people.size(), n, with_truth, store.unreadable_dates, asked.unreadable_dates);

  // The baseline.
  std::unique_ptr<Pg> pg;
  if (!frontdoor_only) pg = start_baseline(url, store);

  auto pg_search = [&](const char* statement, const std::vector<std::string>& texts) {
    return [&pg, statement, &texts](std::size_t j) {
      const PgResult r = pg->execute(statement, texts[j]);
      std::vector<std::int64_t> ids;
      ids.reserve(static_cast<std::size_t>(PQntuples(r.get())));
      for (int row = 0; row < PQntuples(r.get()); ++row) {
        ids.push_back(std::strtoll(PQgetvalue(r.get(), row, 0), nullptr, 10));
      }
      return ids;
    };
  };

  // Frontdoor: one index with the four fields, one with the address too.
  InMemoryPersonSearch four;
  InMemoryPersonSearch with_address;
  const auto t_fd = Clock::now();
  for (std::size_t i = 0; i < store.people.size(); ++i) {
    PersonSearchRecord r = store.people[i];
    r.person_id = static_cast<std::int64_t>(i);
    r.identifiers.clear();
    with_address.upsert(r);
    r.address_lines.clear();
    four.upsert(r);
  }
  std::printf("frontdoor: both indexes built in %.3f s\n", seconds_since(t_fd));
  auto query_for = [&](std::size_t j, bool address) {
    const auto& p = asked.people[j];
    PersonQuery q;
    if (!p.given_names.empty()) q.given_name = p.given_names.front();
    if (!p.family_names.empty()) q.family_name = p.family_names.front();
    q.date_of_birth = p.date_of_birth;
    if (!p.postcodes.empty()) q.postcode = p.postcodes.front();
    if (address && !p.address_lines.empty()) q.address = p.address_lines.front();
    q.limit = kTopK;
    return q;
  };
  std::vector<PersonQuery> queries_four(n);
  std::vector<PersonQuery> queries_address(n);
  for (std::size_t j = 0; j < n; ++j) {
    queries_four[j] = query_for(j, false);
    queries_address[j] = query_for(j, true);
  }
  auto fd_search = [](const InMemoryPersonSearch& index, const std::vector<PersonQuery>& qs) {
    return [&index, &qs](std::size_t j) {
      const auto hits = index.search(qs[j]);
      std::vector<std::int64_t> ids;
      ids.reserve(hits.size());
      for (const auto& h : hits) ids.push_back(h.person_id);
      return ids;
    };
  };
  if (!dump.empty()) {
    // Every hit in full, to compare two versions of the engine.
    std::ofstream out(dump);
    for (const auto* index : {&four, &with_address}) {
      const auto& qs = index == &four ? queries_four : queries_address;
      for (std::size_t j = 0; j < n; ++j) {
        out << (index == &four ? "four " : "address ") << j << "\n";
        for (const auto& h : index->search(qs[j])) {
          char line[96];
          std::snprintf(line, sizeof line, "  %lld w %.9g p %.9g score %.9g band %d\n",
                        static_cast<long long>(h.person_id), h.match_weight, h.probability, h.score,
                        static_cast<int>(h.band));
          out << line;
          for (const auto& r : h.reasons) out << "    reason " << r << "\n";
          for (const auto& e : h.explanation) out << "    explain " << e << "\n";
        }
      }
    }
    std::printf("frontdoor: every hit written to %s\n", dump.c_str());
  }

  std::printf("\nrunning (one client thread each, %zu untimed warm-up queries first):\n", warmup);
  std::vector<Figures> results;
  if (frontdoor_only) {
    results.push_back(run("frontdoor", n, warmup, truth, fd_search(four, queries_four)));
    results.push_back(
        run("frontdoor + address", n, warmup, truth, fd_search(with_address, queries_address)));
  } else {
    results.push_back(run("pg_trgm", n, warmup, truth, pg_search("knn", asked.text)));
    results.push_back(run("frontdoor", n, warmup, truth, fd_search(four, queries_four)));
    results.push_back(
        run("pg_trgm + address", n, warmup, truth, pg_search("knn_address", asked.text_address)));
    results.push_back(
        run("frontdoor + address", n, warmup, truth, fd_search(with_address, queries_address)));
    pg->exec("DROP SCHEMA trgm_bench CASCADE");
  }

  std::printf("\n%-22s %8s %10s %9s %9s %9s %10s\n", "engine", "queries", "qps", "p50 ms", "p99 ms",
              "recall@1", "recall@10");
  for (const auto& f : results) {
    std::printf("%-22s %8zu %10.0f %9.3f %9.3f %9.4f %10.4f\n", f.engine.c_str(), f.queries,
                f.qps(), percentile(f.latency_ms, 50), percentile(f.latency_ms, 99), f.recall1(),
                f.recall10());
  }
  std::printf("\n");
  if (frontdoor_only) return 0;
  for (std::size_t k = 0; k + 1 < results.size(); k += 2) {
    const auto& base = results[k];
    const auto& ours = results[k + 1];
    const double ratio = ours.qps() / base.qps();
    const bool met = ratio >= 100 && ours.first >= base.first;
    std::printf(
        "%s / %s: %.1f times the queries a second; recall at 1 %+.2f points; goal (>= 100 "
        "times at equal or better recall at 1): %s\n",
        ours.engine.c_str(), base.engine.c_str(), ratio, 100 * (ours.recall1() - base.recall1()),
        met ? "met" : "NOT met");
  }
  // For whoever tunes the ranking: queries Frontdoor gets wrong at 1 and
  // the baseline right.
  std::size_t shown = 0;
  for (std::size_t j = 0; j < n && shown < show_misses; ++j) {
    const auto want = truth[j];
    if (want < 0 || results[1].best[j] == want || results[0].best[j] != want) continue;
    ++shown;
    const auto got = results[1].best[j];
    std::printf("miss %zu: query \"%s\"; person \"%s\"; frontdoor's first \"%s\"\n", j,
                asked.text[j].c_str(), store.text[static_cast<std::size_t>(want)].c_str(),
                got < 0 ? "(none)" : store.text[static_cast<std::size_t>(got)].c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path data =
      std::filesystem::path(FRONTDOOR_SOURCE_DIR) / ".." / "shared" / "linkage";
  std::size_t warmup = 500;
  std::size_t show_misses = 0;
  bool frontdoor_only = false;
  std::string dump;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--data" && i + 1 < argc) {
      data = argv[++i];
    } else if (arg == "--warmup" && i + 1 < argc) {
      warmup = std::stoull(argv[++i]);
    } else if (arg == "--misses" && i + 1 < argc) {
      show_misses = std::stoull(argv[++i]);
    } else if (arg == "--frontdoor-only") {
      frontdoor_only = true;
    } else if (arg == "--dump" && i + 1 < argc) {
      dump = argv[++i];
    } else {
      std::cerr << "usage: trgm_bench [--data DIR] [--warmup N] [--misses N] [--frontdoor-only] "
                   "[--dump FILE]\n";
      return 2;
    }
  }
  try {
    return bench(data, warmup, show_misses, frontdoor_only, dump);
  } catch (const std::exception& e) {
    std::cerr << "trgm_bench: " << e.what() << "\n";
    return 1;
  }
}
