// Reliability battery 4, "Sessions and forms" (issue #5), over HTTP against a
// real server, on SQLite and (under scripts/with-postgres.sh) PostgreSQL:
// - idle and absolute time-outs on the injected clock, exact to the second;
// - a fresh session token and CSRF token at every sign-in, whatever cookie
//   was there before (no session fixation);
// - sign-out ends the session on the server (the old cookie is signed out);
// - cookie flags: HttpOnly, SameSite, Path, host-only, Secure when
//   secure_cookies is set or in production;
// - CSRF: a state change with no token, a wrong token, another session's
//   token, or from a foreign origin is refused and changes nothing;
// - sign-in rate limiting per username and per client address, shared by
//   several processes on one store (two servers), every failure audited.
// The store-level throttle tests are in sign_in_throttle_test.cpp. Every
// test of a suite named Sessions* is listed in the battery's summary,
// $FRONTDOOR_BATTERY_SUMMARY_DIR/sessions-sqlite.txt or sessions-postgres.txt.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "app_test_fixture.hpp"
#include "core/crypto.hpp"
#include "storage/audit_log.hpp"
#include "two_servers_fixture.hpp"

namespace frontdoor::testing {
namespace {

// --- the battery's summary ------------------------------------------------

// Figures a test reports beside its result ("name: value"), written with it.
std::map<std::string, std::string>& pending_figures() {
  static std::map<std::string, std::string> figures;
  return figures;
}
void report_figure(const std::string& name, const std::string& value) {
  pending_figures()[name] = value;
}

// Rewrites the engine's summary file with this test's result, under a lock:
// CTest runs each test in a process of its own, possibly several at once.
class SummaryWriter : public ::testing::EmptyTestEventListener {
  void OnTestEnd(const ::testing::TestInfo& info) override {
    const std::string suite = info.test_suite_name();
    const char* dir = std::getenv("FRONTDOOR_BATTERY_SUMMARY_DIR");
    if (suite.rfind("Sessions", 0) != 0 || dir == nullptr || *dir == '\0') return;
    const bool postgres = storage::testing::postgres_test_url().has_value();
    const std::string path =
        std::string(dir) + "/sessions-" + (postgres ? "postgres" : "sqlite") + ".txt";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return;
    ::flock(fd, LOCK_EX);
    std::string text;
    char buffer[4096];
    for (ssize_t n = 0; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
      text.append(buffer, static_cast<std::size_t>(n));
    }
    std::map<std::string, std::string> checks;   // test -> "passed" / "FAILED"
    std::map<std::string, std::string> figures;  // name -> value
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("  passed  ", 0) == 0 || line.rfind("  FAILED  ", 0) == 0) {
        checks[line.substr(10)] = line.substr(2, 6);
      } else if (line.rfind("  figure  ", 0) == 0) {
        const auto colon = line.find(": ", 10);
        if (colon != std::string::npos)
          figures[line.substr(10, colon - 10)] = line.substr(colon + 2);
      }
    }
    checks[suite + "." + info.name()] = info.result()->Passed() ? "passed" : "FAILED";
    for (const auto& [name, value] : pending_figures()) figures[name] = value;
    pending_figures().clear();
    int passed = 0;
    for (const auto& [test, result] : checks) passed += result == "passed" ? 1 : 0;
    std::ostringstream out;
    out << "sessions battery (" << (postgres ? "PostgreSQL" : "SQLite") << "): " << passed
        << " checks passed, " << checks.size() - static_cast<std::size_t>(passed) << " failed\n";
    for (const auto& [test, result] : checks) out << "  " << result << "  " << test << "\n";
    for (const auto& [name, value] : figures) out << "  figure  " << name << ": " << value << "\n";
    const std::string written = out.str();
    if (::ftruncate(fd, 0) == 0 && ::lseek(fd, 0, SEEK_SET) == 0) {
      (void)!::write(fd, written.data(), written.size());
    }
    ::close(fd);  // releases the lock
  }
};

[[maybe_unused]] const bool kSummaryInstalled = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new SummaryWriter);
  return true;
}();

// --- helpers ----------------------------------------------------------------

using Fields = std::vector<std::pair<std::string, std::string>>;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The Set-Cookie header of a reply for one cookie ("" when there is none).
std::string set_cookie(const HttpReply& reply, const std::string& name) {
  for (const auto& s : reply.all("set-cookie")) {
    if (s.rfind(name + "=", 0) == 0) return s;
  }
  return "";
}

// The attributes of a Set-Cookie header ("Path=/", "HttpOnly", ...).
std::set<std::string> attributes(const std::string& header) {
  std::set<std::string> out;
  for (auto at = header.find("; "); at != std::string::npos;) {
    const auto next = header.find("; ", at + 2);
    out.insert(header.substr(at + 2, next == std::string::npos ? next : next - at - 2));
    at = next;
  }
  return out;
}

bool has_attribute_named(const std::string& header, const std::string& name) {
  for (const auto& a : attributes(header)) {
    if (a == name || a.rfind(name + "=", 0) == 0) return true;
  }
  return false;
}

// A contact as the worker would send it through the API.
const nlohmann::json kContact = {
    {"source_code", "9"},
    {"referrer", {{"name", "Caller"}, {"phone", "01632 960333"}}},
    {"children", {{{"given_name", "Ruby"}, {"family_name", "Sessiontest"}}}},
    {"concerns", "Concern raised by a caller."}};

// Fetches the sign-in form (for its token and cookie) and posts it.
HttpReply sign_in(HttpClient& c, const std::string& username, const std::string& password) {
  auto form = c.get("/sign-in");
  EXPECT_EQ(form.status, 200);
  return c.post_form("/sign-in",
                     {{"csrf_token", HttpClient::csrf_token_in(form.body)},
                      {"username", username},
                      {"password", password}},
                     {{"Origin", c.origin()}});
}

// The first column of the first row of a COUNT(*) query.
std::int64_t count(app::Application& app, const std::string& sql,
                   const storage::Params& params = {}) {
  std::int64_t n = -1;
  EXPECT_TRUE(app.db()
                  .read([&](storage::Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto row, tx.query_one(sql, params));
                    n = row->integer(0);
                    return ok_status();
                  })
                  .ok());
  return n;
}

// How many audit entries of this action there are about the subject.
std::int64_t audited(app::Application& app, const std::string& action, const std::string& subject) {
  std::int64_t n = 0;
  EXPECT_TRUE(app.db()
                  .read([&](storage::Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto entries, storage::AuditLog::for_subject(tx, subject));
                    for (const auto& e : entries) n += e.action == action ? 1 : 0;
                    return ok_status();
                  })
                  .ok());
  return n;
}

class SessionsTest : public AppFixture {
 protected:
  // Every Set-Cookie header of one visit: the sign-in form, signing in and
  // signing out.
  std::vector<std::string> cookies_of_a_visit() {
    HttpClient c(port_);
    std::vector<std::string> out;
    auto form = c.get("/sign-in");
    auto in = c.post_form("/sign-in",
                          {{"csrf_token", HttpClient::csrf_token_in(form.body)},
                           {"username", "worker"},
                           {"password", kPassword}},
                          {{"Origin", c.origin()}});
    EXPECT_EQ(in.status, 303);
    const auto csrf = HttpClient::csrf_token_in(c.get("/").body);
    auto out_reply = c.post_form("/sign-out", {{"csrf_token", csrf}}, {{"Origin", c.origin()}});
    EXPECT_EQ(out_reply.status, 303);
    for (const HttpReply* r : {&form, &in, &out_reply}) {
      for (const auto& s : r->all("set-cookie")) out.push_back(s);
    }
    EXPECT_EQ(out.size(), 4U);  // fd_signin set, fd_session set, fd_signin and fd_session dropped
    return out;
  }
};

// --- token rotation at sign-in ------------------------------------------------

TEST_F(SessionsTest, SignInReplacesAPlantedCookieWithFreshTokensStoredOnlyAsHashes) {
  HttpClient c(port_);
  auto form = c.get("/sign-in");
  const std::string form_token = HttpClient::csrf_token_in(form.body);
  ASSERT_FALSE(form_token.empty());
  EXPECT_EQ(c.cookie("fd_signin").value_or(""), form_token);
  c.set_cookie("fd_session", "planted-by-an-attacker");
  EXPECT_EQ(c.get("/queue").status, 303);  // a planted value is no session

  ASSERT_EQ(sign_in(c, "worker", kPassword).status, 303);
  const auto token = c.cookie("fd_session");
  ASSERT_TRUE(token.has_value());
  EXPECT_NE(*token, "planted-by-an-attacker");
  EXPECT_GE(token->size(), 43U);                    // 32 random bytes
  EXPECT_FALSE(c.cookie("fd_signin").has_value());  // the pre-session token is dropped
  const std::string csrf = HttpClient::csrf_token_in(c.get("/").body);
  ASSERT_FALSE(csrf.empty());
  EXPECT_NE(csrf, form_token);
  EXPECT_NE(csrf, *token);
  // Only the token's SHA-256 is stored.
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM sessions WHERE id_hash = ?", {sha256_hex(*token)}),
            1);
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM sessions WHERE id_hash = ? OR csrf_token = ?",
                  {*token, *token}),
            0);
  // Signing in again (another browser) gives other tokens.
  HttpClient d(port_);
  ASSERT_EQ(sign_in(d, "worker", kPassword).status, 303);
  EXPECT_NE(d.cookie("fd_session").value_or(""), *token);
  EXPECT_NE(HttpClient::csrf_token_in(d.get("/").body), csrf);
}

TEST_F(SessionsTest, AnotherUsersSessionPlantedBeforeSignInGainsNothing) {
  auto attacker = browser("police");
  const auto planted = attacker.cookie("fd_session");
  ASSERT_TRUE(planted.has_value());
  HttpClient victim(port_);
  victim.set_cookie("fd_session", *planted);
  ASSERT_EQ(sign_in(victim, "worker", kPassword).status, 303);
  EXPECT_NE(victim.cookie("fd_session").value_or(""), *planted);
  EXPECT_TRUE(contains(victim.get("/").body, "Sam Worker"));
  // The attacker's cookie is still only the attacker's session.
  const auto own = attacker.get("/");
  EXPECT_TRUE(contains(own.body, "PC Jones"));
  EXPECT_FALSE(contains(own.body, "Sam Worker"));
  EXPECT_EQ(attacker.get("/queue").status, 403);
}

// --- sign-out -------------------------------------------------------------------

// (Moved from api_test.cpp.)
TEST_F(SessionsTest, SessionCookieIsHttpOnlyAndSignOutEndsItOnTheServer) {
  HttpClient c(port_);
  auto form = c.get("/sign-in");
  auto signed_in = c.post_form("/sign-in",
                               {{"csrf_token", HttpClient::csrf_token_in(form.body)},
                                {"username", "worker"},
                                {"password", kPassword}},
                               {{"Origin", c.origin()}});
  ASSERT_EQ(signed_in.status, 303);
  std::string session_cookie;
  for (const auto& s : signed_in.all("set-cookie")) {
    if (s.rfind("fd_session=", 0) == 0) session_cookie = s;
  }
  EXPECT_NE(session_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(session_cookie.find("SameSite=Lax"), std::string::npos);
  const auto token = c.cookie("fd_session");
  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(c.get("/queue").status, 200);

  const auto csrf = HttpClient::csrf_token_in(c.get("/").body);
  auto out = c.post_form("/sign-out", {{"csrf_token", csrf}}, {{"Origin", c.origin()}});
  EXPECT_EQ(out.status, 303);
  // Replaying the old cookie no longer works.
  HttpClient replay(port_);
  replay.set_cookie("fd_session", *token);
  auto after = replay.get("/queue");
  EXPECT_EQ(after.status, 303);
  EXPECT_EQ(after.header("location").rfind("/sign-in", 0), 0U);
}

TEST_F(SessionsTest, SignOutNeedsTheSessionsTokenAndIsFinal) {
  std::string csrf;
  auto c = browser("worker", &csrf);
  const auto token = c.cookie("fd_session");
  ASSERT_TRUE(token.has_value());
  // A forged sign-out (no token, or from another site) changes nothing.
  EXPECT_EQ(c.post_form("/sign-out", {}, {{"Origin", c.origin()}}).status, 403);
  EXPECT_EQ(
      c.post_form("/sign-out", {{"csrf_token", csrf}}, {{"Origin", "https://evil.example"}}).status,
      403);
  EXPECT_EQ(c.get("/queue").status, 200);

  auto out = c.post_form("/sign-out", {{"csrf_token", csrf}}, {{"Origin", c.origin()}});
  EXPECT_EQ(out.status, 303);
  const std::string cleared = set_cookie(out, "fd_session");
  EXPECT_EQ(cleared.rfind("fd_session=;", 0), 0U) << cleared;
  EXPECT_EQ(attributes(cleared).count("Max-Age=0"), 1U) << cleared;
  EXPECT_EQ(attributes(cleared).count("Path=/"), 1U) << cleared;
  // Ended on the server: neither the cookie nor its CSRF token works again.
  HttpClient replay(port_);
  replay.set_cookie("fd_session", *token);
  EXPECT_EQ(replay.get("/api/v1/queue").status, 401);
  EXPECT_EQ(replay
                .post_json("/api/v1/contacts", kContact,
                           {{"X-CSRF-Token", csrf}, {"Origin", replay.origin()}})
                .status,
            401);
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM contacts"), 0);
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM sessions WHERE id_hash = ? AND ended_at IS NOT NULL",
                  {sha256_hex(*token)}),
            1);
  EXPECT_EQ(audited(*app_, "sign_out", "user/worker"), 1);
}

TEST_F(SessionsTest, DeactivatingAUserEndsTheirSessionAtOnce) {
  auto c = browser("worker");
  EXPECT_EQ(c.get("/queue").status, 200);
  ASSERT_TRUE(app_->db()
                  .write([](storage::Transaction& tx) {
                    return tx.exec("UPDATE users SET active = 0 WHERE username = 'worker'");
                  })
                  .ok());
  EXPECT_EQ(c.get("/queue").status, 303);
  HttpClient again(port_);
  EXPECT_EQ(sign_in(again, "worker", kPassword).status, 401);
  EXPECT_FALSE(again.cookie("fd_session").has_value());
}

// --- cookie flags -----------------------------------------------------------------

TEST_F(SessionsTest, CookiesAreHttpOnlySameSiteSiteWideAndHostOnly) {
  HttpClient c(port_);
  auto form = c.get("/sign-in");
  const std::string pre = set_cookie(form, "fd_signin");
  ASSERT_FALSE(pre.empty());
  for (const char* a : {"Path=/", "HttpOnly", "SameSite=Strict"}) {
    EXPECT_EQ(attributes(pre).count(a), 1U) << a << " in " << pre;
  }
  auto in = c.post_form("/sign-in",
                        {{"csrf_token", HttpClient::csrf_token_in(form.body)},
                         {"username", "worker"},
                         {"password", kPassword}},
                        {{"Origin", c.origin()}});
  ASSERT_EQ(in.status, 303);
  const std::string session = set_cookie(in, "fd_session");
  for (const char* a : {"Path=/", "HttpOnly", "SameSite=Lax"}) {
    EXPECT_EQ(attributes(session).count(a), 1U) << a << " in " << session;
  }
  // The session cookie ends with the browser (no Max-Age or Expires).
  EXPECT_FALSE(has_attribute_named(session, "Max-Age")) << session;
  EXPECT_FALSE(has_attribute_named(session, "Expires")) << session;
  const std::string dropped = set_cookie(in, "fd_signin");
  EXPECT_EQ(attributes(dropped).count("Max-Age=0"), 1U) << dropped;
  EXPECT_EQ(attributes(dropped).count("Path=/"), 1U) << dropped;
  // Plain HTTP here (secure_cookies off): no Secure flag; never a Domain
  // (host-only cookies are not sent to other hosts of the council's domain).
  for (const auto& s : cookies_of_a_visit()) {
    EXPECT_FALSE(has_attribute_named(s, "Secure")) << s;
    EXPECT_FALSE(has_attribute_named(s, "Domain")) << s;
    EXPECT_TRUE(has_attribute_named(s, "HttpOnly")) << s;
  }
}

class SessionsSecureCookiesTest : public SessionsTest {
  void configure(app::Config& config) override { config.secure_cookies = true; }
};

TEST_F(SessionsSecureCookiesTest, EveryCookieIsSecureWhenServedOverHttps) {
  for (const auto& s : cookies_of_a_visit()) {
    EXPECT_TRUE(has_attribute_named(s, "Secure")) << s;
    EXPECT_TRUE(has_attribute_named(s, "HttpOnly")) << s;
  }
}

// Production configuration (frontdoor.json says "production": true) turns
// secure cookies on, and production without them does not start.
class SessionsProductionTest : public SessionsTest {
  void configure(app::Config& config) override {
    std::ofstream(dir_ / "frontdoor.json") << R"({"production": true})";
    auto loaded = app::Config::load(dir_);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    config.production = loaded->production;
    config.secure_cookies = loaded->secure_cookies;
  }
};

TEST_F(SessionsProductionTest, ProductionSendsOnlySecureCookies) {
  ASSERT_TRUE(app_->config().production);
  EXPECT_TRUE(app_->config().secure_cookies);
  for (const auto& s : cookies_of_a_visit()) EXPECT_TRUE(has_attribute_named(s, "Secure")) << s;
  app::Config insecure = app_->config();
  insecure.secure_cookies = false;
  auto refused = app::Application::open(insecure, *clock_);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(contains(refused.error().message, "secure cookies")) << refused.error().message;
}

// --- CSRF -----------------------------------------------------------------------------

// (Moved from api_test.cpp.)
TEST_F(SessionsTest, SessionRequestsNeedTheCsrfTokenAndOurOrigin) {
  std::string csrf;
  auto c = browser("worker", &csrf);
  ASSERT_FALSE(csrf.empty());
  const auto before = count(*app_, "SELECT COUNT(*) FROM contacts");
  auto without = c.post_json("/api/v1/contacts", kContact);
  EXPECT_EQ(without.status, 403);
  auto foreign = c.post_json("/api/v1/contacts", kContact,
                             {{"X-CSRF-Token", csrf}, {"Origin", "https://evil.example"}});
  EXPECT_EQ(foreign.status, 403);
  auto wrong = c.post_json("/api/v1/contacts", kContact, {{"X-CSRF-Token", csrf + "x"}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM contacts"), before);
  auto good =
      c.post_json("/api/v1/contacts", kContact, {{"X-CSRF-Token", csrf}, {"Origin", c.origin()}});
  EXPECT_EQ(good.status, 201) << good.body;
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM contacts"), before + 1);
}

TEST_F(SessionsTest, FormPostsNeedThisSessionsTokenAndOurOrigin) {
  std::string csrf;
  std::string other_csrf;
  auto police = browser("police", &csrf);
  auto other = browser("police2", &other_csrf);
  ASSERT_NE(csrf, other_csrf);
  const std::string origin = police.origin();
  const std::map<std::string, std::pair<Fields, std::map<std::string, std::string>>> forged = {
      {"no token", {{}, {{"Origin", origin}}}},
      {"a wrong token", {{{"csrf_token", csrf + "x"}}, {{"Origin", origin}}}},
      {"another session's token", {{{"csrf_token", other_csrf}}, {{"Origin", origin}}}},
      {"another site", {{{"csrf_token", csrf}}, {{"Origin", "https://evil.example"}}}},
      {"an opaque origin", {{{"csrf_token", csrf}}, {{"Origin", "null"}}}},
      {"a look-alike origin", {{{"csrf_token", csrf}}, {{"Origin", origin + ".evil.example"}}}},
  };
  for (const auto& [what, request] : forged) {
    auto r = police.post_form("/referrals/new", request.first, request.second);
    EXPECT_EQ(r.status, 403) << what;
    EXPECT_FALSE(contains(r.body, "Exception")) << what;
  }
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM referral_forms"), 0);
  auto started = police.post_form("/referrals/new", {{"csrf_token", csrf}}, {{"Origin", origin}});
  EXPECT_EQ(started.status, 303) << started.body;
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM referral_forms"), 1);
}

TEST_F(SessionsTest, SignInFormNeedsItsOwnTokenAndOurOrigin) {
  HttpClient c(port_);
  const std::string token = HttpClient::csrf_token_in(c.get("/sign-in").body);
  const Fields right = {{"csrf_token", token}, {"username", "worker"}, {"password", kPassword}};
  const Fields no_token = {{"username", "worker"}, {"password", kPassword}};
  const Fields wrong = {
      {"csrf_token", token + "x"}, {"username", "worker"}, {"password", kPassword}};
  EXPECT_EQ(c.post_form("/sign-in", no_token, {{"Origin", c.origin()}}).status, 403);
  EXPECT_EQ(c.post_form("/sign-in", wrong, {{"Origin", c.origin()}}).status, 403);
  EXPECT_EQ(c.post_form("/sign-in", right, {{"Origin", "https://evil.example"}}).status, 403);
  // Posted from elsewhere, the form's cookie is not sent (SameSite=Strict).
  HttpClient elsewhere(port_);
  EXPECT_EQ(elsewhere.post_form("/sign-in", right, {{"Origin", elsewhere.origin()}}).status, 403);
  EXPECT_FALSE(c.cookie("fd_session").has_value());
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM sessions"), 0);
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM sign_in_throttle"), 0);  // no password was tried
  EXPECT_EQ(c.post_form("/sign-in", right, {{"Origin", c.origin()}}).status, 303);
}

// --- sign-in rate limiting -------------------------------------------------------------

// (Moved from api_test.cpp.)
TEST_F(SessionsTest, WrongPasswordIsRefusedWithTheSameMessageAsAnUnknownUser) {
  HttpClient c(port_);
  auto attempt = [&](const std::string& user, const std::string& password) {
    auto form = c.get("/sign-in");
    return c.post_form("/sign-in",
                       {{"csrf_token", HttpClient::csrf_token_in(form.body)},
                        {"username", user},
                        {"password", password}},
                       {{"Origin", c.origin()}});
  };
  auto wrong = attempt("worker", "not the password at all");
  auto unknown = attempt("nobody-here", "not the password at all");
  EXPECT_EQ(wrong.status, unknown.status);
  EXPECT_NE(wrong.status, 303);
  EXPECT_FALSE(c.cookie("fd_session").has_value());
}

TEST_F(SessionsTest, FiveFailuresLockTheAccountAndTheAddressForFiveMinutes) {
  HttpClient c(port_);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(sign_in(c, "worker", "not the password at all").status, 401) << i;
  }
  auto locked = sign_in(c, "worker", kPassword);
  EXPECT_EQ(locked.status, 429);
  EXPECT_TRUE(contains(locked.body, "Try again in 5 minutes")) << locked.body;
  EXPECT_FALSE(c.cookie("fd_session").has_value());
  // The address is locked too: another account from it waits as well.
  EXPECT_EQ(sign_in(c, "manager", kPassword).status, 429);
  // Each password tried was audited (refusals while locked try none).
  EXPECT_EQ(audited(*app_, "sign_in_failed", "user/worker"), 5);
  clock_->advance(std::chrono::minutes{5});
  EXPECT_EQ(sign_in(c, "worker", kPassword).status, 303);
  EXPECT_TRUE(c.cookie("fd_session").has_value());
}

TEST_F(SessionsTest, FailuresOnManyUsernamesLockTheirAddress) {
  HttpClient c(port_);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(sign_in(c, "nobody-" + std::to_string(i), "not the password at all").status, 401);
  }
  EXPECT_EQ(sign_in(c, "worker", kPassword).status, 429);
}

TEST_F(SessionsTest, FailuresFromManyAddressesLockTheUsername) {
  for (int i = 1; i <= 5; ++i) {
    auto r = app_->accounts().sign_in("worker", "not the password at all",
                                      "192.0.2." + std::to_string(i));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  }
  auto locked = app_->accounts().sign_in("worker", kPassword, "198.51.100.7");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
  EXPECT_TRUE(app_->accounts().sign_in("manager", kPassword, "192.0.2.1").ok());
  HttpClient c(port_);
  EXPECT_EQ(sign_in(c, "worker", kPassword).status, 429);
}

// What is typed as a username may be megabytes long (the body limit allows
// it) or not text at all; each is refused, counted and audited like any other
// failure (under "sha256:" and its digest), on both engines. Over HTTP a
// form value that is not UTF-8 never arrives (the form parser drops it), so
// those go to Accounts directly.
TEST_F(SessionsTest, AnOverlongOrGarbledUsernameIsRefusedCountedAndAudited) {
  HttpClient c(port_);
  for (const auto& name :
       {random_token(3000), std::string("nul\0in", 6), std::string("bell\x07")}) {
    for (int i = 0; i < 5; ++i) EXPECT_EQ(sign_in(c, name, "not the password").status, 401) << i;
    EXPECT_EQ(sign_in(c, name, "not the password").status, 429);
    EXPECT_EQ(audited(*app_, "sign_in_failed", "user/sha256:" + sha256_hex(name)), 5);
    clock_->advance(std::chrono::hours{4});  // past the address's lock
  }
  int address = 0;
  for (const std::string name : {"caf\xc3", "\xff\xfe\xfd", "\xed\xa0\x80 surrogate"}) {
    const std::string from = "192.0.2." + std::to_string(++address);
    for (int i = 0; i < 5; ++i) {
      auto refused = app_->accounts().sign_in(name, "not the password", from);
      ASSERT_FALSE(refused.ok());
      EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated) << refused.error().message;
    }
    auto locked = app_->accounts().sign_in(name, "not the password", from);
    ASSERT_FALSE(locked.ok());
    EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
    EXPECT_EQ(audited(*app_, "sign_in_failed", "user/sha256:" + sha256_hex(name)), 5);
  }
  // A name that could be a username is audited as typed.
  EXPECT_EQ(sign_in(c, "caf\xc3\xa9 \xe2\x82\xac", "not the password").status, 401);
  EXPECT_EQ(audited(*app_, "sign_in_failed", "user/caf\xc3\xa9 \xe2\x82\xac"), 1);
}

// --- time-outs on the injected clock ---------------------------------------------------

class SessionsTimeoutTest : public SessionsTest {};

// (Moved from api_test.cpp.)
TEST_F(SessionsTimeoutTest, IdleSessionEndsAfterThirtyMinutes) {
  auto c = browser("worker");
  EXPECT_EQ(c.get("/queue").status, 200);
  clock_->advance(std::chrono::minutes{29});
  EXPECT_EQ(c.get("/queue").status, 200);  // activity keeps it alive
  clock_->advance(std::chrono::minutes{29});
  EXPECT_EQ(c.get("/queue").status, 200);
  clock_->advance(std::chrono::minutes{31});
  auto expired = c.get("/queue");
  EXPECT_EQ(expired.status, 303);
  EXPECT_EQ(expired.header("location").rfind("/sign-in", 0), 0U);
}

// (Moved from api_test.cpp.)
TEST_F(SessionsTimeoutTest, ActiveSessionEndsAtTheAbsoluteLimit) {
  auto c = browser("worker");
  for (int minutes = 15; minutes <= 615; minutes += 15) {  // steady use, never idle
    clock_->advance(std::chrono::minutes{15});
    if (c.get("/api/v1/queue").status != 200) {
      EXPECT_GE(minutes, 600) << "the session ended early, after " << minutes << " minutes";
      return;
    }
  }
  ADD_FAILURE() << "a session lasted longer than the 10-hour absolute limit";
}

TEST_F(SessionsTimeoutTest, IdleLimitIsExactToTheSecondAndAnEndedSessionStaysEnded) {
  auto c = browser("worker");
  clock_->advance(std::chrono::minutes{30});
  EXPECT_EQ(c.get("/queue").status, 200);  // exactly 30 minutes idle: still on
  clock_->advance(std::chrono::minutes{30} + std::chrono::seconds{1});
  auto ended = c.get("/queue");
  EXPECT_EQ(ended.status, 303);
  EXPECT_EQ(ended.header("location").rfind("/sign-in", 0), 0U);
  EXPECT_EQ(c.get("/api/v1/queue").status, 401);
  clock_->advance(std::chrono::seconds{1});
  EXPECT_EQ(c.get("/queue").status, 303);
}

TEST_F(SessionsTimeoutTest, AbsoluteLimitIsExactToTheSecond) {
  auto c = browser("worker");
  for (int i = 1; i <= 30; ++i) {  // 20-minute steps up to exactly 10 hours
    clock_->advance(std::chrono::minutes{20});
    ASSERT_EQ(c.get("/api/v1/queue").status, 200) << "after " << i * 20 << " minutes";
  }
  clock_->advance(std::chrono::seconds{1});
  EXPECT_EQ(c.get("/api/v1/queue").status, 401);
  EXPECT_EQ(c.get("/queue").status, 303);
}

class SessionsShortPolicyTest : public SessionsTest {
  void configure(app::Config& config) override {
    config.sessions.idle = std::chrono::minutes{5};
    config.sessions.absolute = std::chrono::minutes{12};
  }
};

TEST_F(SessionsShortPolicyTest, ConfiguredTimeOutsAreTheOnesEnforced) {
  auto idle = browser("worker");
  clock_->advance(std::chrono::minutes{5} + std::chrono::seconds{1});
  EXPECT_EQ(idle.get("/api/v1/queue").status, 401);
  auto busy = browser("manager");
  for (int i = 0; i < 3; ++i) {
    clock_->advance(std::chrono::minutes{4});
    EXPECT_EQ(busy.get("/api/v1/queue").status, 200) << i;
  }
  clock_->advance(std::chrono::seconds{1});
  EXPECT_EQ(busy.get("/api/v1/queue").status, 401);
}

// --- two processes on one store ------------------------------------------------------

class SessionsTwoServersTest : public TwoServersTest {};

// Failures through either server count towards one lock, per username and
// per address: five in all, not five on each.
TEST_F(SessionsTwoServersTest, SignInFailuresOnEitherServerCountTowardsOneLock) {
  HttpClient a(port_);
  HttpClient b(second_port_);
  int accepted_before_lock = 0;
  for (int i = 0; i < 10; ++i) {
    HttpClient& c = i % 2 == 0 ? a : b;
    const int status = sign_in(c, "worker", "not the password at all").status;
    if (status == 429) break;
    EXPECT_EQ(status, 401) << i;
    ++accepted_before_lock;
  }
  EXPECT_EQ(accepted_before_lock, 5);
  report_figure("failed sign-ins tried before the lock, alternating two servers",
                std::to_string(accepted_before_lock) + " (policy: 5 in 15 minutes; 10 when " +
                    "each process counted its own)");
  EXPECT_EQ(sign_in(a, "worker", kPassword).status, 429);
  EXPECT_EQ(sign_in(b, "worker", kPassword).status, 429);
  clock_->advance(std::chrono::minutes{5});
  EXPECT_EQ(sign_in(b, "worker", kPassword).status, 303);

  // The username alone, from addresses that differ at every attempt.
  for (int i = 1; i <= 5; ++i) {
    app::Application& app = i % 2 == 0 ? *app_ : *second_;
    EXPECT_FALSE(
        app.accounts().sign_in("manager", "not the password", "192.0.2." + std::to_string(i)).ok());
  }
  for (app::Application* app : {app_.get(), second_.get()}) {
    auto locked = app->accounts().sign_in("manager", kPassword, "198.51.100.1");
    ASSERT_FALSE(locked.ok());
    EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
  }
  EXPECT_EQ(audited(*app_, "sign_in_failed", "user/worker"), 5);
  EXPECT_EQ(audited(*app_, "sign_in_failed", "user/manager"), 5);
}

TEST_F(SessionsTwoServersTest, ASessionLivesAndEndsOnBothServers) {
  std::string csrf;
  auto a = browser("worker", &csrf);
  HttpClient b(second_port_);
  b.set_cookie("fd_session", *a.cookie("fd_session"));
  // Activity on either server keeps it alive on both.
  clock_->advance(std::chrono::minutes{20});
  EXPECT_EQ(b.get("/queue").status, 200);
  clock_->advance(std::chrono::minutes{20});
  EXPECT_EQ(a.get("/queue").status, 200);
  // Signed out through one, it is over on the other.
  EXPECT_EQ(b.post_form("/sign-out", {{"csrf_token", csrf}}, {{"Origin", b.origin()}}).status, 303);
  EXPECT_EQ(a.get("/queue").status, 303);
  EXPECT_EQ(a.get("/api/v1/queue").status, 401);
}

}  // namespace
}  // namespace frontdoor::testing
