#pragma once
// The request and response values that handlers see. They are plain data,
// independent of Boost.Beast, so handlers and tests can build them directly.
#include <any>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/url.hpp"

namespace frontdoor::http {

// ASCII case-insensitive comparison, for header names and tokens.
bool iequals(std::string_view a, std::string_view b);

struct Request {
  std::string method;  // "GET", "POST", ... as sent (case-sensitive per RFC 9110)
  std::string target;  // raw request target, e.g. "/contacts/7?tab=notes"
  std::string path;    // percent-decoded path without the query
  std::string body;
  std::string remote_address;                      // peer IP address
  std::uint64_t id = 0;                            // unique per process; appears in error logs
  std::map<std::string, std::string> path_params;  // filled by the Router from {name} segments
  std::vector<std::pair<std::string, std::string>> headers;  // in arrival order
  std::any context;  // middleware attaches per-request state here (the app: its principal)

  // The first header with this name (case-insensitive).
  std::optional<std::string_view> header(std::string_view name) const;
  // The first value of a query-string parameter ('+' is a space).
  std::optional<std::string> query(std::string_view name) const;
  // Every query-string parameter, parsed once on first use.
  const FormData& query_params() const;
  // The first cookie with this name.
  std::optional<std::string> cookie(std::string_view name) const;
  // The application/x-www-form-urlencoded body, parsed once on first use. Empty
  // when the Content-Type is something else.
  const FormData& form() const;
  // A path parameter, or "" when the route has no such parameter.
  std::string param(std::string_view name) const;

  // The query part of the target (after '?', before '#'), or "".
  std::string_view query_string() const;

 private:
  mutable std::optional<FormData> form_;
  mutable std::optional<FormData> query_;
};

struct Cookie {
  Cookie() = default;
  Cookie(std::string cookie_name, std::string cookie_value)
      : name(std::move(cookie_name)), value(std::move(cookie_value)) {}

  std::string name;
  std::string value;
  std::string path = "/";
  std::optional<long long> max_age;  // seconds; 0 deletes the cookie
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Lax";  // "Strict", "Lax", "None" or "" for none

  // The Set-Cookie header value. Throws std::invalid_argument when the name
  // or value has characters a cookie may not hold (a programming error).
  std::string serialize() const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  static Response html(std::string body, int status = 200);
  static Response json(const nlohmann::json& value, int status = 200);
  static Response text(std::string body, int status = 200);
  // 303 See Other by default: the browser follows with a GET (post/redirect/get).
  static Response redirect(std::string location, int status = 303);

  // Replaces any header of this name (case-insensitive).
  Response& set_header(std::string name, std::string value);
  // Appends a header even if one of this name exists (e.g. Set-Cookie).
  Response& add_header(std::string name, std::string value);
  Response& set_cookie(const Cookie& cookie);
  std::optional<std::string_view> header(std::string_view name) const;
  bool has_header(std::string_view name) const { return header(name).has_value(); }
};

}  // namespace frontdoor::http
