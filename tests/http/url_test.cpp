#include "http/url.hpp"

#include <random>

#include <gtest/gtest.h>

#include "http/message.hpp"

namespace frontdoor::http {
namespace {

TEST(UrlEncode, KeepsUnreservedAndEscapesTheRest) {
  EXPECT_EQ(url_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(url_encode("a b&c=d/e?f"), "a%20b%26c%3Dd%2Fe%3Ff");
  EXPECT_EQ(url_encode("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(url_encode(std::string_view("\0", 1)), "%00");
}

TEST(UrlDecode, DecodesEscapesInEitherCase) {
  EXPECT_EQ(url_decode("a%20b%2fc%2Fd"), "a b/c/d");
  EXPECT_EQ(url_decode("%C3%A9"), "\xC3\xA9");
  EXPECT_EQ(url_decode(""), "");
}

TEST(UrlDecode, PlusIsASpaceOnlyWhenAsked) {
  EXPECT_EQ(url_decode("a+b"), "a+b");
  EXPECT_EQ(url_decode("a+b", true), "a b");
  EXPECT_EQ(url_decode("a%2Bb", true), "a+b");
}

TEST(UrlDecode, RejectsMalformedEscapes) {
  EXPECT_FALSE(url_decode("%"));
  EXPECT_FALSE(url_decode("abc%2"));
  EXPECT_FALSE(url_decode("%zz"));
  EXPECT_FALSE(url_decode("%2g"));
  EXPECT_FALSE(url_decode("%%20"));
}

TEST(DecodeRequestPath, DecodesThePathBeforeQueryAndFragment) {
  EXPECT_EQ(decode_request_path("/a%20b/c?x=%zz#f"), "/a b/c");
  EXPECT_EQ(decode_request_path("/people#top"), "/people");
  EXPECT_EQ(decode_request_path("/"), "/");
  EXPECT_EQ(decode_request_path("/%2F"), "//");
}

TEST(DecodeRequestPath, RefusesWhatTheServerAnswers400) {
  EXPECT_EQ(decode_request_path(""), std::nullopt);
  EXPECT_EQ(decode_request_path("?x=1"), std::nullopt);
  EXPECT_EQ(decode_request_path("relative/path"), std::nullopt);
  EXPECT_EQ(decode_request_path("http://host/path"), std::nullopt);
  EXPECT_EQ(decode_request_path("/a%zz"), std::nullopt);
  EXPECT_EQ(decode_request_path("/a%2"), std::nullopt);
  EXPECT_EQ(decode_request_path("/a%00b"), std::nullopt);
  EXPECT_EQ(decode_request_path("/people/%FF"), std::nullopt);   // not UTF-8
  EXPECT_EQ(decode_request_path("/caf%C3%A9"), "/caf\xC3\xA9");  // UTF-8 is fine
}

TEST(UrlRoundTrip, EveryByteSurvives) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(url_decode(url_encode(all)), all);
  EXPECT_EQ(url_decode(url_encode(all), true), all);
}

TEST(ParseForm, PlusEscapesAndOrder) {
  FormData form = parse_form("name=Ann+Smith&city=Lewes%2C+Sussex&empty=&flag");
  ASSERT_EQ(form.entries().size(), 4u);
  EXPECT_EQ(form.get("name"), "Ann Smith");
  EXPECT_EQ(form.get("city"), "Lewes, Sussex");
  EXPECT_TRUE(form.has("empty"));
  EXPECT_EQ(form.get("empty"), "");
  EXPECT_TRUE(form.has("flag"));
  EXPECT_FALSE(form.has("missing"));
  EXPECT_EQ(form.get("missing"), "");
  EXPECT_FALSE(form.find("missing"));
  EXPECT_FALSE(form.malformed());
  EXPECT_EQ(form.entries()[1].first, "city");
}

TEST(ParseForm, RepeatedKeysKeepEveryValueInOrder) {
  FormData form = parse_form("concern=neglect&concern=physical+abuse&other=1&concern=emotional");
  EXPECT_EQ(form.get("concern"), "neglect");
  EXPECT_EQ(form.all("concern"),
            (std::vector<std::string>{"neglect", "physical abuse", "emotional"}));
  EXPECT_TRUE(form.all("none").empty());
}

TEST(ParseForm, MalformedPairsAreDroppedAndFlagged) {
  FormData form = parse_form("good=1&bad=%ZZ&also%2=2&fine=%41");
  EXPECT_TRUE(form.malformed());
  EXPECT_EQ(form.entries().size(), 2u);
  EXPECT_EQ(form.get("good"), "1");
  EXPECT_EQ(form.get("fine"), "A");
  EXPECT_FALSE(form.has("bad"));
}

// Found by fuzzing (tests/fuzz/corpus/form/regression-invalid-utf8-reason.txt):
// a reason ending in %FF%FF reached the event store, whose JSON refused it,
// and the sign-off page answered 500.
TEST(ParseForm, PairsThatAreNotUtf8AreDroppedAndFlagged) {
  FormData form = parse_form("version=4&reason=sibli%FF%FFng&name%C3=x&ok=Zo%C3%AB");
  EXPECT_TRUE(form.malformed());
  EXPECT_FALSE(form.has("reason"));
  EXPECT_EQ(form.entries().size(), 2u);
  EXPECT_EQ(form.get("version"), "4");
  EXPECT_EQ(form.get("ok"), "Zo\xC3\xAB");
  EXPECT_TRUE(parse_form("raw=\xFF").malformed());  // unescaped bytes too
}

TEST(ParseForm, EmptyPiecesAndEqualsInValues) {
  FormData form = parse_form("&&a=1&&b=x=y&");
  EXPECT_FALSE(form.malformed());
  ASSERT_EQ(form.entries().size(), 2u);
  EXPECT_EQ(form.get("b"), "x=y");
  EXPECT_TRUE(parse_form("").empty());
  FormData blank_name = parse_form("=v");
  EXPECT_TRUE(blank_name.has(""));
}

TEST(Parsers, RandomInputNeverCrashesAndRoundTrips) {
  std::mt19937 rng(7);
  const char alphabet[] = "%+=&;\" aZ09\x00\xff";
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    std::size_t n = rng() % 40;
    for (std::size_t k = 0; k < n; ++k) s.push_back(alphabet[rng() % (sizeof alphabet - 1)]);
    FormData form = parse_form(s);
    for (const auto& [name, value] : form.entries()) {
      // Re-encoding a parsed pair parses back to the same pair.
      FormData again = parse_form(url_encode(name) + "=" + url_encode(value));
      ASSERT_EQ(again.entries().size(), 1u);
      EXPECT_EQ(again.entries()[0].second, value);
    }
    for (const auto& [name, value] : parse_cookies(s)) EXPECT_FALSE(name.empty());
    auto decoded = url_decode(s);
    if (decoded) {
      EXPECT_LE(decoded->size(), s.size());
    }
  }
}

TEST(ParseCookies, SplitsTrimsAndUnquotes) {
  auto cookies = parse_cookies(" session=abc123 ; theme=\"dark\";flag; =nameless;csrf=x=y ");
  ASSERT_EQ(cookies.size(), 3u);
  EXPECT_EQ(cookies[0], (std::pair<std::string, std::string>{"session", "abc123"}));
  EXPECT_EQ(cookies[1], (std::pair<std::string, std::string>{"theme", "dark"}));
  EXPECT_EQ(cookies[2], (std::pair<std::string, std::string>{"csrf", "x=y"}));
  EXPECT_TRUE(parse_cookies("").empty());
  EXPECT_TRUE(parse_cookies(";;;").empty());
}

TEST(ParseCookies, KeepsRepeatedNames) {
  auto cookies = parse_cookies("a=1; a=2");
  ASSERT_EQ(cookies.size(), 2u);
  EXPECT_EQ(cookies[0].second, "1");
  EXPECT_EQ(cookies[1].second, "2");
}

TEST(CookieSerialize, AllAttributes) {
  Cookie c("fd_session", "tok");
  c.max_age = 3600;
  c.secure = true;
  c.same_site = "Strict";
  EXPECT_EQ(c.serialize(),
            "fd_session=tok; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict");
  Cookie plain("a", "b");
  EXPECT_EQ(plain.serialize(), "a=b; Path=/; HttpOnly; SameSite=Lax");
}

TEST(CookieSerialize, RefusesInjection) {
  Cookie c;
  c.name = "a";
  c.value = "x; Domain=evil.example";
  EXPECT_THROW((void)c.serialize(), std::invalid_argument);
  c.value = "ok";
  c.name = "a b";
  EXPECT_THROW((void)c.serialize(), std::invalid_argument);
  c.name = "a";
  c.path = "/\r\nX: y";
  EXPECT_THROW((void)c.serialize(), std::invalid_argument);
}

TEST(RequestHelpers, HeadersQueryCookiesAndForm) {
  Request r;
  r.method = "POST";
  r.target = "/search?q=ann+smith&page=2&q=second#frag";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
               {"cookie", "fd_session=s1; other=o"},
               {"X-Thing", "one"},
               {"x-thing", "two"}};
  r.body = "first=Ann&last=O%27Brien";
  EXPECT_EQ(r.header("x-THING"), "one");
  EXPECT_FALSE(r.header("Missing"));
  EXPECT_EQ(r.query("q"), "ann smith");
  EXPECT_EQ(r.query("page"), "2");
  EXPECT_EQ(r.query_params().all("q").size(), 2u);
  EXPECT_FALSE(r.query("frag"));
  EXPECT_EQ(r.cookie("fd_session"), "s1");
  EXPECT_EQ(r.cookie("other"), "o");
  EXPECT_FALSE(r.cookie("nope"));
  EXPECT_EQ(r.form().get("last"), "O'Brien");
}

TEST(RequestHelpers, FormIsEmptyForOtherContentTypes) {
  Request r;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = "a=1";
  EXPECT_TRUE(r.form().empty());
  Request none;
  none.body = "a=1";
  EXPECT_TRUE(none.form().empty());
}

TEST(ResponseHelpers, FactoriesAndHeaders) {
  Response h = Response::html("<p>x</p>", 201);
  EXPECT_EQ(h.status, 201);
  EXPECT_EQ(h.header("content-type"), "text/html; charset=utf-8");
  Response j = Response::json({{"ok", true}});
  EXPECT_EQ(j.body, "{\"ok\":true}");
  EXPECT_EQ(j.header("Content-Type"), "application/json");
  Response r = Response::redirect("/contacts/7");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("Location"), "/contacts/7");
  r.set_header("X-A", "1").add_header("x-a", "2").set_header("X-a", "3");
  EXPECT_EQ(r.header("X-A"), "3");
  int count = 0;
  for (const auto& h2 : r.headers) count += iequals(h2.first, "x-a") ? 1 : 0;
  EXPECT_EQ(count, 1);
  r.set_cookie(Cookie{"a", "1"}).set_cookie(Cookie{"b", "2"});
  int cookies = 0;
  for (const auto& h2 : r.headers) cookies += h2.first == "Set-Cookie" ? 1 : 0;
  EXPECT_EQ(cookies, 2);
}

}  // namespace
}  // namespace frontdoor::http
