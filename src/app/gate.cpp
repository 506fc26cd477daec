#include "app/gate.hpp"

#include "app/config.hpp"
#include "core/crypto.hpp"
#include "http/errors.hpp"

namespace frontdoor::app {
namespace {

bool is_safe_method(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

bool is_api(const http::Request& request) {
  return request.path.rfind("/api/", 0) == 0;
}

std::optional<std::string> bearer_token(const http::Request& request) {
  auto h = request.header("Authorization");
  if (!h) return std::nullopt;
  constexpr std::string_view kPrefix = "Bearer ";
  if (h->size() <= kPrefix.size() || !http::iequals(h->substr(0, kPrefix.size()), kPrefix)) {
    return std::nullopt;
  }
  return std::string(h->substr(kPrefix.size()));
}

}  // namespace

bool Gate::same_origin(const http::Request& request) {
  auto origin = request.header("Origin");
  if (!origin || *origin == "null") return !origin.has_value();
  auto host = request.header("Host");
  if (!host) return false;
  const std::string o(*origin);
  return o == "http://" + std::string(*host) || o == "https://" + std::string(*host);
}

web::FormState form_state(const http::Request& request) {
  web::FormState s;
  for (const auto& [k, v] : request.form().entries()) {
    if (k == "csrf_token" || k == "password") continue;  // never echo secrets
    if (s.values.count(k) != 0) {
      s.values[k] += "," + v;  // repeated fields (checkboxes) come back comma-separated
    } else {
      s.values[k] = v;
    }
  }
  return s;
}

web::FormState form_state(const http::Request& request, const Error& error) {
  web::FormState s = form_state(request);
  s.errors = error.fields;
  if (s.errors.empty()) s.errors.push_back(FieldError{"", error.message});
  return s;
}

Gate::Gate(Accounts& accounts, const Config& config, http::Router& router)
    : accounts_(accounts), config_(config), router_(router) {}

std::optional<Principal> Gate::principal(const http::Request& request) const {
  if (auto token = bearer_token(request)) {
    auto p = accounts_.authenticate_api_token(*token);
    if (p.ok()) return std::move(p).value();
    return std::nullopt;
  }
  auto cookie = request.cookie(kSessionCookie);
  if (!cookie) return std::nullopt;
  auto p = accounts_.resume(*cookie);
  if (p.ok()) return std::move(p).value();
  return std::nullopt;
}

Result<http::Response> Gate::run(http::Request& request, const RouteRule& rule,
                                 const GuardedHandler& handler) {
  const bool api = is_api(request);
  std::optional<Principal> who;
  const auto token = bearer_token(request);
  if (token) {
    auto p = accounts_.authenticate_api_token(*token);
    if (!p.ok()) return std::move(p).error();
    who = std::move(p).value();
  } else if (auto cookie = request.cookie(kSessionCookie)) {
    auto p = accounts_.resume(*cookie);
    if (p.ok()) {
      who = std::move(p).value();
    } else if (p.error().code != ErrorCode::kUnauthenticated) {
      return std::move(p).error();
    }
  }
  if (!who) {
    if (api) return Error::unauthenticated("Sign in or send a valid API token");
    std::string next = request.method == "GET" ? request.target : "/";
    return http::Response::redirect("/sign-in?next=" + http::url_encode(next));
  }
  // Cookie sessions carry a CSRF token in every state-changing request; API
  // tokens are not sent by browsers automatically, so they need none.
  if (!token && !is_safe_method(request.method)) {
    std::string sent = request.form().get("csrf_token");
    if (sent.empty()) {
      if (auto h = request.header("X-CSRF-Token")) sent = std::string(*h);
    }
    if (!same_origin(request) || sent.empty() || !constant_time_equals(sent, who->csrf_token)) {
      return Error::forbidden(
          "This form has expired or did not come from Frontdoor. Go back, reload the page and try "
          "again.");
    }
  }
  if (rule.audience == Audience::kPermission) {
    auto allowed = domain::authorize(who->user.actor(), rule.permission);
    if (!allowed.ok()) {
      // Every refusal is logged; if the log cannot be written the request is
      // refused all the same.
      (void)accounts_.record_refusal(who->user, request.method + " " + request.path,
                                     std::string(domain::to_string(rule.permission)));
      return std::move(allowed).error();
    }
  }
  request.context = *who;
  return handler(request, *who);
}

void Gate::add(const std::string& method, const std::string& pattern, RouteRule rule,
               GuardedHandler handler) {
  routes_.push_back(RouteRecord{method, pattern, rule});
  router_.add(method, pattern, [this, rule, h = std::move(handler)](http::Request& request) {
    return run(request, rule, h);
  });
}

void Gate::add_public(const std::string& method, const std::string& pattern,
                      http::Handler handler) {
  routes_.push_back(RouteRecord{method, pattern, RouteRule::open()});
  router_.add(method, pattern, std::move(handler));
}

http::Cookie Gate::session_cookie(const std::string& token, bool clear) const {
  http::Cookie c;
  c.name = kSessionCookie;
  c.value = clear ? "" : token;
  c.http_only = true;
  c.secure = config_.secure_cookies;
  c.same_site = "Lax";
  if (clear) c.max_age = 0;
  return c;
}

web::Chrome Gate::anonymous_chrome() const {
  web::Chrome c;
  c.council_name = config_.council_name;
  return c;
}

web::Chrome Gate::chrome(const Principal& who, const std::string& active_href) const {
  using domain::Permission;
  web::Chrome c = anonymous_chrome();
  web::SignedInUser user;
  user.name = who.user.display_name;
  user.csrf_token = who.csrf_token;
  c.user = user;
  c.csrf_token = who.csrf_token;
  const auto role = who.user.role;
  auto nav = [&](const std::string& href, const std::string& text) {
    web::NavItem item;
    item.href = href;
    item.text = text;
    item.active = href == active_href;
    c.navigation.push_back(std::move(item));
  };
  nav("/", "Home");
  if (domain::role_allows(role, Permission::kViewQueue)) nav("/queue", "MASH queue");
  if (domain::role_allows(role, Permission::kRecordContact))
    nav("/contacts/new", "Record a contact");
  if (domain::role_allows(role, Permission::kSearchPeople)) nav("/people", "People");
  if (domain::role_allows(role, Permission::kViewOwnReferrals)) nav("/referrals", "My referrals");
  if (domain::role_allows(role, Permission::kApproveReferralForm))
    nav("/referrals/approvals", "Approvals");
  // A partner's own agency's checks (issue #3); its lead sees the same.
  if (domain::role_allows(role, Permission::kViewAgencyQueue)) nav("/checks", "Checks");
  if (domain::role_allows(role, Permission::kViewPerformance)) nav("/partnership", "Partnership");
  if (domain::role_allows(role, Permission::kAdministerThresholds))
    nav("/admin/thresholds", "Threshold of need");
  return c;
}

}  // namespace frontdoor::app
