#pragma once
// The whole application for the fuzz targets that go through the real router:
// one Application over a fresh SQLite data folder (in $TMPDIR, removed at
// exit), a fixed clock (Monday 30 November 2026, 09:30), the agencies and
// users below, each signed in once (session cookie and CSRF token) and given
// an API token, and one contact, one person and one referral form to act on.
//
// Fuzz inputs name these with placeholders that substitute() replaces, so a
// hand-written seed can reach the routes behind the gate:
//   @worker-token@  @worker-session@  @worker-csrf@   (MASH social worker)
//   @manager-...@ (MASH team manager), @admin-...@ (system administrator),
//   @police-...@ (partner referrer, police), @nurse-...@ (partner practitioner)
//   @contact@  @person@  @form@   (ids of the records made at start)
//   @password@   (every user's password)
//
// FRONTDOOR_FUZZ_TRACE=1 in the environment prints every request and the
// status it got (to see where a seed goes).
//
// dispatch() runs a request through the router and asserts what must hold for
// every request whatever its input (check_response): no 5xx, headers the
// server can send, redirects only to our own paths, and JSON errors under
// /api/.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/application.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace frontdoor::fuzz {

inline constexpr const char* kUsers[] = {"worker", "manager", "admin", "police", "nurse"};

class FuzzApp {
 public:
  // Built on first use; lives until the process exits.
  static FuzzApp& instance();

  std::string substitute(std::string_view text) const;

  // A request as the server makes one: the path is the decoded target
  // (nullopt when the server would answer 400 before routing).
  static std::optional<http::Request> request(std::string method, std::string target,
                                              std::string body = {});
  // Authenticates the request as `user` ("worker", ...): a Bearer token, or
  // the session cookie (and, for a state change, the Host and Origin of a
  // same-origin browser request).
  void with_token(http::Request& request, std::string_view user) const;
  void with_session(http::Request& request, std::string_view user) const;
  std::string csrf(std::string_view user) const;

  // True when the path is one the gate serves to anybody (an add_public route).
  bool is_public(std::string_view path) const;

  // Runs the router and checks the response (see above).
  http::Response dispatch(http::Request& request);

  app::Application& app() { return *app_; }
  const std::shared_ptr<const http::Router>& router() const { return router_; }

 private:
  FuzzApp();
  void sign_in_everyone(bool at_start);
  void make_records();

  bool trace_;
  std::filesystem::path dir_;
  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<app::Application> app_;
  std::shared_ptr<const http::Router> router_;
  std::vector<std::pair<std::string, std::string>> placeholders_;  // name -> value
};

// The response properties every request must have; aborts with the request
// and response when one fails.
void check_response(const http::Request& request, const http::Response& response);

}  // namespace frontdoor::fuzz
