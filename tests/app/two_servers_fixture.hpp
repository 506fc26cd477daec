#pragma once
// Two Frontdoor processes on one database: AppFixture's Application and
// server, and a second Application (its own HTTP server, pool and caches)
// opened with the same configuration, so on the same store (the same SQLite
// file, or the same PostgreSQL schema under scripts/with-postgres.sh).
#include <memory>
#include <string>

#include "app_test_fixture.hpp"

namespace frontdoor::testing {

class TwoServersTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    // The second process: the same configuration, so the same store.
    auto opened = app::Application::open(app_->config(), *clock_);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    second_ = std::move(opened).value();
    http::ServerOptions options;
    options.port = 0;
    options.threads = 2;
    second_server_ = std::make_unique<http::Server>(options, second_->router());
    second_port_ = second_server_->start();
  }
  void TearDown() override {
    if (second_server_) second_server_->stop();
    second_server_.reset();
    second_.reset();
    AppFixture::TearDown();
  }

  // A client of one of the two servers, with the user's API token.
  HttpClient client(unsigned short port, const std::string& token) {
    HttpClient c(port);
    c.set_default_header("Authorization", "Bearer " + token);
    return c;
  }
  std::string token_for(const std::string& username) {
    auto token = app_->accounts().issue_api_token(user_id(username));
    EXPECT_TRUE(token.ok());
    return token.ok() ? *token : std::string();
  }

  std::unique_ptr<app::Application> second_;
  std::unique_ptr<http::Server> second_server_;
  unsigned short second_port_ = 0;
};

}  // namespace frontdoor::testing
