#pragma once
// A whole Frontdoor (Application + HTTP server on port 0) over a fresh SQLite
// data folder (or, when FRONTDOOR_TEST_POSTGRES_URL is set, a fresh schema on
// that PostgreSQL server: see scripts/with-postgres.sh), with a manual clock, a real SMTP listener
// on loopback and a small cast of users, for integration tests that go through HTTP.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "app/application.hpp"
#include "domain/london_time.hpp"
#include "http/server.hpp"
#include "http_test_client.hpp"
#include "smtp_test_server.hpp"
#include "storage/postgres_test_schema.hpp"

namespace frontdoor::testing {

inline std::filesystem::path make_temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

// Monday 30 November 2026, 09:30 in London (GMT, so also 09:30 UTC).
inline Instant monday_morning() {
  using namespace std::chrono;
  return domain::from_london(sys_days{year{2026} / November / 30}, hours{9} + minutes{30});
}

class AppFixture : public ::testing::Test {
 protected:
  static constexpr const char* kPassword = "a long enough test passphrase";

  void SetUp() override {
    dir_ = make_temp_dir("frontdoor-app-test-");
    clock_ = std::make_unique<ManualClock>(monday_morning());
    smtp_ = std::make_unique<SmtpTestServer>();
    app::Config config;
    config.data_dir = dir_;
    config.council_name = "Test Borough Council";
    config.passwords = app::PasswordParams{1, 8192, 1};  // fast hashing for tests
    app::SmtpConfig smtp;
    smtp.port = smtp_->port();
    smtp.from = "frontdoor@council.test";
    config.smtp = smtp;
    if (auto url = storage::testing::postgres_test_url()) {
      postgres_ = std::make_unique<storage::testing::PostgresTestSchema>(*url);
      config.database_url = postgres_->url();
    }
    configure(config);
    auto opened = app::Application::open(config, *clock_);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    app_ = std::move(opened).value();

    add_agency("LA", "Test Borough Council Children's Services", domain::AgencyKind::kCouncil);
    add_agency("POL", "Test Constabulary", domain::AgencyKind::kPolice);
    add_agency("NHS", "Test NHS Trust", domain::AgencyKind::kHealth);
    add_agency("SCH", "Test Academy", domain::AgencyKind::kEducation);
    add_user("worker", "Sam Worker", domain::Role::kMashSocialWorker, "LA");
    add_user("manager", "Maya Manager", domain::Role::kMashTeamManager, "LA");
    add_user("admin", "Ada Admin", domain::Role::kSystemAdministrator, "LA");
    add_user("analyst", "Ana Analyst", domain::Role::kPerformanceAnalyst, "LA");
    add_user("police", "PC Jones", domain::Role::kPartnerReferrer, "POL");
    add_user("police2", "PC Smith", domain::Role::kPartnerReferrer, "POL");
    add_user("teacher", "Ed Teacher", domain::Role::kPartnerReferrer, "SCH");
    add_user("nurse", "Hana Health", domain::Role::kPartnerPractitioner, "NHS");

    http::ServerOptions options;
    options.port = 0;
    options.threads = 2;
    server_ = std::make_unique<http::Server>(options, app_->router());
    port_ = server_->start();
  }

  void TearDown() override {
    if (server_) server_->stop();
    server_.reset();
    app_.reset();
    postgres_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Lets a test change the configuration before the application opens.
  virtual void configure(app::Config&) {}

  void add_agency(const std::string& code, const std::string& name, domain::AgencyKind kind) {
    app::Agency a;
    a.code = code;
    a.name = name;
    a.kind = kind;
    auto id = app_->accounts().create_agency(a);
    ASSERT_TRUE(id.ok()) << id.error().message;
  }

  void add_user(const std::string& username, const std::string& name, domain::Role role,
                const std::string& agency) {
    app::NewUser u;
    u.username = username;
    u.display_name = name;
    u.email = username + "@" + agency + ".test";
    for (auto& c : u.email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    u.role = role;
    u.agency_code = agency;
    u.password = kPassword;
    auto user = app_->accounts().create_user(u);
    ASSERT_TRUE(user.ok()) << user.error().message;
    user_ids_[username] = user->id;
  }

  // A client that authenticates with a partner-system API token.
  HttpClient api_client(const std::string& username) {
    auto token = app_->accounts().issue_api_token(user_ids_.at(username));
    EXPECT_TRUE(token.ok());
    HttpClient c(port_);
    c.set_default_header("Authorization", "Bearer " + token.value());
    return c;
  }

  // A browser-like client signed in through the sign-in form; returns the
  // session's CSRF token through `csrf`.
  HttpClient browser(const std::string& username, std::string* csrf = nullptr) {
    HttpClient c(port_);
    auto form = c.get("/sign-in");
    EXPECT_EQ(form.status, 200);
    const auto token = HttpClient::csrf_token_in(form.body);
    auto signed_in = c.post_form(
        "/sign-in", {{"csrf_token", token}, {"username", username}, {"password", kPassword}},
        {{"Origin", c.origin()}});
    EXPECT_EQ(signed_in.status, 303) << signed_in.body;
    if (csrf != nullptr) *csrf = HttpClient::csrf_token_in(c.get("/").body);
    return c;
  }

  std::int64_t user_id(const std::string& username) const { return user_ids_.at(username); }

  // An agency's id by its code ("POL", "NHS", ...).
  std::int64_t agency_id(const std::string& code) {
    auto agency = app_->accounts().agency_by_code(code);
    EXPECT_TRUE(agency.ok()) << code;
    return agency.ok() ? agency->id : 0;
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::testing::PostgresTestSchema> postgres_;  // when on PostgreSQL
  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<SmtpTestServer> smtp_;
  std::unique_ptr<app::Application> app_;
  std::unique_ptr<http::Server> server_;
  unsigned short port_ = 0;
  std::map<std::string, std::int64_t> user_ids_;
};

}  // namespace frontdoor::testing
