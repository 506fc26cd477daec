// application/x-www-form-urlencoded bodies: the parser (http::parse_form) and
// every web form, through the real router, gate and services.
//
// Input: a first line "<route> <user>", then the form body. <route> is one of
// the keys of kRoutes (anything else picks one by its bytes); <user> one of
// worker, manager, admin, police, nurse, signed in with a session cookie
// (anything else: not signed in). The harness puts the session's CSRF token
// first in the body, as the page would; the rest goes through
// FuzzApp::substitute(). For "sign-in" the harness sends the sign-in page's
// CSRF cookie and token instead, and "@password@" is every user's password, so
// a seed can sign in and reach the redirect to its "next" page.
//
// Properties, beyond FuzzApp::check_response (no 5xx, ...):
// - the parser's (fuzz_support.hpp: decoding never lengthens; the pairs,
//   encoded again, parse back the same);
// - a form re-rendered with what the user typed escapes it: the page never
//   holds the tag "<fuzz-xss" that the seeds type into fields.
#include <string>
#include <string_view>

#include "fuzz_app.hpp"
#include "fuzz_support.hpp"

namespace {

using frontdoor::fuzz::FuzzApp;

using frontdoor::fuzz::Route;

constexpr Route kRoutes[] = {
    {"contact", "/contacts"},
    {"link", "/contacts/@contact@/link"},
    {"screen", "/contacts/@contact@/screen"},
    {"decision", "/contacts/@contact@/decision"},
    {"send-back", "/contacts/@contact@/send-back"},
    {"sign-off", "/contacts/@contact@/sign-off"},
    {"referral", "/referrals/@form@"},
    {"approve", "/referrals/@form@/approve"},
    {"return", "/referrals/@form@/return"},
    {"thresholds", "/admin/thresholds"},
    {"sign-in", "/sign-in"},
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  FuzzApp::instance();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& fuzz_app = FuzzApp::instance();
  const auto text = frontdoor::fuzz::as_text(data, size);
  const auto [head, raw_body] = frontdoor::fuzz::split_first_line(text);
  frontdoor::fuzz::check_form_parser(raw_body);

  const auto [key, user] = frontdoor::fuzz::split_word(head);
  const Route& route = frontdoor::fuzz::route_for(kRoutes, key);
  bool signed_in = false;
  for (const char* known : frontdoor::fuzz::kUsers) signed_in = signed_in || user == known;

  // Sign-in has no session yet: its CSRF token is the one in the fd_signin
  // cookie that the sign-in page set.
  const bool sign_in = route.key == "sign-in";
  std::string body = fuzz_app.substitute(raw_body);
  if (sign_in) {
    body = "csrf_token=fuzz-sign-in&" + body;
  } else if (signed_in) {
    body = "csrf_token=" + fuzz_app.csrf(user) + "&" + body;
  }
  auto request = FuzzApp::request("POST", fuzz_app.substitute(route.target), std::move(body));
  FD_FUZZ_CHECK(request.has_value(), route.target);
  request->headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  if (sign_in) {
    request->headers.emplace_back("Cookie",
                                  std::string(frontdoor::app::kSignInCookie) + "=fuzz-sign-in");
  } else if (signed_in) {
    fuzz_app.with_session(*request, user);
  }
  const auto response = fuzz_app.dispatch(*request);

  FD_FUZZ_CHECK(response.body.find("<fuzz-xss") == std::string::npos,
                request->target + " echoed markup unescaped");
  return 0;
}
