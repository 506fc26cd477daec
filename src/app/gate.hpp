#pragma once
// The one gate every request passes through. Routes are registered only
// through Gate::add, which records who may use each route; the gate resolves
// the signed-in user (session cookie or partner API token), refuses a state
// change without a valid CSRF token or from a foreign origin, and checks the
// route's permission with domain/access before the handler runs. Record-level
// checks (is this partner allowed this contact?) are made by the services with
// the same domain/access functions.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "domain/access.hpp"
#include "http/router.hpp"
#include "web/pages.hpp"

namespace frontdoor::app {

struct Config;

enum class Audience { kPublic, kSignedIn, kPermission };

struct RouteRule {
  Audience audience = Audience::kSignedIn;
  domain::Permission permission = domain::Permission::kViewQueue;  // when kPermission

  static RouteRule open() { return {Audience::kPublic, {}}; }
  static RouteRule signed_in() { return {Audience::kSignedIn, {}}; }
  static RouteRule needs(domain::Permission p) { return {Audience::kPermission, p}; }
};

// One row per route, for the access-control matrix test.
struct RouteRecord {
  std::string method;
  std::string pattern;
  RouteRule rule;
};

using GuardedHandler = std::function<Result<http::Response>(http::Request&, const Principal&)>;

inline constexpr const char* kSessionCookie = "fd_session";
inline constexpr const char* kSignInCookie = "fd_signin";  // CSRF token before there is a session

class Gate {
 public:
  Gate(Accounts& accounts, const Config& config, http::Router& router);

  void add(const std::string& method, const std::string& pattern, RouteRule rule,
           GuardedHandler handler);
  void add_public(const std::string& method, const std::string& pattern, http::Handler handler);
  const std::vector<RouteRecord>& routes() const { return routes_; }

  // The page chrome for a signed-in user (navigation by role).
  web::Chrome chrome(const Principal& who, const std::string& active_href) const;
  web::Chrome anonymous_chrome() const;
  // The principal for a request, if signed in (pages like errors use it).
  std::optional<Principal> principal(const http::Request& request) const;
  http::Cookie session_cookie(const std::string& token, bool clear = false) const;
  // A state-changing request from a browser must come from our own pages:
  // false when its Origin header names another origin (or is "null").
  static bool same_origin(const http::Request& request);
  const Config& config() const { return config_; }

 private:
  Result<http::Response> run(http::Request& request, const RouteRule& rule,
                             const GuardedHandler& handler);
  Accounts& accounts_;
  const Config& config_;
  http::Router& router_;
  std::vector<RouteRecord> routes_;
};

// The values of a form as typed, for re-rendering.
web::FormState form_state(const http::Request& request);
web::FormState form_state(const http::Request& request, const Error& error);

}  // namespace frontdoor::app
