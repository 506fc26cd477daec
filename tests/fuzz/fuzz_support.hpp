#pragma once
// What every fuzz target shares: checking a property (a failed check aborts,
// which libFuzzer reports as a crash and saves the input), reading the input
// as text, and the properties of the urlencoded form parser that both the
// form and the query-string targets assert.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "core/utf8.hpp"
#include "http/url.hpp"

namespace frontdoor::fuzz {

[[noreturn]] inline void fail(std::string_view property, std::string_view detail) {
  std::fprintf(stderr, "\nfuzz property failed: %.*s\n  %.*s\n", static_cast<int>(property.size()),
               property.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

#define FD_FUZZ_CHECK(condition, detail)                             \
  do {                                                               \
    if (!(condition)) ::frontdoor::fuzz::fail(#condition, (detail)); \
  } while (false)

// A route a target sends its input to, chosen by the input's first word.
struct Route {
  std::string_view key;
  std::string_view target;
};

// The route whose key is `key`; for any other word, one picked by its bytes,
// so that every input reaches some route.
template <std::size_t N>
const Route& route_for(const Route (&routes)[N], std::string_view key) {
  for (const Route& r : routes) {
    if (r.key == key) return r;
  }
  std::size_t hash = 0;
  for (char c : key) hash = hash * 31 + static_cast<unsigned char>(c);
  return routes[hash % N];
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// {first line without its line break, the rest}.
inline std::pair<std::string_view, std::string_view> split_first_line(std::string_view text) {
  const std::size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return {text, {}};
  std::string_view line = text.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return {line, text.substr(nl + 1)};
}

// The word before the first space and the rest after it.
inline std::pair<std::string_view, std::string_view> split_word(std::string_view text) {
  const std::size_t sp = text.find(' ');
  if (sp == std::string_view::npos) return {text, {}};
  return {text.substr(0, sp), text.substr(sp + 1)};
}

// The properties of http::url_encode/url_decode and http::parse_form over
// any text: decoding never lengthens, encoding is reversible and emits only
// unreserved characters and %XX, parsed pairs are UTF-8 and, encoded again,
// parse back to the same pairs.
inline void check_url_codecs(std::string_view text) {
  const std::string encoded = http::url_encode(text);
  FD_FUZZ_CHECK(encoded.size() <= 3 * text.size(), encoded);
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    FD_FUZZ_CHECK(unreserved || c == '%', encoded);
  }
  const auto back = http::url_decode(encoded);
  FD_FUZZ_CHECK(back.has_value() && *back == text, encoded);

  const auto decoded = http::url_decode(text);
  const auto decoded_plus = http::url_decode(text, true);
  FD_FUZZ_CHECK(decoded.has_value() == decoded_plus.has_value(), text);
  if (decoded) {
    FD_FUZZ_CHECK(decoded->size() <= text.size(), text);
    FD_FUZZ_CHECK(decoded->size() == decoded_plus->size(), text);
  }
  if (text.find('%') == std::string_view::npos) FD_FUZZ_CHECK(decoded.has_value(), text);

  if (auto path = http::decode_request_path(text)) {
    FD_FUZZ_CHECK(!path->empty() && path->front() == '/', text);
    FD_FUZZ_CHECK(path->find('\0') == std::string::npos, text);
    FD_FUZZ_CHECK(is_valid_utf8(*path), text);
    FD_FUZZ_CHECK(path->size() <= text.size(), text);
  }
}

inline void check_form_parser(std::string_view body) {
  const http::FormData form = http::parse_form(body);
  std::size_t decoded_bytes = 0;
  std::string again;
  for (const auto& [name, value] : form.entries()) {
    decoded_bytes += name.size() + value.size();
    if (!again.empty()) again += '&';
    again += http::url_encode(name) + "=" + http::url_encode(value);
  }
  FD_FUZZ_CHECK(decoded_bytes <= body.size(), body);
  for (const auto& [name, value] : form.entries()) {
    FD_FUZZ_CHECK(is_valid_utf8(name) && is_valid_utf8(value), body);
  }
  if (body.find('%') == std::string_view::npos && is_valid_utf8(body)) {
    FD_FUZZ_CHECK(!form.malformed(), body);
  }

  const http::FormData reparsed = http::parse_form(again);
  FD_FUZZ_CHECK(!reparsed.malformed(), again);
  FD_FUZZ_CHECK(reparsed.entries() == form.entries(), again);
  for (const auto& [name, value] : form.entries()) {
    FD_FUZZ_CHECK(form.has(name), name);
    FD_FUZZ_CHECK(form.find(name).has_value(), name);
    FD_FUZZ_CHECK(!form.all(name).empty(), name);
    (void)value;
  }
}

}  // namespace frontdoor::fuzz
