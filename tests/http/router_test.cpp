#include "http/router.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "http/errors.hpp"
#include "http/security_headers.hpp"
#include "http/static_files.hpp"

namespace frontdoor::http {
namespace {

Request make(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.target = path;
  r.path = std::move(path);
  return r;
}

Handler reply(std::string text) {
  return [text](Request&) -> Result<Response> { return Response::text(text); };
}

TEST(Router, MatchesLiteralsAndParams) {
  Router router;
  router.get("/", reply("home"));
  router.get("/contacts", reply("list"));
  router.get("/contacts/{id}", [](Request& r) -> Result<Response> {
    return Response::text("contact " + r.param("id"));
  });
  router.get("/contacts/{id}/notes/{note}", [](Request& r) -> Result<Response> {
    return Response::text(r.path_params.at("id") + ":" + r.path_params.at("note"));
  });
  Request a = make("GET", "/");
  EXPECT_EQ(router.dispatch(a).body, "home");
  Request b = make("GET", "/contacts");
  EXPECT_EQ(router.dispatch(b).body, "list");
  Request c = make("GET", "/contacts/C-42");
  EXPECT_EQ(router.dispatch(c).body, "contact C-42");
  Request d = make("GET", "/contacts/7/notes/9");
  EXPECT_EQ(router.dispatch(d).body, "7:9");
}

TEST(Router, EmptySegmentsAndTrailingSlashDoNotMatchParams) {
  Router router;
  router.get("/contacts/{id}", reply("one"));
  Request a = make("GET", "/contacts/");
  EXPECT_EQ(router.dispatch(a).status, 404);
  Request b = make("GET", "/contacts/7/");
  EXPECT_EQ(router.dispatch(b).status, 404);
  Request c = make("GET", "/contacts");
  EXPECT_EQ(router.dispatch(c).status, 404);
}

TEST(Router, LiteralBeatsParamWhateverTheOrder) {
  Router router;
  router.get("/contacts/{id}", reply("param"));
  router.get("/contacts/new", reply("literal"));
  router.get("/files/{rest*}", reply("rest"));
  router.get("/files/{name}", reply("one"));
  Request a = make("GET", "/contacts/new");
  EXPECT_EQ(router.dispatch(a).body, "literal");
  Request b = make("GET", "/contacts/other");
  EXPECT_EQ(router.dispatch(b).body, "param");
  Request c = make("GET", "/files/a");
  EXPECT_EQ(router.dispatch(c).body, "one");
  Request d = make("GET", "/files/a/b/c");
  EXPECT_EQ(router.dispatch(d).body, "rest");
}

TEST(Router, RestParameterTakesTheRemainder) {
  Router router;
  router.get("/assets/{file*}", [](Request& r) -> Result<Response> {
    std::string text = "[";  // (not "[" + x + "]": GCC 12 -Wrestrict false positive)
    text += r.param("file");
    text += ']';
    return Response::text(text);
  });
  Request a = make("GET", "/assets/css/app.css");
  EXPECT_EQ(router.dispatch(a).body, "[css/app.css]");
  Request b = make("GET", "/assets/");
  EXPECT_EQ(router.dispatch(b).body, "[]");
}

TEST(Router, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  Router router;
  router.get("/contacts/{id}", reply("get"));
  router.post("/contacts/{id}", reply("post"));
  router.add("DELETE", "/things", reply("del"));
  Request missing = make("GET", "/nowhere");
  EXPECT_EQ(router.dispatch(missing).status, 404);

  Request put = make("PUT", "/contacts/3");
  Response r = router.dispatch(put);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "GET, HEAD, POST");

  Request get_things = make("GET", "/things");
  Response r2 = router.dispatch(get_things);
  EXPECT_EQ(r2.status, 405);
  EXPECT_EQ(r2.header("Allow"), "DELETE");

  Request post = make("POST", "/contacts/3");
  EXPECT_EQ(router.dispatch(post).body, "post");
}

TEST(Router, HeadUsesTheGetRoute) {
  Router router;
  router.get("/healthz", reply("ok"));
  Request head = make("HEAD", "/healthz");
  Response r = router.dispatch(head);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok");  // the Server drops the body on the wire
}

TEST(Router, RejectsBadPatternsAndDuplicates) {
  Router router;
  router.get("/a/{id}", reply("x"));
  EXPECT_THROW(router.get("/a/{id}", reply("y")), std::invalid_argument);
  EXPECT_THROW(router.get("/a/{other}", reply("y")), std::invalid_argument);
  EXPECT_THROW(router.get("no-slash", reply("y")), std::invalid_argument);
  EXPECT_THROW(router.get("/a/{}", reply("y")), std::invalid_argument);
  EXPECT_THROW(router.get("/a/{rest*}/b", reply("y")), std::invalid_argument);
  EXPECT_THROW(router.get("/a/x{y}", reply("y")), std::invalid_argument);
  EXPECT_NO_THROW(router.post("/a/{other}", reply("y")));
}

TEST(Router, RoutesAreEnumerableInOrder) {
  Router router;
  router.get("/", reply("x"), "home");
  router.post("/contacts", reply("x"), "create_contact");
  ASSERT_EQ(router.routes().size(), 2u);
  EXPECT_EQ(router.routes()[1].method, "POST");
  EXPECT_EQ(router.routes()[1].pattern, "/contacts");
  EXPECT_EQ(router.routes()[1].name, "create_contact");
}

TEST(Router, MiddlewareRunsInOrderAroundRoutesAnd404) {
  Router router;
  std::vector<std::string> trace;
  router.use([&](Request& r, const Handler& next) -> Result<Response> {
    trace.push_back("outer-in");
    r.context = std::string("principal");
    auto result = next(r);
    trace.push_back("outer-out");
    if (result.ok()) result->set_header("X-Outer", "1");
    return result;
  });
  router.use([&](Request& r, const Handler& next) -> Result<Response> {
    trace.push_back("inner:" + std::any_cast<std::string>(r.context));
    return next(r);
  });
  router.get("/x", [&](Request&) -> Result<Response> {
    trace.push_back("handler");
    return Response::text("x");
  });
  Request a = make("GET", "/x");
  Response r = router.dispatch(a);
  EXPECT_EQ(r.header("X-Outer"), "1");
  EXPECT_EQ(trace,
            (std::vector<std::string>{"outer-in", "inner:principal", "handler", "outer-out"}));

  trace.clear();
  Request b = make("GET", "/missing");
  EXPECT_EQ(router.dispatch(b).status, 404);
  EXPECT_EQ(trace, (std::vector<std::string>{"outer-in", "inner:principal", "outer-out"}));
}

TEST(Router, MiddlewareCanShortCircuit) {
  Router router;
  router.use([](Request& r, const Handler& next) -> Result<Response> {
    if (!r.cookie("session")) return Error::unauthenticated();
    return next(r);
  });
  bool ran = false;
  router.get("/secret", [&](Request&) -> Result<Response> {
    ran = true;
    return Response::text("s");
  });
  Request a = make("GET", "/secret");
  EXPECT_EQ(router.dispatch(a).status, 401);
  EXPECT_FALSE(ran);
  Request b = make("GET", "/secret");
  b.headers = {{"Cookie", "session=1"}};
  EXPECT_EQ(router.dispatch(b).status, 200);
  EXPECT_TRUE(ran);
}

TEST(Router, ErrorsBecomeResponsesAndExceptionsDoNotLeak) {
  Router router;
  router.get("/invalid", [](Request&) -> Result<Response> {
    return Error::validation("Check the form", {{"dob", "Enter a real date"}});
  });
  router.get("/throws", [](Request&) -> Result<Response> {
    throw std::runtime_error("secret database path /var/db");
  });
  router.get("/internal", [](Request&) -> Result<Response> {
    return Error::internal("SQLITE_CORRUPT in table people");
  });
  Request a = make("GET", "/invalid");
  Response ra = router.dispatch(a);
  EXPECT_EQ(ra.status, 400);
  EXPECT_NE(ra.body.find("Check the form"), std::string::npos);

  Request b = make("GET", "/throws");
  b.id = 77;
  testing::internal::CaptureStderr();
  Response rb = router.dispatch(b);
  std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(rb.status, 500);
  EXPECT_EQ(rb.body.find("secret"), std::string::npos);
  EXPECT_NE(rb.body.find(kGenericErrorMessage), std::string::npos);
  EXPECT_NE(log.find("77"), std::string::npos);
  EXPECT_NE(log.find("secret database path"), std::string::npos);
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1);

  Request c = make("GET", "/internal");
  testing::internal::CaptureStderr();
  Response rc = router.dispatch(c);
  log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(rc.status, 500);
  EXPECT_EQ(rc.body.find("SQLITE"), std::string::npos);
  EXPECT_NE(log.find("SQLITE_CORRUPT"), std::string::npos);
}

TEST(Router, UsesTheErrorRendererForBrowsers) {
  Router router;
  router.set_error_renderer([](const Request&, const Error& e, int status) {
    return Response::html("<h1>" + std::to_string(status) + " " + e.message + "</h1>", 200);
  });
  Request a = make("GET", "/nope");
  Response r = router.dispatch(a);
  EXPECT_EQ(r.status, 404);  // the status wins over what the renderer returned
  EXPECT_EQ(r.body, "<h1>404 Page not found</h1>");
  Request api = make("GET", "/api/nope");
  Response j = router.dispatch(api);
  EXPECT_EQ(j.status, 404);
  EXPECT_EQ(j.header("Content-Type"), "application/json");
}

TEST(Errors, StatusForEveryCode) {
  EXPECT_EQ(status_for(ErrorCode::kValidation), 400);
  EXPECT_EQ(status_for(ErrorCode::kNotFound), 404);
  EXPECT_EQ(status_for(ErrorCode::kForbidden), 403);
  EXPECT_EQ(status_for(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(status_for(ErrorCode::kConflict), 409);
  EXPECT_EQ(status_for(ErrorCode::kInvalidTransition), 409);
  EXPECT_EQ(status_for(ErrorCode::kRateLimited), 429);
  EXPECT_EQ(status_for(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(status_for(ErrorCode::kInternal), 500);
}

TEST(Errors, JsonShapeForApiAndAcceptingClients) {
  Request api = make("POST", "/api/contacts");
  Response r = error_response(api, Error::validation("Invalid", {{"name", "Enter a name"}}));
  EXPECT_EQ(r.status, 400);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["error"]["code"], "validation");
  EXPECT_EQ(body["error"]["message"], "Invalid");
  EXPECT_EQ(body["error"]["fields"][0]["field"], "name");
  EXPECT_EQ(body["error"]["fields"][0]["message"], "Enter a name");

  Request accept = make("GET", "/contacts/1");
  accept.headers = {{"Accept", "application/json"}};
  EXPECT_TRUE(wants_json(accept));
  accept.headers = {{"Accept", "text/html,application/xhtml+xml,application/json;q=0.9"}};
  EXPECT_FALSE(wants_json(accept));
  EXPECT_FALSE(wants_json(make("GET", "/apiary")));

  Response busy = error_response(api, Error::unavailable("Try later"));
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.header("Retry-After"), "30");
  testing::internal::CaptureStderr();
  Response internal = error_response(api, Error::internal("disk on fire"));
  (void)testing::internal::GetCapturedStderr();
  auto ib = nlohmann::json::parse(internal.body);
  EXPECT_EQ(ib["error"]["code"], "internal");
  EXPECT_EQ(ib["error"]["message"], std::string(kGenericErrorMessage));
}

TEST(SecurityHeaders, AddsDefaultsButKeepsHandlerValues) {
  Response r = Response::text("x");
  r.set_header("Cache-Control", "public, max-age=60");
  apply_security_headers(r);
  EXPECT_EQ(r.header("Cache-Control"), "public, max-age=60");
  EXPECT_EQ(r.header("Content-Security-Policy"), std::string(kContentSecurityPolicy));
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.header("Referrer-Policy"), "same-origin");
  EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
  EXPECT_TRUE(r.has_header("Permissions-Policy"));
  EXPECT_EQ(r.header("Cross-Origin-Opener-Policy"), "same-origin");
  EXPECT_FALSE(r.has_header("Strict-Transport-Security"));
  Response d = Response::text("y");
  apply_security_headers(d, {.hsts = true});
  EXPECT_EQ(d.header("Cache-Control"), "no-store");
  EXPECT_TRUE(d.has_header("Strict-Transport-Security"));
}

class StaticFilesTest : public testing::Test {
 protected:
  void SetUp() override {
    base_ = std::filesystem::temp_directory_path() /
            ("fd_static_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(base_ / "public" / "css");
    std::ofstream(base_ / "public" / "css" / "app.css") << "body{}";
    std::ofstream(base_ / "public" / "logo.svg") << "<svg/>";
    std::ofstream(base_ / "secret.txt") << "TOP SECRET";
    router_.get("/assets/{file*}", static_files(base_ / "public", "/assets"));
  }
  void TearDown() override { std::filesystem::remove_all(base_); }

  Response get(std::string path, std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r = make("GET", std::move(path));
    r.headers = std::move(headers);
    return router_.dispatch(r);
  }

  std::filesystem::path base_;
  Router router_;
};

TEST_F(StaticFilesTest, ServesWithTypeAndCaching) {
  Response css = get("/assets/css/app.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.body, "body{}");
  EXPECT_EQ(css.header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(css.header("Cache-Control"), "public, max-age=86400");
  ASSERT_TRUE(css.header("ETag"));
  Response svg = get("/assets/logo.svg");
  EXPECT_EQ(svg.header("Content-Type"), "image/svg+xml");

  Response again =
      get("/assets/css/app.css", {{"If-None-Match", std::string(*css.header("ETag"))}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(StaticFilesTest, RefusesTraversalAndFolders) {
  // Request::path is already percent-decoded, so %2e%2e arrives as "..".
  for (std::string path : {"/assets/../secret.txt", "/assets/css/../../secret.txt",
                           "/assets/./css/app.css", "/assets/css//app.css", "/assets/css",
                           "/assets/", "/assets/..\\secret.txt", "/assets/nothing.css"}) {
    Response r = get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("TOP SECRET"), std::string::npos) << path;
  }
  std::filesystem::create_symlink(base_ / "secret.txt", base_ / "public" / "link.txt");
  EXPECT_EQ(get("/assets/link.txt").status, 404);
}

TEST(ContentTypes, KnownExtensions) {
  EXPECT_EQ(content_type_for("a/b.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("f.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("i.png"), "image/png");
  EXPECT_EQ(content_type_for("favicon.ico"), "image/x-icon");
  EXPECT_EQ(content_type_for("x.map"), "application/json");
  EXPECT_EQ(content_type_for("dir.d/noext"), "application/octet-stream");
}

}  // namespace
}  // namespace frontdoor::http
