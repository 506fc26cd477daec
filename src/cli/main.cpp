// frontdoor: the single binary. Subcommands:
//   serve    run the web interface and API
//   migrate  apply schema migrations
//   user add / agency add / token issue   administration from the shell
//   demo     fill an empty data folder with the synthetic demo council
//   grants   the PostgreSQL GRANTs for the application's own role
//   verify / checkpoint / backup / restore   the hash chains and SQLite backups
//            (integrity_commands.cpp)
//   match    person matching over CSV files (match_command.cpp)
#include <boost/program_options.hpp>

#include <atomic>
#include <csignal>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "app/application.hpp"
#include "app/demo.hpp"
#include "cli/integrity_commands.hpp"
#include "cli/match_command.hpp"
#include "cli/options.hpp"
#include "core/file_clock.hpp"
#include "http/server.hpp"
#include "storage/migrations.hpp"
#include "storage/postgres_database.hpp"

namespace po = boost::program_options;
using namespace frontdoor;

namespace {

std::atomic<bool> g_stop{false};
void on_signal(int) {
  g_stop = true;
}

using cli::fail;
using cli::parse;

Result<std::unique_ptr<app::Application>> open_app(const std::string& data, const Clock& clock) {
  FD_ASSIGN_OR_RETURN(auto config, app::Config::load(data));
  return app::Application::open(std::move(config), clock);
}

int serve(const std::vector<std::string>& args) {
  po::options_description desc("Options");
  std::string data = "data";
  std::string clock_file;
  desc.add_options()("port", po::value<int>(),
                     "port to listen on (0: any free port; default: the configuration's port, "
                     "8080)")("data", po::value<std::string>(&data)->default_value("data"),
                              "data folder (created if absent)")(
      "address", po::value<std::string>(),
      "address to listen on (default: the configuration's address, 127.0.0.1)")(
      "threads", po::value<int>()->default_value(0),
      "HTTP threads for reads (0: two per core on SQLite, four on PostgreSQL)")(
      "demo", "fill a new data folder with the demo council")(
      "clock-file", po::value<std::string>(&clock_file)->value_name("PATH"),
      "FOR TESTS ONLY: take the time from PATH, a file holding a UTC instant such as "
      "2026-11-28T02:10:00Z, plus the real time elapsed since the file last changed; "
      "rewrite the file to move time. Never use it in production.");
  po::variables_map vm;
  if (!parse(desc, args, vm,
             "Usage: frontdoor serve [--port N] [--data DIR] [--demo] [--clock-file PATH]"))
    return vm.count("help") ? 0 : 2;
  SystemClock system_clock;
  std::unique_ptr<FileClock> file_clock;
  if (!clock_file.empty()) {
    auto config = app::Config::load(data);
    if (config.ok() && config->production) {
      return fail(Error::validation("--clock-file is for tests only and is refused in production"));
    }
    auto opened = FileClock::open(clock_file);
    if (!opened.ok()) return fail(opened.error());
    file_clock = std::move(opened).value();
    std::cerr << "frontdoor: test clock from " << file_clock->path().string() << " (now "
              << format_utc(file_clock->now()) << ")\n";
  }
  const Clock& clock = file_clock ? static_cast<const Clock&>(*file_clock) : system_clock;
  auto app = open_app(data, clock);
  if (!app.ok()) return fail(app.error());
  std::optional<app::DemoSummary> demo;
  if (vm.count("demo") != 0) {
    auto users = (*app)->accounts().users();
    if (users.ok() && users->empty()) {
      auto generated = app::generate_demo(**app, app::DemoOptions{});
      if (!generated.ok()) return fail(generated.error());
      demo = std::move(generated).value();
    }
  }
  http::ServerOptions options;
  const auto& config = (*app)->config();
  options.address = vm.count("address") != 0 ? vm["address"].as<std::string>() : config.address;
  const int port = vm.count("port") != 0 ? vm["port"].as<int>() : config.port;
  if (port < 0 || port > 65535) return fail(Error::field("port", "--port must be 0 to 65535"));
  options.port = static_cast<unsigned short>(port);
  const int threads = vm["threads"].as<int>();
  // Handler threads for reads (GET); writes (POST) have one per core of their
  // own (http::ServerOptions::write_threads). By default two per core on
  // SQLite, whose handlers mostly use this process's CPU (more threads only
  // lengthened the tail), and four on PostgreSQL, whose handlers mostly wait
  // for the database server (the load battery, tests/reliability/load.sh:
  // reads p99 about 70 ms with four per core and writes apart; over 100 ms
  // when reads and writes shared two per core).
  const unsigned per_core = (*app)->db().engine() == storage::Engine::kPostgres ? 4U : 2U;
  options.threads =
      threads > 0
          ? threads
          : ((*app)->config().http_threads > 0
                 ? (*app)->config().http_threads
                 : static_cast<int>(per_core * std::max(1u, std::thread::hardware_concurrency())));
  options.max_in_flight = static_cast<std::size_t>(std::max(0, config.http_max_in_flight));
  options.max_queue_wait = std::chrono::milliseconds{std::max(0, config.http_max_queue_wait_ms)};
  options.security.hsts = (*app)->config().secure_cookies;
  http::Server server(options, (*app)->router());
  unsigned short bound = 0;
  try {
    bound = server.start();
  } catch (const std::exception& e) {
    std::cerr << "frontdoor: cannot listen on " << options.address << ":" << port << ": "
              << e.what() << "\n";
    return 1;
  }
  (*app)->notifier().start(std::chrono::seconds{10});
  std::cout << "listening on http://" << options.address << ":" << bound << std::endl;
  if (vm.count("demo") != 0) {
    std::cout << "demo council: " << (*app)->config().council_name << "\n";
    if (demo)
      std::cout << "  " << demo->people << " people and " << demo->contacts
                << " contacts generated\n";
    std::cout << "demo log-ins (password: " << app::DemoOptions{}.password << "):\n";
    auto users = (*app)->accounts().users();
    if (users.ok()) {
      for (const auto& u : *users) {
        std::cout << "  " << u.username << "  (" << domain::role_label(u.role) << ", "
                  << u.agency.name << ")\n";
      }
    }
    std::cout << std::flush;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds{100});
  std::cout << "stopping" << std::endl;
  (*app)->notifier().stop();
  server.stop();
  return 0;
}

int migrate_command(const std::vector<std::string>& args) {
  po::options_description desc("Options");
  std::string data = "data";
  desc.add_options()("data", po::value<std::string>(&data)->default_value("data"), "data folder");
  po::variables_map vm;
  if (!parse(desc, args, vm, "Usage: frontdoor migrate [--data DIR]"))
    return vm.count("help") ? 0 : 2;
  SystemClock clock;
  auto app = open_app(data, clock);  // opening applies every pending migration
  if (!app.ok()) return fail(app.error());
  auto version = storage::schema_version((*app)->db());
  if (!version.ok()) return fail(version.error());
  std::cout << "schema version " << *version << "\n";
  return 0;
}

int agency_add(const std::vector<std::string>& args) {
  po::options_description desc("Options");
  std::string data, code, name, kind;
  desc.add_options()("data", po::value<std::string>(&data)->default_value("data"), "data folder")(
      "code", po::value<std::string>(&code)->required(), "short code, e.g. police")(
      "name", po::value<std::string>(&name)->required(), "name shown to users")(
      "kind", po::value<std::string>(&kind)->default_value("other"),
      "council, police, health, education, probation, housing, voluntary or other")(
      "requires-approval", "referrals need a supervisor's approval before they reach the MASH");
  po::variables_map vm;
  if (!parse(desc, args, vm, "Usage: frontdoor agency add --code CODE --name NAME [--kind KIND]"))
    return vm.count("help") ? 0 : 2;
  auto k = domain::parse_agency_kind(kind);
  if (!k) return fail(Error::field("kind", "Unknown agency kind " + kind));
  SystemClock clock;
  auto app = open_app(data, clock);
  if (!app.ok()) return fail(app.error());
  app::Agency a;
  a.code = code;
  a.name = name;
  a.kind = *k;
  a.requires_supervisor_approval = vm.count("requires-approval") != 0;
  auto id = (*app)->accounts().create_agency(a);
  if (!id.ok()) return fail(id.error());
  std::cout << "agency " << code << " added\n";
  return 0;
}

int user_add(const std::vector<std::string>& args) {
  po::options_description desc("Options");
  std::string data, username, name, email, role, agency;
  desc.add_options()("data", po::value<std::string>(&data)->default_value("data"), "data folder")(
      "username", po::value<std::string>(&username)->required(), "sign-in name")(
      "name", po::value<std::string>(&name)->required(), "full name")(
      "email", po::value<std::string>(&email)->required(), "e-mail address")(
      "role", po::value<std::string>(&role)->required(),
      "mash_social_worker, mash_team_manager, partner_referrer, partner_supervisor, "
      "partner_practitioner, edt_social_worker, performance_analyst or system_administrator")(
      "agency", po::value<std::string>(&agency)->required(), "agency code");
  po::variables_map vm;
  if (!parse(desc, args, vm,
             "Usage: frontdoor user add --username U --name N --email E --role R --agency CODE\n"
             "The password is read from standard input (one line).")) {
    return vm.count("help") ? 0 : 2;
  }
  auto r = domain::parse_role(role);
  if (!r) return fail(Error::field("role", "Unknown role " + role));
  std::string password;
  std::getline(std::cin, password);
  SystemClock clock;
  auto app = open_app(data, clock);
  if (!app.ok()) return fail(app.error());
  auto user =
      (*app)->accounts().create_user(app::NewUser{username, name, email, *r, agency, password});
  if (!user.ok()) return fail(user.error());
  std::cout << "user " << username << " added\n";
  return 0;
}

int token_issue(const std::vector<std::string>& args) {
  po::options_description desc("Options");
  std::string data, username;
  desc.add_options()("data", po::value<std::string>(&data)->default_value("data"), "data folder")(
      "username", po::value<std::string>(&username)->required(), "the partner system's user");
  po::variables_map vm;
  if (!parse(desc, args, vm, "Usage: frontdoor token issue --username U"))
    return vm.count("help") ? 0 : 2;
  SystemClock clock;
  auto app = open_app(data, clock);
  if (!app.ok()) return fail(app.error());
  auto user = (*app)->accounts().user_by_username(username);
  if (!user.ok()) return fail(user.error());
  auto token = (*app)->accounts().issue_api_token(user->id);
  if (!token.ok()) return fail(token.error());
  std::cout << *token << "\n";
  return 0;
}

int demo_command(const std::vector<std::string>& args) {
  po::options_description desc("Options");
  std::string data;
  app::DemoOptions options;
  desc.add_options()("data", po::value<std::string>(&data)->default_value("data"),
                     "data folder (must be empty)")(
      "families", po::value<std::int64_t>(&options.families)->default_value(options.families),
      "families to generate")(
      "weeks", po::value<int>(&options.weeks_of_contacts)->default_value(options.weeks_of_contacts),
      "weeks of contacts")("contacts-per-day",
                           po::value<int>(&options.contacts_per_working_day)
                               ->default_value(options.contacts_per_working_day),
                           "contacts each working day");
  po::variables_map vm;
  if (!parse(desc, args, vm, "Usage: frontdoor demo [--data DIR] [--families N] [--weeks N]"))
    return vm.count("help") ? 0 : 2;
  SystemClock clock;
  auto app = open_app(data, clock);
  if (!app.ok()) return fail(app.error());
  auto summary = app::generate_demo(**app, options);
  if (!summary.ok()) return fail(summary.error());
  std::cout << summary->people << " people, " << summary->contacts << " contacts\n";
  return 0;
}

// Prints the SQL that gives the application's PostgreSQL role what it needs
// and no more (no UPDATE, DELETE or TRUNCATE on the event and audit logs),
// for the schema the configured database_url works in.
int grants_command(const std::vector<std::string>& args) {
  po::options_description desc("Options");
  std::string data = "data";
  std::string role;
  desc.add_options()("data", po::value<std::string>(&data)->default_value("data"), "data folder")(
      "role", po::value<std::string>(&role)->required(),
      "the role `frontdoor serve` connects as (not the schema's owner)");
  po::variables_map vm;
  if (!parse(desc, args, vm,
             "Usage: frontdoor grants --role ROLE [--data DIR]\n"
             "Prints GRANT statements; run them as the schema's owner after `frontdoor migrate`,\n"
             "e.g.  frontdoor grants --role frontdoor_app | psql -v ON_ERROR_STOP=1 OWNER_URL"))
    return vm.count("help") ? 0 : 2;
  auto config = app::Config::load(data);
  if (!config.ok()) return fail(config.error());
  if (config->database_url.empty()) {
    return fail(Error::validation(
        "grants are for PostgreSQL: set database_url (SQLite's logs are append-only by trigger)"));
  }
  storage::PostgresOptions options;
  options.url = config->database_url;
  options.pool_size = 1;
  auto db = storage::PostgresDatabase::open(options);
  if (!db.ok()) return fail(db.error());
  std::cout << storage::postgres_app_grants((*db)->schema(), role);
  return 0;
}

void usage() {
  std::cout << "Frontdoor: the children's front door (MASH)\n\n"
               "Usage: frontdoor COMMAND [options]   (frontdoor COMMAND --help for each)\n\n"
               "Commands:\n"
               "  serve         run the web interface and JSON API\n"
               "  migrate       apply database schema migrations\n"
               "  demo          fill an empty data folder with the synthetic demo council\n"
               "  agency add    register a partner agency\n"
               "  user add      add a user (password on standard input)\n"
               "  token issue   issue an API token for a partner system's user\n"
               "  grants        print the PostgreSQL GRANTs for the application's role\n"
               "  verify        check the event and audit hash chains (and a checkpoint)\n"
               "  checkpoint    export the chains' counts and last hashes, to keep elsewhere\n"
               "  backup        copy the SQLite store while it runs, and verify the copy\n"
               "  restore       put a verified backup in place of a data folder's store\n"
               "  match         deduplicate a CSV of people, or link one to another\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    usage();
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  auto sub = [&](const char* name) {
    if (rest.empty() || rest[0] != name) return false;
    rest.erase(rest.begin());
    return true;
  };
  try {
    if (command == "serve") return serve(rest);
    if (command == "migrate") return migrate_command(rest);
    if (command == "demo") return demo_command(rest);
    if (command == "grants") return grants_command(rest);
    if (command == "verify") return cli::verify_command(rest);
    if (command == "checkpoint") return cli::checkpoint_command(rest);
    if (command == "backup") return cli::backup_command(rest);
    if (command == "restore") return cli::restore_command(rest);
    if (command == "match") return cli::match_command(rest);
    if (command == "agency" && sub("add")) return agency_add(rest);
    if (command == "user" && sub("add")) return user_add(rest);
    if (command == "token" && sub("issue")) return token_issue(rest);
  } catch (const std::exception& e) {
    std::cerr << "frontdoor: unexpected failure: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "frontdoor: unknown command '" << command << "'\n";
  usage();
  return 2;
}
