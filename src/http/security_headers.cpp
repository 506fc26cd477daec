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
    {"Referrer-Policy", "no-referrer"},
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
