#include "cli/match_command.hpp"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/application.hpp"
#include "app/config.hpp"
#include "cli/integrity_commands.hpp"
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

// Who is running the command: the account of the process's user (the one
// the operating system vouches for), and $USER when it names another (e.g.
// a shared account reached with su).
std::string operator_name() {
  std::string name;
  const uid_t uid = geteuid();
  if (const passwd* pw = getpwuid(uid); pw != nullptr && pw->pw_name != nullptr) {
    name = pw->pw_name;
  }
  const char* user = std::getenv("USER");
  const std::string from_env = user != nullptr ? user : "";
  if (name.empty()) name = from_env.empty() ? "unknown" : from_env;
  name += " (uid " + std::to_string(uid) + ")";
  if (!from_env.empty() && name.rfind(from_env + " ", 0) != 0) name += ", USER=" + from_env;
  return name;
}

// The records a file is linked to: another file's, or the store's people.
struct Target {
  std::vector<LinkRecord> records;
  std::vector<std::string> ids;  // ids[i] is records[i]'s
};

// The people of the store a data folder's configuration names, opened as
// `frontdoor serve` opens it, read (audited) with their person ids; the
// linker the store's search ranks with. Nothing is created: a data folder
// without a store is an error.
struct StorePeople {
  Target target;
  Linker linker;
  Bands bands;  // the store's (frontdoor.json "matching")
};

Result<StorePeople> read_store(const std::string& data, const std::string& input,
                               std::size_t input_records) {
  std::error_code ec;
  if (!std::filesystem::is_directory(data, ec)) {
    return Error::validation("there is no data folder " + data + " (--data)");
  }
  FD_ASSIGN_OR_RETURN(auto config, app::Config::load(data));
  const std::string engine = config.database_url.empty() ? "SQLite" : "PostgreSQL";
  {
    // Refused before the application opens, which would create or migrate a
    // store that is not there.
    FD_ASSIGN_OR_RETURN(auto existing, open_store(config));
  }
  SystemClock clock;
  FD_ASSIGN_OR_RETURN(auto app, app::Application::open(std::move(config), clock));
  app::People& people = app->people();
  // The model of the store's search, trained on the store's own people (u
  // and the name frequencies; m by EM from MatchingPolicy::em_minimum_people).
  // The server trains it in the background from start-up once the store
  // holds train_minimum_people: that training is awaited, not repeated.
  // Below that the server ranks with the reference model, whose u (from the
  // whole country) makes a shared postcode and address outweigh a different
  // date of birth and given name: every brother and sister would be "linked".
  // So a smaller store's model is trained here too (in this process only).
  while (people.model_status().training) std::this_thread::sleep_for(std::chrono::milliseconds{50});
  if (!people.model_status().trained) FD_TRY(people.train_model());
  const auto status = people.model_status();
  const std::string file = std::filesystem::absolute(input).lexically_normal().string();
  FD_ASSIGN_OR_RETURN(
      auto bulk,
      people.bulk_records(operator_name(), "frontdoor match --against-store, linking " + file +
                                               " (" + std::to_string(input_records) +
                                               (input_records == 1 ? " record)" : " records)")));
  StorePeople out;
  out.target.records = std::move(bulk.records);
  out.target.ids.reserve(bulk.ids.size());
  for (const auto id : bulk.ids) out.target.ids.push_back(std::to_string(id));
  out.linker = people.linker();
  out.bands.review = people.matching().review_probability;
  out.bands.auto_link = people.matching().auto_link_probability;
  std::cerr << "match: " << bulk.ids.size() << " people read from the store of " << data << " ("
            << engine
            << "); this read of every person record is in the audit log (bulk_match, "
               "people/all)\n";
  if (status.trained) {
    std::cerr << "match: model trained on the store's own " << status.people << " people (u from "
              << status.random_pairs << " random pairs; "
              << (status.estimated_m ? "m by EM" : "m from the reference model") << ")";
    if (status.people < people.matching().train_minimum_people) {
      std::cerr << "; the server's search still ranks with the reference model below "
                << people.matching().train_minimum_people << " people";
    }
    std::cerr << "\n";
  } else {
    std::cerr << "match: the reference model (too few people in the store to train on)\n";
  }
  return out;
}

}  // namespace

int match_command(const std::vector<std::string>& args) {
  po::options_description desc("Options");
  std::string input;
  std::string against;
  std::string data = "data";
  std::string output;
  std::string keep = "review";
  Bands bands;
  desc.add_options()("input", po::value<std::string>(&input)->required()->value_name("FILE"),
                     "CSV of people: deduplicated alone, or linked to --against or the store")(
      "against", po::value<std::string>(&against)->value_name("FILE"),
      "CSV of people to link --input's records to")(
      "against-store",
      "link --input's records to the people in the store of --data (read, not changed, but "
      "for one audit entry of the read of every person record)")(
      "data", po::value<std::string>(&data)->default_value("data")->value_name("DIR"),
      "with --against-store: the data folder (its frontdoor.db, or the database_url it "
      "configures)")("output", po::value<std::string>(&output)->value_name("FILE"),
                     "where to write the scored pairs (default: standard output)")(
      "keep", po::value<std::string>(&keep)->default_value("review"),
      "which pairs to write: link (linked automatically), review (and those offered for "
      "review), all (every candidate pair)")(
      "review", po::value<double>(&bands.review)->default_value(bands.review),
      "match probability at which a pair is offered for review (--against-store: the store's "
      "unless given)")("auto-link",
                       po::value<double>(&bands.auto_link)->default_value(bands.auto_link),
                       "match probability at which a pair is linked automatically "
                       "(--against-store: the store's unless given)")(
      "no-identifiers", "ignore identifier columns (nhs_number, identifier, soc_sec_id)");
  po::variables_map vm;
  if (!parse(desc, args, vm,
             "Usage: frontdoor match --input FILE [--against FILE | --against-store [--data DIR]]\n"
             "                       [--output FILE] [--keep link|review|all]\n"
             "Deduplicates one CSV of people, links one to another, or links one to the people\n"
             "in a data folder's store (an audited read of every person record; the store is\n"
             "not otherwise changed); writes the scored pairs as CSV.\nColumns: docs/MATCHING.md"))
    return vm.count("help") ? 0 : 2;
  if (keep != "link" && keep != "review" && keep != "all") {
    fail(Error::field("keep", "--keep must be link, review or all"));
    return 2;
  }
  const bool against_store = vm.count("against-store") != 0;
  if (against_store && !against.empty()) {
    fail(Error::field("against", "--against and --against-store cannot both be given"));
    return 2;
  }
  if (!against_store && !vm["data"].defaulted()) {
    fail(Error::field("data", "--data is for --against-store"));
    return 2;
  }
  if (!(bands.review > 0 && bands.review <= bands.auto_link && bands.auto_link < 1)) {
    fail(Error::field("auto-link",
                      "--review and --auto-link must be probabilities with 0 < review <= "
                      "auto-link < 1"));
    return 2;
  }
  const bool identifiers = vm.count("no-identifiers") == 0;
  // The file first: a file that cannot be read never opens the store.
  auto left_table = read_people(input, identifiers);
  if (!left_table.ok()) return fail(left_table.error());
  const auto left = records_of(*left_table);

  std::optional<Target> other;  // none: deduplication
  Linker linker;
  std::optional<LinkTable> right_table;
  if (against_store) {
    auto store = read_store(data, input, left.size());
    if (!store.ok()) return fail(store.error());
    other = std::move(store->target);
    linker = std::move(store->linker);
    // The store's bands, unless given.
    if (vm["review"].defaulted()) bands.review = store->bands.review;
    if (vm["auto-link"].defaulted()) bands.auto_link = store->bands.auto_link;
    if (bands.review > bands.auto_link) {
      fail(Error::field("review",
                        "the review probability would be above the automatic-link probability "
                        "(the store's bands are used for those not given)"));
      return 2;
    }
  } else if (!against.empty()) {
    auto read = read_people(against, identifiers);
    if (!read.ok()) return fail(read.error());
    right_table = std::move(read).value();
    other.emplace();
    other->records = records_of(*right_table);
    other->ids.reserve(right_table->rows.size());
    for (const auto& row : right_table->rows) other->ids.push_back(row.id);
  }
  const std::vector<LinkRecord>* right = other ? &other->records : nullptr;
  std::vector<std::string> left_ids;
  left_ids.reserve(left_table->rows.size());
  for (const auto& row : left_table->rows) left_ids.push_back(row.id);
  const auto& right_ids = other ? other->ids : left_ids;

  const auto pairs = candidate_pairs(left, right);
  std::cerr << "match: " << left.size() << " records"
            << (right ? " against " + std::to_string(right->size()) : std::string(" deduplicated"))
            << "; " << pairs.size() << " candidate pairs";
  if (against_store) {
    std::cerr << "\n";
  } else {
    const auto report = linker.train(left, right, pairs);
    std::cerr << "; model trained on " << report.random_pairs << " random pairs (EM "
              << (report.em.converged ? "converged" : "did not converge") << ")\n";
  }
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
      out += csv::format_row({left_ids[p.left], right_ids[p.right], decimal(s.probability, 6),
                              decimal(s.match_weight, 2), to_string(s.band),
                              joined(linker.explain(left[p.left], b))});
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
