// Cookie headers: the parser (http::parse_cookies, Request::cookie) and the
// gate that resumes a session from the fd_session cookie, through the real
// router.
//
// Input: a first line that is the Cookie header (through
// FuzzApp::substitute(), so "fd_session=@worker-session@" is a live session),
// then optionally a second line with the GET target (default "/queue").
//
// Properties, beyond FuzzApp::check_response (no 5xx, ...):
// - parsed names are non-empty and hold no '=', ';' or surrounding blanks;
//   values hold no ';'; the pairs fit in the header;
// - Request::cookie(name) is the first value parsed for that name;
// - pairs that are valid cookies, written as a browser would, parse back the
//   same;
// - a header that names no live session (no "-session@" placeholder) never
//   gets a 200 from a route that needs a signed-in user.
#include <string>
#include <string_view>

#include "fuzz_app.hpp"
#include "fuzz_support.hpp"

using frontdoor::fuzz::FuzzApp;

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

void check_cookie_parser(std::string_view header) {
  const auto pairs = frontdoor::http::parse_cookies(header);
  std::size_t bytes = 0;
  std::string again;
  std::vector<std::pair<std::string, std::string>> valid;
  for (const auto& [name, value] : pairs) {
    FD_FUZZ_CHECK(!name.empty(), header);
    FD_FUZZ_CHECK(name.find_first_of("=;") == std::string::npos, header);
    FD_FUZZ_CHECK(!is_blank(name.front()) && !is_blank(name.back()), header);
    FD_FUZZ_CHECK(value.find(';') == std::string::npos, header);
    bytes += name.size() + value.size();
    if (frontdoor::http::is_cookie_name(name) && frontdoor::http::is_cookie_value(value)) {
      if (!again.empty()) again += "; ";
      again += name + "=" + value;
      valid.emplace_back(name, value);
    }
  }
  FD_FUZZ_CHECK(bytes <= header.size(), header);
  FD_FUZZ_CHECK(frontdoor::http::parse_cookies(again) == valid, again);

  frontdoor::http::Request request;
  request.headers.emplace_back("Cookie", std::string(header));
  for (const auto& [name, value] : pairs) {
    const auto found = request.cookie(name);
    FD_FUZZ_CHECK(found.has_value(), name);
    for (const auto& [first_name, first_value] : pairs) {
      if (first_name != name) continue;
      FD_FUZZ_CHECK(*found == first_value, name);
      break;
    }
    (void)value;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  FuzzApp::instance();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& fuzz_app = FuzzApp::instance();
  const auto [raw_header, rest] =
      frontdoor::fuzz::split_first_line(frontdoor::fuzz::as_text(data, size));
  check_cookie_parser(raw_header);

  std::string_view target = frontdoor::fuzz::split_first_line(rest).first;
  if (target.empty()) target = "/queue";
  auto request = FuzzApp::request("GET", fuzz_app.substitute(target));
  if (!request) return 0;
  const std::string header = fuzz_app.substitute(raw_header);
  check_cookie_parser(header);
  request->headers.emplace_back("Cookie", header);
  const auto response = fuzz_app.dispatch(*request);

  if (raw_header.find("-session@") == std::string_view::npos && response.status == 200) {
    FD_FUZZ_CHECK(fuzz_app.is_public(request->path),
                  request->path + " answered 200 without a session, Cookie: " + header);
  }
  return 0;
}
