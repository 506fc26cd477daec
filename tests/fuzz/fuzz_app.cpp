#include "fuzz_app.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "domain/london_time.hpp"
#include "fuzz_support.hpp"

namespace frontdoor::fuzz {
namespace {

constexpr const char* kPassword = "a long enough fuzzing passphrase";

std::filesystem::path& data_dir() {
  static std::filesystem::path dir;
  return dir;
}

void remove_data_dir() {
  std::error_code ec;
  if (!data_dir().empty()) std::filesystem::remove_all(data_dir(), ec);
}

std::filesystem::path make_data_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "frontdoor-fuzz-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  data_dir() = pattern;
  std::atexit(remove_data_dir);
  return pattern;
}

[[noreturn]] void setup_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz set-up failed: %s\n", what.c_str());
  std::abort();
}

std::string describe(const http::Request& request, const http::Response& response) {
  std::string text = request.method + " " + request.target + " -> " +
                     std::to_string(response.status) +
                     "\n  request body: " + request.body.substr(0, 400) +
                     "\n  response body: " + response.body.substr(0, 400);
  return text;
}

bool is_token_text(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

std::int64_t id_in(const http::Response& response, const std::string& what) {
  auto j = nlohmann::json::parse(response.body, nullptr, false);
  if (response.status != 201 || !j.is_object() || !j.contains("id") ||
      !j["id"].is_number_integer()) {
    setup_failed(what + ": " + std::to_string(response.status) + " " + response.body);
  }
  return j["id"].get<std::int64_t>();
}

}  // namespace

void check_response(const http::Request& request, const http::Response& response) {
  FD_FUZZ_CHECK(response.status >= 100 && response.status < 500, describe(request, response));
  for (const auto& [name, value] : response.headers) {
    FD_FUZZ_CHECK(is_token_text(name), describe(request, response));
    FD_FUZZ_CHECK(value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos,
                  describe(request, response));
  }
  if (auto location = response.header("Location")) {
    // Only ever to a page of our own: "/x", never "//host" or "/\host".
    FD_FUZZ_CHECK(!location->empty() && location->front() == '/', describe(request, response));
    FD_FUZZ_CHECK(location->size() == 1 || ((*location)[1] != '/' && (*location)[1] != '\\'),
                  describe(request, response));
  }
  if (response.status >= 400 && request.path.rfind("/api/", 0) == 0) {
    auto j = nlohmann::json::parse(response.body, nullptr, false);
    FD_FUZZ_CHECK(j.is_object() && j.contains("error") && j["error"].is_object() &&
                      j["error"].contains("code") && j["error"]["code"].is_string(),
                  describe(request, response));
  }
}

FuzzApp& FuzzApp::instance() {
  static FuzzApp* app = new FuzzApp();  // never destroyed: its threads may outlive main
  return *app;
}

FuzzApp::FuzzApp() : trace_(std::getenv("FRONTDOOR_FUZZ_TRACE") != nullptr) {
  dir_ = make_data_dir();
  using namespace std::chrono;
  clock_ = std::make_unique<ManualClock>(
      domain::from_london(sys_days{year{2026} / November / 30}, hours{9} + minutes{30}));
  // The configuration `frontdoor serve` would load for this data folder
  // (defaults and FRONTDOOR_* variables), with fast password hashing.
  auto loaded = app::Config::load(dir_);
  if (!loaded.ok()) setup_failed(loaded.error().message);
  app::Config config = std::move(loaded).value();
  config.council_name = "Fuzz Borough Council";
  config.passwords = app::PasswordParams{1, 8192, 1};  // fast hashing, as in the app tests
  auto opened = app::Application::open(config, *clock_);
  if (!opened.ok()) setup_failed(opened.error().message);
  app_ = std::move(opened).value();
  router_ = app_->router();

  auto& accounts = app_->accounts();
  struct AgencyRow {
    const char* code;
    const char* name;
    domain::AgencyKind kind;
  };
  for (const AgencyRow& a :
       {AgencyRow{"LA", "Fuzz Borough Children's Services", domain::AgencyKind::kCouncil},
        AgencyRow{"POL", "Fuzz Constabulary", domain::AgencyKind::kPolice},
        AgencyRow{"NHS", "Fuzz NHS Trust", domain::AgencyKind::kHealth}}) {
    app::Agency agency;
    agency.code = a.code;
    agency.name = a.name;
    agency.kind = a.kind;
    auto id = accounts.create_agency(agency);
    if (!id.ok()) setup_failed(id.error().message);
  }
  struct UserRow {
    const char* username;
    domain::Role role;
    const char* agency;
  };
  for (const UserRow& u : {UserRow{"worker", domain::Role::kMashSocialWorker, "LA"},
                           UserRow{"manager", domain::Role::kMashTeamManager, "LA"},
                           UserRow{"admin", domain::Role::kSystemAdministrator, "LA"},
                           UserRow{"police", domain::Role::kPartnerReferrer, "POL"},
                           UserRow{"nurse", domain::Role::kPartnerPractitioner, "NHS"}}) {
    app::NewUser user;
    user.username = u.username;
    user.display_name = std::string("Fuzz ") + u.username;
    user.email = std::string(u.username) + "@fuzz.test";
    user.role = u.role;
    user.agency_code = u.agency;
    user.password = kPassword;
    auto made = accounts.create_user(user);
    if (!made.ok()) setup_failed(made.error().message);
    auto token = accounts.issue_api_token(made->id);
    if (!token.ok()) setup_failed(token.error().message);
    placeholders_.emplace_back("@" + user.username + "-token@", *token);
  }
  placeholders_.emplace_back("@password@", kPassword);
  sign_in_everyone(true);
  make_records();
}

void FuzzApp::sign_in_everyone(bool at_start) {
  for (const char* user : kUsers) {
    // From an address of its own, so fuzzed sign-ins from 127.0.0.1 that fail
    // cannot throttle these. Later (after a fuzzed sign-out) a user whose
    // fuzzed failures locked the account keeps its dead session: its requests
    // are then answered as signed out, which is still checked.
    auto signed_in = app_->accounts().sign_in(user, kPassword, "192.0.2.1");
    if (!signed_in.ok() && !at_start) continue;
    if (!signed_in.ok()) setup_failed(signed_in.error().message);
    const std::string session_key = std::string("@") + user + "-session@";
    const std::string csrf_key = std::string("@") + user + "-csrf@";
    std::erase_if(placeholders_,
                  [&](const auto& p) { return p.first == session_key || p.first == csrf_key; });
    placeholders_.emplace_back(session_key, signed_in->session_token);
    placeholders_.emplace_back(csrf_key, signed_in->principal.csrf_token);
  }
}

void FuzzApp::make_records() {
  auto person = request("POST", "/api/v1/people",
                        R"({"kind":"child","given_name":"Ava","family_name":"Fuzzington",)"
                        R"("date_of_birth":"2015-03-02","sex":"2",)"
                        R"("address":{"line":"1 Test Street","postcode":"TE1 1ST"}})");
  with_token(*person, "worker");
  placeholders_.emplace_back("@person@", std::to_string(id_in(dispatch(*person), "person")));

  auto contact = request("POST", "/api/v1/contacts",
                         R"({"source_code":"5A","referrer":{"name":"PC Fuzz"},)"
                         R"("children":[{"given_name":"Ava","family_name":"Fuzzington",)"
                         R"("date_of_birth":"2015-03-02"}],"concerns":"Set-up contact"})");
  with_token(*contact, "police");
  placeholders_.emplace_back("@contact@", std::to_string(id_in(dispatch(*contact), "contact")));

  auto form = request("POST", "/referrals/new", "csrf_token=" + csrf("police"));
  with_session(*form, "police");
  form->headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  http::Response started = dispatch(*form);
  const auto location = started.header("Location");
  constexpr std::string_view kPrefix = "/referrals/";
  if (started.status != 303 || !location || location->rfind(kPrefix, 0) != 0) {
    setup_failed("referral form: " + std::to_string(started.status) + " " + started.body);
  }
  placeholders_.emplace_back("@form@", std::string(location->substr(kPrefix.size())));
}

std::string FuzzApp::substitute(std::string_view text) const {
  std::string out(text);
  if (out.find('@') == std::string::npos) return out;
  for (const auto& [name, value] : placeholders_) {
    for (std::size_t at = out.find(name); at != std::string::npos;
         at = out.find(name, at + value.size())) {
      out.replace(at, name.size(), value);
    }
  }
  return out;
}

std::optional<http::Request> FuzzApp::request(std::string method, std::string target,
                                              std::string body) {
  auto path = http::decode_request_path(target);
  if (!path) return std::nullopt;
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.path = std::move(*path);
  r.body = std::move(body);
  r.remote_address = "127.0.0.1";
  return r;
}

void FuzzApp::with_token(http::Request& request, std::string_view user) const {
  request.headers.emplace_back("Authorization",
                               "Bearer " + substitute("@" + std::string(user) + "-token@"));
}

void FuzzApp::with_session(http::Request& request, std::string_view user) const {
  request.headers.emplace_back("Cookie", std::string(app::kSessionCookie) + "=" +
                                             substitute("@" + std::string(user) + "-session@"));
  request.headers.emplace_back("Host", "frontdoor.test");
  request.headers.emplace_back("Origin", "http://frontdoor.test");
}

std::string FuzzApp::csrf(std::string_view user) const {
  return substitute("@" + std::string(user) + "-csrf@");
}

bool FuzzApp::is_public(std::string_view path) const {
  for (const auto& route : app_->gate().routes()) {
    if (route.rule.audience != app::Audience::kPublic) continue;
    const std::string_view pattern = route.pattern;
    const std::size_t brace = pattern.find('{');
    if (brace == std::string_view::npos) {
      if (path == pattern) return true;
    } else if (path.substr(0, brace) == pattern.substr(0, brace)) {
      return true;  // "/assets/{path*}"
    }
  }
  return false;
}

http::Response FuzzApp::dispatch(http::Request& request) {
  http::Response response = router_->dispatch(request);
  if (trace_) {
    std::fprintf(stderr, "fuzz: %s %s -> %d %s\n", request.method.c_str(), request.target.c_str(),
                 response.status, response.body.substr(0, 160).c_str());
  }
  check_response(request, response);
  // A fuzzed sign-out ends a session the other inputs rely on: sign in again.
  for (const auto& [name, value] : response.headers) {
    if (http::iequals(name, "Set-Cookie") &&
        value.rfind(std::string(app::kSessionCookie) + "=;", 0) == 0) {
      sign_in_everyone(false);
      break;
    }
  }
  return response;
}

}  // namespace frontdoor::fuzz
