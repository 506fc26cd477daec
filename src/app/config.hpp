#pragma once
// Configuration: defaults, then the data folder's frontdoor.json, then
// FRONTDOOR_* environment variables (see docs/CONFIGURATION.md).
#include <filesystem>
#include <optional>
#include <string>

#include "app/accounts.hpp"
#include "app/contacts.hpp"
#include "app/mailer.hpp"
#include "app/passwords.hpp"
#include "app/people.hpp"
#include "core/result.hpp"

namespace frontdoor::app {

struct Config {
  std::filesystem::path data_dir = "data";
  // The database: empty for SQLite in data_dir/frontdoor.db, or a PostgreSQL
  // URL such as postgresql://frontdoor@/frontdoor?host=/run/postgresql
  // (frontdoor.json "database_url", or FRONTDOOR_DATABASE_URL).
  std::string database_url;
  std::string council_name = "Demo Borough Council";
  std::string base_url;  // for links in e-mails, e.g. https://frontdoor.example.gov.uk
  std::string address = "127.0.0.1";
  unsigned short port = 8080;
  int http_threads = 0;              // 0: two per core
  bool production = false;           // refuse unsafe settings
  bool secure_cookies = false;       // set when served over HTTPS (always in production)
  std::filesystem::path assets_dir;  // compiled GOV.UK assets
  ContactPolicies contacts;
  SessionPolicy sessions;
  PasswordParams passwords;
  // Load shedding (http::ServerOptions): requests admitted at once, running or
  // waiting for a thread (0: 32 per core), and the longest an admitted request
  // may wait for a thread (0: no limit); beyond either, 503 with Retry-After.
  int http_max_in_flight = 0;
  int http_max_queue_wait_ms = 500;
  std::optional<SmtpConfig> smtp;  // without it, e-mails are written to data_dir/mail/
  MatchingPolicy matching;         // person matching's bands and training

  // Reads <data_dir>/frontdoor.json if present, then the environment.
  static Result<Config> load(const std::filesystem::path& data_dir);
  // Refuses settings that would break the product's promises in production.
  Status check_production() const;
};

}  // namespace frontdoor::app
