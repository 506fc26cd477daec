// make_council: builds (once) the benchmark's demo council, through the real
// services and event store, and writes the person-search requests wrk sends.
//
//   make_council --data DIR [--people N] [--contacts N] [--weeks N] [--queries FILE]
//
// DIR must not exist or be empty, unless it already holds a finished council of
// the same size (DIR/COMPLETE), which is then reused. The last --fresh of the
// contacts are recorded through Contacts::record, as the morning's new
// contacts awaiting screening, so that the queue page is full. The search requests are
// drawn from the generated people: full names, "family, given", a typo in
// either name, family name alone, NHS numbers and postcodes.
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "app/application.hpp"
#include "app/demo.hpp"
#include "core/json.hpp"
#include "http/url.hpp"
#include "storage/database.hpp"
#include "synthetic_errors.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace frontdoor;

namespace {

struct Sample {
  std::string given;
  std::string family;
  std::string postcode;
  std::string nhs;
};

using bench::typo;

std::string spaced_nhs(const std::string& n) {
  return n.size() == 10 ? n.substr(0, 3) + " " + n.substr(3, 3) + " " + n.substr(6) : n;
}

Result<std::vector<Sample>> sample_people(app::Application& app, std::size_t wanted) {
  std::vector<Sample> out;
  FD_TRY(app.db().read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto count, tx.query_one("SELECT COUNT(*) FROM persons"));
    const std::int64_t n = count->integer(0);
    const std::int64_t step = std::max<std::int64_t>(1, n / static_cast<std::int64_t>(wanted));
    FD_ASSIGN_OR_RETURN(auto rows,
                        tx.query("SELECT given_name, family_name, postcode, COALESCE(nhs_number, "
                                 "'') FROM persons WHERE id % ? = 0 ORDER BY id",
                                 {step}));
    for (const auto& r : rows) out.push_back(Sample{r.text(0), r.text(1), r.text(2), r.text(3)});
    return ok_status();
  }));
  return out;
}

std::vector<std::string> search_paths(const std::vector<Sample>& people, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> paths;
  for (const auto& p : people) {
    std::string q;
    const auto kind = rng() % 100;
    if (kind < 40) {
      q = p.given + " " + p.family;
    } else if (kind < 50) {
      q = p.family + ", " + p.given;
    } else if (kind < 70) {
      q = p.given + " " + typo(p.family, rng);
    } else if (kind < 80) {
      q = typo(p.given, rng) + " " + p.family;
    } else if (kind < 85) {
      q = p.family;
    } else if (kind < 95 && !p.nhs.empty()) {
      q = spaced_nhs(p.nhs);
    } else if (!p.postcode.empty()) {
      q = p.postcode;
    } else {
      q = p.given + " " + p.family;
    }
    paths.push_back("/people?q=" + http::url_encode(q));
  }
  std::shuffle(paths.begin(), paths.end(), rng);
  return paths;
}

// The morning's new contacts: recorded through Contacts::record by the demo
// MASH social worker, about children already known (not yet linked), received
// in the last two hours and waiting to be screened. With 250 of them the queue
// page is full (it shows 200) whenever the council was generated.
Status record_fresh_contacts(app::Application& app, std::int64_t count, const std::string& password,
                             std::uint64_t seed) {
  if (count == 0) return ok_status();
  FD_ASSIGN_OR_RETURN(auto signed_in, app.accounts().sign_in("sam.worker", password, "127.0.0.1"));
  FD_ASSIGN_OR_RETURN(auto police, app.accounts().agency_by_code("police"));
  struct Child {
    std::string given, family, dob, sex, address, postcode;
  };
  std::vector<Child> children;
  FD_TRY(app.db().read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT given_name, family_name, date_of_birth, "
                                            "state, postcode FROM persons WHERE kind = 'child' "
                                            "AND id % 97 = 0 ORDER BY id"));
    for (const auto& r : rows) {
      const auto state = nlohmann::json::parse(r.text(3));
      const auto& details = state.at("details");
      std::string line;
      if (details.contains("address") && details["address"].is_object())
        line = details["address"].value("line", "");
      children.push_back(
          Child{r.text(0), r.text(1), r.text(2), details.value("sex", "0"), line, r.text(4)});
    }
    return ok_status();
  }));
  if (children.empty()) return Error::internal("no children to refer");
  std::mt19937_64 rng(seed + 1);
  const Instant now = app.clock().now();
  for (std::int64_t i = 0; i < count; ++i) {
    const Child& c = children[rng() % children.size()];
    domain::ContactDetails d;
    d.channel = domain::ContactChannel::kPhone;
    d.source_code = "2A";
    d.received_at = now - std::chrono::minutes{static_cast<long>(1 + rng() % 120)};
    d.referrer = domain::Referrer{"Duty sergeant",
                                  "Police sergeant",
                                  police.id,
                                  police.name,
                                  "referrals@police.demo.example.org",
                                  "01632 960555"};
    domain::ChildOnContact child;
    child.given_name = c.given;
    child.family_name = c.family;
    child.date_of_birth = parse_date(c.dob);
    child.sex = c.sex;
    d.children.push_back(std::move(child));
    d.address_line = c.address;
    d.postcode = c.postcode;
    d.concerns =
        "Officers attended the home overnight after a neighbour reported shouting; the child was "
        "present. Referred for the MASH to consider.";
    d.family_aware = domain::FamilyAware::kYes;
    d.consent = domain::ConsentStatus::kNotSought;
    FD_TRY(app.contacts().record(signed_in.principal, std::move(d)));
  }
  return ok_status();
}

}  // namespace

int main(int argc, char** argv) {
  std::string data;
  std::string queries;
  app::DemoOptions options;
  options.people = 100000;
  options.contacts = 200000;
  options.weeks_of_contacts = 260;
  std::size_t query_count = 2000;
  std::int64_t fresh = 250;
  po::options_description desc("make_council options");
  desc.add_options()("help,h", "show this help")("data", po::value<std::string>(&data)->required(),
                                                 "data folder for the council")(
      "people", po::value<std::int64_t>(&options.people)->default_value(options.people), "people")(
      "contacts", po::value<std::int64_t>(&options.contacts)->default_value(options.contacts),
      "contacts")(
      "weeks", po::value<int>(&options.weeks_of_contacts)->default_value(options.weeks_of_contacts),
      "weeks of contact history")("queries", po::value<std::string>(&queries),
                                  "write person-search request paths here, one a line")(
      "query-count", po::value<std::size_t>(&query_count)->default_value(query_count),
      "how many search requests to draw")(
      "fresh", po::value<std::int64_t>(&fresh)->default_value(fresh),
      "of the contacts, how many arrive last (recorded by sam.worker, awaiting screening)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help") != 0) {
      std::cout << desc;
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "make_council: " << e.what() << "\n" << desc;
    return 2;
  }

  const fs::path dir(data);
  const fs::path marker = dir / "COMPLETE";
  std::ostringstream expected;
  expected << "people=" << options.people << " contacts=" << options.contacts << " fresh=" << fresh
           << " weeks=" << options.weeks_of_contacts << " seed=" << options.seed;
  const std::int64_t total_contacts = options.contacts;
  if (fresh < 0 || fresh > total_contacts) {
    std::cerr << "make_council: --fresh must be between 0 and --contacts\n";
    return 2;
  }
  options.contacts = total_contacts - fresh;
  bool reuse = false;
  if (fs::exists(marker)) {
    std::ifstream in(marker);
    std::string line;
    std::getline(in, line);
    if (line != expected.str()) {
      std::cerr << "make_council: " << dir << " holds a different council (" << line
                << "); remove it to make this one\n";
      return 1;
    }
    reuse = true;
  } else if (fs::exists(dir) && !fs::is_empty(dir)) {
    std::cerr << "make_council: " << dir
              << " is not empty and not a finished council (an interrupted run?); remove it\n";
    return 1;
  }

  SystemClock clock;
  auto config = app::Config::load(dir);
  if (!config.ok()) {
    std::cerr << "make_council: " << config.error().message << "\n";
    return 1;
  }
  const auto opened_at = std::chrono::steady_clock::now();
  auto app = app::Application::open(std::move(config).value(), clock);
  if (!app.ok()) {
    std::cerr << "make_council: " << app.error().message << "\n";
    return 1;
  }
  if (reuse) {
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - opened_at).count();
    std::cout << "reusing the council in " << dir.string() << " (" << expected.str()
              << "; opened and indexed in " << s << " s)\n";
  } else {
    std::cout << "generating " << options.people << " people and " << total_contacts
              << " contacts in " << dir.string() << " ..." << std::endl;
    const auto start = std::chrono::steady_clock::now();
    auto summary = app::generate_demo(**app, options);
    if (!summary.ok()) {
      std::cerr << "make_council: " << summary.error().message << "\n";
      return 1;
    }
    auto recorded = record_fresh_contacts(**app, fresh, options.password, options.seed);
    if (!recorded.ok()) {
      std::cerr << "make_council: " << recorded.error().message << "\n";
      return 1;
    }
    summary->contacts += fresh;
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::int64_t events = 0;
    (void)(*app)->db().read([&](storage::Transaction& tx) -> Status {
      FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT COUNT(*) FROM events"));
      events = row->integer(0);
      return ok_status();
    });
    std::cout << "generated " << summary->people << " people, " << summary->contacts
              << " contacts, " << events << " events in " << s << " s\n";
    std::ofstream out(marker);
    out << expected.str() << "\n"
        << "generated " << summary->people << " people, " << summary->contacts << " contacts, "
        << events << " events in " << s << " s\n";
  }

  if (!queries.empty()) {
    auto people = sample_people(**app, query_count);
    if (!people.ok()) {
      std::cerr << "make_council: " << people.error().message << "\n";
      return 1;
    }
    std::ofstream out(queries);
    for (const auto& p : search_paths(*people, options.seed)) out << p << "\n";
    std::cout << "wrote " << people->size() << " search requests to " << queries << "\n";
  }
  return 0;
}
