#include "app/application.hpp"

#include "app/web_routes.hpp"
#include "core/crypto.hpp"
#include "http/static_files.hpp"
#include "storage/migrations.hpp"
#include "storage/postgres_database.hpp"
#include "web/pages.hpp"

namespace frontdoor::app {

Application::Application(Config config, const Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      calendar_(domain::WorkingDayCalendar::england_and_wales()) {}

Application::~Application() {
  if (follower_) follower_->stop();
  if (notifier_) notifier_->stop();
}

Result<std::unique_ptr<Application>> Application::open(Config config, const Clock& clock) {
  FD_TRY(config.check_production());
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec)
    return Error::unavailable("The data folder " + config.data_dir.string() + " cannot be created");
  std::unique_ptr<Application> app(new Application(std::move(config), clock));
  auto& c = app->config_;
  if (c.database_url.empty()) {
    FD_ASSIGN_OR_RETURN(auto sqlite, storage::SqliteDatabase::open(storage::SqliteOptions{
                                         c.data_dir / "frontdoor.db", 8, true}));
    FD_ASSIGN_OR_RETURN(auto level, sqlite->synchronous_level());
    if (level < 2)
      return Error::unavailable("SQLite is not running with synchronous=FULL: refusing to start");
    app->sqlite_ = sqlite.get();
    app->db_ = std::move(sqlite);
  } else {
    // Refuses a server with fsync, synchronous_commit or full_page_writes off.
    storage::PostgresOptions options;
    options.url = c.database_url;
    FD_ASSIGN_OR_RETURN(app->db_, storage::PostgresDatabase::open(options));
  }
  FD_TRY(storage::migrate(*app->db_, format_utc(clock.now())));
  if (c.smtp) {
    app->mailer_ = std::make_unique<SmtpMailer>(*c.smtp, clock);
  } else {
    // Without an SMTP server (the demo, a developer's machine) e-mails are
    // written as .eml files to a folder, where a person can read them.
    app->mailer_ =
        std::make_unique<FileMailer>(c.data_dir / "mail", "Frontdoor <frontdoor@localhost>", clock);
  }
  app->accounts_ = std::make_unique<Accounts>(*app->db_, clock, c.sessions, c.passwords);
  app->thresholds_ = std::make_unique<Thresholds>(*app->db_, clock);
  FD_TRY(app->thresholds_->ensure_default());
  app->contacts_ =
      std::make_unique<Contacts>(*app->db_, clock, app->calendar_, c.contacts, *app->thresholds_);
  app->people_ = std::make_unique<People>(*app->db_, clock, c.matching);
  FD_TRY(app->people_->load_index());
  People* people = app->people_.get();
  app->contacts_->on_people_changed([people] { (void)people->refresh_index(); });
  app->contacts_->link_automatically([people](storage::Transaction& tx,
                                              const domain::ChildOnContact& child,
                                              const domain::ContactDetails& contact) {
    return people->automatic_link(tx, child, contact);
  });
  app->follower_ = std::make_unique<Follower>(*app->db_);
  app->follower_->subscribe([people] { return people->refresh_index(); });
  FD_TRY(app->follower_->start());
  app->enquiries_ = std::make_unique<Enquiries>(*app->db_, clock, *app->contacts_);
  app->forms_ = std::make_unique<ReferralForms>(*app->db_, clock, *app->contacts_);
  app->notifier_ = std::make_unique<Notifier>(*app->db_, clock, *app->mailer_);
  return app;
}

}  // namespace frontdoor::app

namespace frontdoor::app {

std::shared_ptr<const http::Router> Application::router() {
  if (router_) return router_;
  router_ = std::make_shared<http::Router>();
  gate_ = std::make_unique<Gate>(*accounts_, config_, *router_);
  Gate* gate = gate_.get();
  const std::string council = config_.council_name;
  router_->set_error_renderer([gate](const http::Request& request, const Error& error, int status) {
    web::Chrome chrome = gate->anonymous_chrome();
    if (auto who = gate->principal(request)) chrome = gate->chrome(*who, "");
    std::string title;
    switch (status) {
      case 400:
        title = "There is a problem with your request";
        break;
      case 401:
        title = "Sign in to continue";
        break;
      case 403:
        title = "You cannot do that";
        break;
      case 404:
        title = "Page not found";
        break;
      case 409:
        title = "This record has changed";
        break;
      case 429:
        title = "Too many attempts";
        break;
      case 503:
        title = "Sorry, the service is unavailable";
        break;
      default:
        title = "Sorry, there is a problem with the service";
        break;
    }
    return http::Response::html(web::error_page(chrome, status, title, error.message).str(),
                                status);
  });
  route_handlers_.push_back(install_web_routes(*this, *gate_));
  route_handlers_.push_back(install_api_routes(*this, *gate_));
  gate_->add_public("GET", "/assets/{path*}", http::static_files(config_.assets_dir, "/assets"));
  return router_;
}

}  // namespace frontdoor::app
