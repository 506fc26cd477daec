#pragma once
// Percent-encoding, query strings, application/x-www-form-urlencoded bodies and
// Cookie headers. Every function here takes untrusted bytes and never throws
// on bad input: they are fuzzed.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace frontdoor::http {

// Percent-encodes everything except the RFC 3986 unreserved characters
// (A-Z a-z 0-9 - . _ ~). Safe for a path segment, a query name or a value.
std::string url_encode(std::string_view text);

// Decodes %XX escapes. With plus_as_space ('+' in forms and query strings)
// a '+' becomes a space. Returns nullopt on a truncated or non-hex escape.
// A decoded NUL byte is allowed here; callers that build paths reject it.
std::optional<std::string> url_decode(std::string_view text, bool plus_as_space = false);

// The percent-decoded path of a request target ("/a%20b?x=1#f" -> "/a b"):
// the part before '?' or '#', which must start with '/'. nullopt (the server
// answers 400) when it does not, when an escape is malformed, or when the
// decoded path holds a NUL byte or is not UTF-8.
std::optional<std::string> decode_request_path(std::string_view target);

// Name/value pairs from a query string or a urlencoded form body, in order,
// repeated names kept. A pair whose name or value has a malformed escape or
// decodes to bytes that are not UTF-8 (no browser sends them; JSON and
// PostgreSQL refuse them) is dropped and malformed() becomes true; empty pairs
// ("a=1&&b=2") are skipped.
class FormData {
 public:
  FormData() = default;
  // The first value for `name`, or "" when absent.
  std::string get(std::string_view name) const;
  std::optional<std::string> find(std::string_view name) const;
  std::vector<std::string> all(std::string_view name) const;
  bool has(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }
  bool malformed() const { return malformed_; }
  bool empty() const { return entries_.empty(); }

  void add(std::string name, std::string value);
  void mark_malformed() { malformed_ = true; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
  bool malformed_ = false;
};

// Parses "a=1&b=two+words&c=%2F". A name without '=' has the value "".
FormData parse_form(std::string_view body);

// Parses a Cookie request header: "a=1; b=2". Surrounding spaces are trimmed
// and one pair of double quotes around a value is removed. Values are not
// percent-decoded. Pairs without '=' or with an empty name are skipped.
// When a name repeats, every occurrence is kept in order (the first is the
// most specific path, as browsers send them).
std::vector<std::pair<std::string, std::string>> parse_cookies(std::string_view header);

// True when every byte may appear in a cookie name (an RFC 7230 token).
bool is_cookie_name(std::string_view name);
// True when every byte may appear in a cookie value (RFC 6265 cookie-octet).
bool is_cookie_value(std::string_view value);

}  // namespace frontdoor::http
