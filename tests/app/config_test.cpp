// Configuration: the data folder's frontdoor.json, then FRONTDOOR_* variables.
#include "app/config.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "app_test_fixture.hpp"

namespace frontdoor::testing {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = make_temp_dir("frontdoor-config-test-"); }
  void TearDown() override {
    for (const char* v : {"FRONTDOOR_SMTP_PASSWORD", "FRONTDOOR_COUNCIL_NAME"}) ::unsetenv(v);
    std::filesystem::remove_all(dir_);
  }
  void write(const std::string& text) { std::ofstream(dir_ / "frontdoor.json") << text; }
  std::filesystem::path dir_;
};

TEST_F(ConfigTest, DefaultsWithoutAFile) {
  auto c = app::Config::load(dir_);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->port, 8080);
  EXPECT_EQ(c->address, "127.0.0.1");
  EXPECT_FALSE(c->smtp.has_value());
  EXPECT_TRUE(c->database_url.empty());
  EXPECT_EQ(c->sessions.idle, std::chrono::minutes{30});
}

TEST_F(ConfigTest, EveryKeyIsReadAndTheEnvironmentWins) {
  write(R"({"council_name": "Anytown", "port": 9090, "address": "0.0.0.0",
            "base_url": "https://frontdoor.anytown.example", "session_idle_minutes": 20,
            "session_absolute_minutes": 480, "secure_cookies": true,
            "smtp": {"host": "mail.example", "port": 587, "from": "mash@anytown.example",
                     "starttls": true, "username": "mash", "password": "in-file",
                     "timeout_seconds": 5}})");
  ::setenv("FRONTDOOR_SMTP_PASSWORD", "from-env", 1);
  ::setenv("FRONTDOOR_COUNCIL_NAME", "Anytown Council", 1);
  auto c = app::Config::load(dir_);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->council_name, "Anytown Council");
  EXPECT_EQ(c->port, 9090);
  EXPECT_EQ(c->address, "0.0.0.0");
  EXPECT_EQ(c->contacts.base_url, "https://frontdoor.anytown.example");
  EXPECT_EQ(c->sessions.idle, std::chrono::minutes{20});
  EXPECT_EQ(c->sessions.absolute, std::chrono::minutes{480});
  EXPECT_TRUE(c->secure_cookies);
  ASSERT_TRUE(c->smtp.has_value());
  EXPECT_EQ(c->smtp->host, "mail.example");
  EXPECT_EQ(c->smtp->port, 587);
  EXPECT_TRUE(c->smtp->starttls);
  EXPECT_EQ(c->smtp->username, "mash");
  EXPECT_EQ(c->smtp->password, "from-env");
  EXPECT_EQ(c->smtp->timeout, std::chrono::seconds{5});
}

TEST_F(ConfigTest, WrongTypesAreNamedNotIgnored) {
  write(R"({"port": "eighty", "session_idle_minutes": -5, "smtp": {"starttls": "yes"}})");
  auto c = app::Config::load(dir_);
  ASSERT_FALSE(c.ok());
  std::vector<std::string> fields;
  for (const auto& f : c.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"port", "session_idle_minutes", "smtp.starttls"}));
  write("[1, 2]");
  EXPECT_FALSE(app::Config::load(dir_).ok());
  write(R"({"session_idle_minutes": 60, "session_absolute_minutes": 30})");
  EXPECT_FALSE(app::Config::load(dir_).ok());
  write(R"({"database_url": "mysql://nope"})");
  EXPECT_FALSE(app::Config::load(dir_).ok());
}

TEST_F(ConfigTest, TheCheckPolicyAndAccessPeriod) {
  auto defaults = app::Config::load(dir_);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->contacts.checks, domain::RagPolicy::default_check_policy());
  EXPECT_EQ(defaults->contacts.check_access_days, 7);
  write(R"({"check_policy": {"red": {"unit": "working_hours", "amount": 2},
                             "amber": {"unit": "working_hours", "amount": 6},
                             "green": {"unit": "working_days", "amount": 1}},
            "check_access_days": 3})");
  auto c = app::Config::load(dir_);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->contacts.checks.limit(domain::RagRating::kRed).unit,
            domain::TimeLimit::kWorkingHours);
  EXPECT_EQ(c->contacts.checks.limit(domain::RagRating::kGreen).unit,
            domain::TimeLimit::kWorkingDays);
  EXPECT_EQ(c->contacts.check_access_days, 3);
  write(R"({"check_access_days": 400})");
  auto wrong = app::Config::load(dir_);
  ASSERT_FALSE(wrong.ok());
  ASSERT_EQ(wrong.error().fields.size(), 1U);
  EXPECT_EQ(wrong.error().fields[0].field, "check_access_days");
  write(R"({"check_policy": {"red": {"unit": "fortnights", "amount": 2}}})");
  EXPECT_FALSE(app::Config::load(dir_).ok());
}

TEST_F(ConfigTest, LoadSheddingLimitsFromTheFileAndTheEnvironment) {
  auto defaults = app::Config::load(dir_);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->http_max_in_flight, 0);  // the server's default: 32 per core
  EXPECT_EQ(defaults->http_max_queue_wait_ms, 500);
  write(R"({"http_max_in_flight": 48, "http_max_queue_wait_ms": 250})");
  auto c = app::Config::load(dir_);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->http_max_in_flight, 48);
  EXPECT_EQ(c->http_max_queue_wait_ms, 250);
  ::setenv("FRONTDOOR_HTTP_MAX_IN_FLIGHT", "96", 1);
  ::setenv("FRONTDOOR_HTTP_MAX_QUEUE_WAIT_MS", "0", 1);
  c = app::Config::load(dir_);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->http_max_in_flight, 96);
  EXPECT_EQ(c->http_max_queue_wait_ms, 0);
  ::setenv("FRONTDOOR_HTTP_MAX_IN_FLIGHT", "-1", 1);
  EXPECT_FALSE(app::Config::load(dir_).ok());
  ::setenv("FRONTDOOR_HTTP_MAX_IN_FLIGHT", "64 requests", 1);
  EXPECT_FALSE(app::Config::load(dir_).ok());
  ::unsetenv("FRONTDOOR_HTTP_MAX_IN_FLIGHT");
  ::unsetenv("FRONTDOOR_HTTP_MAX_QUEUE_WAIT_MS");
  write(R"({"http_max_in_flight": -5})");
  EXPECT_FALSE(app::Config::load(dir_).ok());
}

class OutcomeLinkTest : public AppFixture {
  void configure(app::Config& config) override {
    config.contacts.base_url = "https://frontdoor.test.example/";
  }
};

TEST_F(OutcomeLinkTest, PartnerUsersOutcomeEmailLinksToTheirReferrals) {
  auto police = api_client("police");
  auto worker = api_client("worker");
  auto manager = api_client("manager");
  auto created = police.post_json(
      "/api/v1/contacts", {{"source_code", "6"},
                           {"children", {{{"given_name", "Ola"}, {"family_name", "Linkworth"}}}},
                           {"concerns", "Child found wandering at night."}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string base = "/api/v1/contacts/" + created.json()["id"].dump();
  auto v = worker.get(base).json()["version"];
  v = worker.post_json(base + "/links", {{"version", v}, {"child_index", 0}}).json()["version"];
  v = worker.post_json(base + "/screening", {{"version", v}, {"rag", "green"}, {"rationale", "r"}})
          .json()["version"];
  v = worker
          .post_json(base + "/decision", {{"version", v},
                                          {"outcome", "early_help"},
                                          {"level", 2},
                                          {"indicators", {"2.1"}},
                                          {"rationale", "r"},
                                          {"next_steps", "Family support offered."}})
          .json()["version"];
  ASSERT_EQ(
      manager.post_json(base + "/sign-off", {{"version", v}, {"case_direction", "Early help"}})
          .status,
      200);
  ASSERT_TRUE(app_->notifier().deliver_pending().ok());
  ASSERT_TRUE(smtp_->wait_for(1, std::chrono::seconds{5}));
  const auto body = smtp_->messages().front().body();
  EXPECT_NE(body.find("https://frontdoor.test.example/referrals"), std::string::npos) << body;
}

}  // namespace
}  // namespace frontdoor::testing
