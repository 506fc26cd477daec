#pragma once
// The application: opens the store, applies migrations, builds the services
// and the HTTP routes. One per process; `frontdoor serve` runs one.
#include <memory>
#include <vector>

#include "app/accounts.hpp"
#include "app/config.hpp"
#include "app/contacts.hpp"
#include "app/enquiries.hpp"
#include "app/follower.hpp"
#include "app/gate.hpp"
#include "app/mailer.hpp"
#include "app/notifier.hpp"
#include "app/people.hpp"
#include "app/referral_forms.hpp"
#include "app/thresholds.hpp"
#include "domain/working_day_calendar.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"
#include "storage/sqlite_database.hpp"

namespace frontdoor::app {

class Application {
 public:
  static Result<std::unique_ptr<Application>> open(Config config, const Clock& clock);
  ~Application();

  const Config& config() const { return config_; }
  const Clock& clock() const { return clock_; }
  // The store the configuration names: SQLite in the data folder, or PostgreSQL.
  storage::Database& db() { return *db_; }
  // The SQLite engine when that is the store (backups, pragmas); else null.
  storage::SqliteDatabase* sqlite_db() { return sqlite_; }
  Accounts& accounts() { return *accounts_; }
  Thresholds& thresholds() { return *thresholds_; }
  Contacts& contacts() { return *contacts_; }
  People& people() { return *people_; }
  Enquiries& enquiries() { return *enquiries_; }
  ReferralForms& forms() { return *forms_; }
  Notifier& notifier() { return *notifier_; }
  // Follows other processes' writes into this process's memory.
  const Follower& follower() const { return *follower_; }

  // Every route of the web interface and the JSON API, behind the one gate.
  // Built once; the router lives as long as the application.
  std::shared_ptr<const http::Router> router();
  const Gate& gate() const { return *gate_; }

 private:
  Application(Config config, const Clock& clock);
  Config config_;
  const Clock& clock_;
  domain::WorkingDayCalendar calendar_;
  std::unique_ptr<storage::Database> db_;
  storage::SqliteDatabase* sqlite_ = nullptr;
  std::unique_ptr<Mailer> mailer_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Thresholds> thresholds_;
  std::unique_ptr<Contacts> contacts_;
  std::unique_ptr<People> people_;
  std::unique_ptr<Enquiries> enquiries_;
  std::unique_ptr<ReferralForms> forms_;
  std::unique_ptr<Notifier> notifier_;
  std::unique_ptr<Follower> follower_;
  std::shared_ptr<http::Router> router_;
  std::unique_ptr<Gate> gate_;
  std::vector<std::shared_ptr<void>> route_handlers_;
};

}  // namespace frontdoor::app
