// Request targets: URL paths (percent-decoding, router matching) and query
// strings, for every GET route, through the real router, gate and pages.
//
// Input: one line "<user> <target>", e.g. "worker /people?q=ava+smith".
// <user> is one of worker, manager, admin, police, nurse (signed in with a
// session cookie) or anything else (not signed in). The target goes through
// FuzzApp::substitute(), so "/contacts/@contact@" is a real contact.
//
// Properties, beyond FuzzApp::check_response (no 5xx, redirects stay on our
// site, ...):
// - the URL codecs' and the query-string parser's (fuzz_support.hpp);
// - a target whose path does not decode is what the server answers 400 for
//   and is not routed; one that decodes is routed to some answer;
// - nobody signed in gets a 200 only from a public route (the gate's
//   add_public routes: sign-in, health, the OpenAPI document, assets).
#include <string>
#include <string_view>

#include "fuzz_app.hpp"
#include "fuzz_support.hpp"

using frontdoor::fuzz::FuzzApp;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  FuzzApp::instance();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& fuzz_app = FuzzApp::instance();
  const auto [line, rest] = frontdoor::fuzz::split_first_line(frontdoor::fuzz::as_text(data, size));
  (void)rest;
  const auto [user, raw_target] = frontdoor::fuzz::split_word(line);
  frontdoor::fuzz::check_url_codecs(raw_target);

  const std::string target = fuzz_app.substitute(raw_target);
  auto request = FuzzApp::request("GET", target);
  if (!request) return 0;  // the server's 400, before any routing
  frontdoor::fuzz::check_form_parser(request->query_string());

  bool signed_in = false;
  for (const char* known : frontdoor::fuzz::kUsers) {
    if (user == known) {
      fuzz_app.with_session(*request, user);
      signed_in = true;
    }
  }
  const auto response = fuzz_app.dispatch(*request);
  if (!signed_in && response.status == 200) {
    FD_FUZZ_CHECK(fuzz_app.is_public(request->path), request->path + " answered 200 to nobody");
  }
  return 0;
}
