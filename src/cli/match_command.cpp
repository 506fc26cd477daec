#include "cli/match_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "core/csv.hpp"
#include "domain/link_table.hpp"
#include "domain/linker.hpp"

namespace frontdoor::cli {
namespace {

namespace po = boost::program_options;
using namespace domain::linkage;

Result<LinkTable> read_people(const std::string& path, bool identifiers) {
  csv::Options options;
  options.trim_unquoted = true;  // FEBRL separates its columns with ", "
  auto table = csv::read_file(path, options);
  if (!table.ok()) {
    Error e = table.error();
    e.message = path + ": " + e.message;
    return e;
  }
  LinkTableOptions link_options;
  link_options.use_identifiers = identifiers;
  auto people = people_from_table(*table, link_options);
  if (!people.ok()) {
    Error e = people.error();
    e.message = path + ": " + e.message;
    return e;
  }
  return people;
}

std::vector<LinkRecord> records_of(const LinkTable& table) {
  std::vector<LinkRecord> records;
  records.reserve(table.rows.size());
  for (const auto& row : table.rows) records.push_back(make_link_record(row.person));
  return records;
}

// A bar on standard error when it is a terminal; nothing otherwise.
class Progress {
 public:
  Progress(std::string what, std::size_t total)
      : what_(std::move(what)), total_(total), shown_(isatty(STDERR_FILENO) != 0) {}
  void step(std::size_t done) {
    if (!shown_ || total_ == 0) return;
    const auto percent = static_cast<int>(done * 100 / total_);
    if (percent == last_) return;
    last_ = percent;
    const int filled = percent * 30 / 100;
    std::fprintf(stderr, "\r%s [%-30s] %3d%% (%zu of %zu)", what_.c_str(),
                 std::string(static_cast<std::size_t>(filled), '#').c_str(), percent, done, total_);
    if (done == total_) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::string what_;
  std::size_t total_;
  bool shown_;
  int last_ = -1;
};

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "; ") + l;
  return out;
}

std::string decimal(double value, int places) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", places, value);
  return text;
}

}  // namespace

int match_command(const std::vector<std::string>& args) {
  po::options_description desc("Options");
  std::string input;
  std::string against;
  std::string output;
  std::string keep = "review";
  Bands bands;
  desc.add_options()("input", po::value<std::string>(&input)->required()->value_name("FILE"),
                     "CSV of people: deduplicated alone, or linked to --against")(
      "against", po::value<std::string>(&against)->value_name("FILE"),
      "CSV of people to link --input's records to")(
      "output", po::value<std::string>(&output)->value_name("FILE"),
      "where to write the scored pairs (default: standard output)")(
      "keep", po::value<std::string>(&keep)->default_value("review"),
      "which pairs to write: link (linked automatically), review (and those offered for "
      "review), all (every candidate pair)")(
      "review", po::value<double>(&bands.review)->default_value(bands.review),
      "match probability at which a pair is offered for review")(
      "auto-link", po::value<double>(&bands.auto_link)->default_value(bands.auto_link),
      "match probability at which a pair is linked automatically")(
      "no-identifiers", "ignore identifier columns (nhs_number, identifier, soc_sec_id)");
  po::variables_map vm;
  if (!parse(desc, args, vm,
             "Usage: frontdoor match --input FILE [--against FILE] [--output FILE] [--keep "
             "link|review|all]\n"
             "Deduplicates one CSV of people, or links one to another; writes the scored "
             "pairs as CSV.\nColumns: docs/MATCHING.md"))
    return vm.count("help") ? 0 : 2;
  if (keep != "link" && keep != "review" && keep != "all") {
    fail(Error::field("keep", "--keep must be link, review or all"));
    return 2;
  }
  if (!(bands.review > 0 && bands.review <= bands.auto_link && bands.auto_link < 1)) {
    fail(Error::field("auto-link",
                      "--review and --auto-link must be probabilities with 0 < review <= "
                      "auto-link < 1"));
    return 2;
  }
  const bool identifiers = vm.count("no-identifiers") == 0;
  auto left_table = read_people(input, identifiers);
  if (!left_table.ok()) return fail(left_table.error());
  std::optional<LinkTable> right_table;
  if (!against.empty()) {
    auto read = read_people(against, identifiers);
    if (!read.ok()) return fail(read.error());
    right_table = std::move(read).value();
  }
  const auto left = records_of(*left_table);
  std::vector<LinkRecord> right_records;
  if (right_table) right_records = records_of(*right_table);
  const std::vector<LinkRecord>* right = right_table ? &right_records : nullptr;
  const auto& other_rows = right_table ? right_table->rows : left_table->rows;

  const auto pairs = candidate_pairs(left, right);
  Linker linker;
  const auto report = linker.train(left, right, pairs);
  std::cerr << "match: " << left.size() << " records"
            << (right ? " against " + std::to_string(right->size()) : std::string(" deduplicated"))
            << "; " << pairs.size() << " candidate pairs; model trained on " << report.random_pairs
            << " random pairs (EM " << (report.em.converged ? "converged" : "did not converge")
            << ")\n";
  for (const auto* t : {&*left_table, right_table ? &*right_table : nullptr}) {
    if (t != nullptr && t->unreadable_dates > 0) {
      std::cerr << "match: " << t->unreadable_dates
                << " dates of birth could not be read (2015-03-07, 20150307 or 07/03/2015) "
                   "and were left out\n";
    }
  }

  std::string out = csv::format_row(
      {"left_id", "right_id", "probability", "match_weight", "band", "explanation"});
  std::size_t counts[3] = {0, 0, 0};
  Progress progress("scoring", pairs.size());
  const Band floor = keep == "link"     ? Band::kAutoLink
                     : keep == "review" ? Band::kReview
                                        : Band::kNoMatch;
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const auto& p = pairs[k];
    const LinkRecord& b = right ? (*right)[p.right] : left[p.right];
    const auto s = linker.score(left[p.left], b, bands);
    ++counts[static_cast<int>(s.band)];
    if (static_cast<int>(s.band) >= static_cast<int>(floor)) {
      out += csv::format_row({left_table->rows[p.left].id, other_rows[p.right].id,
                              decimal(s.probability, 6), decimal(s.match_weight, 2),
                              to_string(s.band), joined(linker.explain(left[p.left], b))});
    }
    progress.step(k + 1);
  }
  std::cerr << "match: " << counts[static_cast<int>(Band::kAutoLink)] << " linked, "
            << counts[static_cast<int>(Band::kReview)] << " for review, "
            << counts[static_cast<int>(Band::kNoMatch)] << " no match\n";

  if (output.empty()) {
    std::cout << out << std::flush;
    return std::cout ? 0 : fail(Error::unavailable("could not write to standard output"));
  }
  // Written beside, then renamed: a reader never sees half a file.
  const std::filesystem::path target(output);
  const std::filesystem::path partial = target.string() + ".partial";
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    file << out;
    file.close();
    if (!file) {
      std::error_code ignored;
      std::filesystem::remove(partial, ignored);
      return fail(Error::unavailable("could not write " + output));
    }
  }
  std::error_code ec;
  std::filesystem::rename(partial, target, ec);
  if (ec) return fail(Error::unavailable("could not write " + output + ": " + ec.message()));
  std::cerr << "match: pairs written to " << output << "\n";
  return 0;
}

}  // namespace frontdoor::cli
