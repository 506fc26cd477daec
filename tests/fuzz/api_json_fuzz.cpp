// JSON request bodies of the API, through the real router, gate and services.
//
// Input: a first line "<route> <user>", then the body. <route> is one of the
// keys of kRoutes (anything else picks one by its bytes), <user> one of
// worker, manager, admin, police, nurse (anything else: no credentials). The
// body goes through FuzzApp::substitute(), so "@person@" is a real id.
//
// Properties, beyond FuzzApp::check_response (no 5xx, ...):
// - a body that is not a JSON object is refused with a 4xx;
// - a 201 names the new record in Location;
// - whatever JSON object arrives, contact_details_from_json and
//   person_details_from_json either refuse it or read it so that writing it
//   out and reading it again gives the same JSON (a round trip).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domain/contact.hpp"
#include "domain/person.hpp"
#include "fuzz_app.hpp"
#include "fuzz_support.hpp"

namespace {

using frontdoor::fuzz::FuzzApp;
using nlohmann::json;

using frontdoor::fuzz::Route;

constexpr Route kRoutes[] = {
    {"contacts", "/api/v1/contacts"},
    {"links", "/api/v1/contacts/@contact@/links"},
    {"screening", "/api/v1/contacts/@contact@/screening"},
    {"decision", "/api/v1/contacts/@contact@/decision"},
    {"send-back", "/api/v1/contacts/@contact@/send-back"},
    {"sign-off", "/api/v1/contacts/@contact@/sign-off"},
    {"people", "/api/v1/people"},
    {"corrections", "/api/v1/people/@person@/corrections"},
    {"moves", "/api/v1/people/@person@/moves"},
    {"relationships", "/api/v1/people/@person@/relationships"},
};

template <typename Read>
void check_round_trip(const json& j, Read read) {
  auto first = read(j);
  if (!first.ok()) return;
  const json written = frontdoor::domain::to_json(*first);
  auto second = read(written);
  FD_FUZZ_CHECK(second.ok(), written.dump());
  FD_FUZZ_CHECK(frontdoor::domain::to_json(*second) == written, written.dump());
}

void check_domain_readers(const json& j) {
  check_round_trip(j,
                   [](const json& x) { return frontdoor::domain::contact_details_from_json(x); });
  check_round_trip(j, [](const json& x) { return frontdoor::domain::person_details_from_json(x); });
  if (j.contains("details") && j["details"].is_object()) {
    check_round_trip(j["details"],
                     [](const json& x) { return frontdoor::domain::person_details_from_json(x); });
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  FuzzApp::instance();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& fuzz_app = FuzzApp::instance();
  const auto [head, raw_body] =
      frontdoor::fuzz::split_first_line(frontdoor::fuzz::as_text(data, size));
  const auto [key, user] = frontdoor::fuzz::split_word(head);
  const Route& route = frontdoor::fuzz::route_for(kRoutes, key);

  auto request =
      FuzzApp::request("POST", fuzz_app.substitute(route.target), fuzz_app.substitute(raw_body));
  FD_FUZZ_CHECK(request.has_value(), route.target);
  request->headers.emplace_back("Content-Type", "application/json");
  for (const char* known : frontdoor::fuzz::kUsers) {
    if (user == known) fuzz_app.with_token(*request, user);
  }
  const auto response = fuzz_app.dispatch(*request);

  const json body = json::parse(request->body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    FD_FUZZ_CHECK(response.status >= 400, request->body);
  } else {
    check_domain_readers(body);
  }
  if (response.status == 201) FD_FUZZ_CHECK(response.has_header("Location"), response.body);
  return 0;
}
