#pragma once
// The security headers every response carries. The Server applies them to
// every response it writes (including its own 400/413 replies), so handlers
// never need to; a header the handler already set is left alone (static files
// set their own Cache-Control, for example).
#include "http/message.hpp"

namespace frontdoor::http {

struct SecurityHeaderOptions {
  // Adds Strict-Transport-Security. Only for a service reached over TLS
  // (directly or through a terminating proxy).
  bool hsts = false;
};

inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

void apply_security_headers(Response& response, const SecurityHeaderOptions& options = {});

}  // namespace frontdoor::http
