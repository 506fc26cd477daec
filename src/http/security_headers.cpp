#include "http/security_headers.hpp"

#include <array>

namespace frontdoor::http {
namespace {

struct DefaultHeader {
  std::string_view name;
  std::string_view value;
};

constexpr std::array<DefaultHeader, 7> kDefaults{{
    {"Content-Security-Policy", kContentSecurityPolicy},
    {"X-Content-Type-Options", "nosniff"},
    // Never a referrer to other sites. Not "no-referrer": under it browsers
    // send "Origin: null" on our own form posts, and the Origin check that
    // backs the CSRF token (app/gate.cpp) could not tell them from a
    // cross-site post.
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cache-Control", "no-store"},
}};

}  // namespace

void apply_security_headers(Response& response, const SecurityHeaderOptions& options) {
  for (const auto& h : kDefaults) {
    if (!response.has_header(h.name)) {
      response.headers.emplace_back(std::string(h.name), std::string(h.value));
    }
  }
  if (options.hsts && !response.has_header("Strict-Transport-Security")) {
    response.headers.emplace_back("Strict-Transport-Security",
                                  "max-age=31536000; includeSubDomains");
  }
}

}  // namespace frontdoor::http
