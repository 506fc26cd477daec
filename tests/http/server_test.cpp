// Integration tests: a real Server on a free port, driven by a small blocking
// client over loopback.
#include "http/server.hpp"

// See src/http/server.cpp: Asio's inlined scheduler trips this GCC warning.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/static_files.hpp"

namespace frontdoor::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// One blocking connection to the server under test.
class Client {
 public:
  explicit Client(unsigned short port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    socket_.set_option(tcp::no_delay(true));
  }

  void send_raw(std::string_view bytes) { net::write(socket_, net::buffer(bytes)); }
  void finish_sending() { socket_.shutdown(tcp::socket::shutdown_send); }

  bhttp::response<bhttp::string_body> read_response(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    parser.body_limit(64 << 20);
    bhttp::read(socket_, buffer_, parser);
    return parser.release();
  }

  bhttp::response<bhttp::string_body> request(
      std::string method, std::string target, std::string body = {},
      std::vector<std::pair<std::string, std::string>> headers = {}) {
    bhttp::request<bhttp::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, "localhost");
    for (auto& [n, v] : headers) req.insert(n, v);
    req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(socket_, req);
    return read_response(method == "HEAD");
  }

  // True when the server has closed the connection (EOF or reset) within `wait`.
  bool closed_by_server(std::chrono::milliseconds wait = std::chrono::milliseconds(3000)) {
    if (buffer_.size() > 0) return false;
    socket_.non_blocking(true);
    auto deadline = Clock::now() + wait;
    char byte;
    while (Clock::now() < deadline) {
      beast::error_code ec;
      std::size_t n = socket_.read_some(net::buffer(&byte, 1), ec);
      if (ec == net::error::would_block) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      socket_.non_blocking(false);
      return ec && n == 0;
    }
    socket_.non_blocking(false);
    return false;
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

std::string header(const bhttp::response<bhttp::string_body>& res, std::string_view name) {
  auto it = res.find(beast::string_view(name.data(), name.size()));
  return it == res.end() ? std::string() : std::string(it->value());
}

class ServerTest : public testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    options.threads = options.threads == 0 ? 2 : options.threads;
    server_ = std::make_unique<Server>(std::move(options), router_);
    port_ = server_->start();
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  std::shared_ptr<Router> router_ = [] {
    auto r = std::make_shared<Router>();
    r->get("/healthz", [](Request&) -> Result<Response> { return Response::text("ok"); });
    r->post("/echo", [](Request& req) -> Result<Response> {
      return Response::text(req.method + " " + req.body + " " + req.form().get("a"));
    });
    r->get("/whoami", [](Request& req) -> Result<Response> {
      return Response::text(req.remote_address + " " + req.path + " " +
                            req.query("q").value_or(""));
    });
    r->get("/items/{id}", [](Request& req) -> Result<Response> {
      return Response::text("item " + req.param("id"));
    });
    r->get("/boom", [](Request&) -> Result<Response> {
      throw std::runtime_error("the password is hunter2");
    });
    return r;
  }();
  std::unique_ptr<Server> server_;
  unsigned short port_ = 0;
};

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  Client c(port_);
  for (int i = 0; i < 5; ++i) {
    auto res = c.request("GET", "/items/" + std::to_string(i));
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "item " + std::to_string(i));
    EXPECT_TRUE(res.keep_alive());
  }
  auto echo =
      c.request("POST", "/echo", "a=x+y", {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(echo.body(), "POST a=x+y x y");
  EXPECT_EQ(server_->connection_count(), 1u);
}

TEST_F(ServerTest, PathIsDecodedAndQueryParsed) {
  start();
  Client c(port_);
  auto res = c.request("GET", "/whoami?q=a+b%21");
  EXPECT_EQ(res.body(), "127.0.0.1 /whoami a b!");
  auto item = c.request("GET", "/items/a%20b");
  EXPECT_EQ(item.body(), "item a b");
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  Client c(port_);
  c.send_raw(
      "GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
      "GET /items/3 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.read_response().body(), "item 1");
  EXPECT_EQ(c.read_response().body(), "POST hello ");
  EXPECT_EQ(c.read_response().body(), "item 3");
}

TEST_F(ServerTest, LargeResponsesFinishAsynchronouslyAndKeepOrder) {
  // Far more than a loopback socket buffer holds, so the write goes async.
  std::string big(24 << 20, 'z');
  for (std::size_t i = 0; i < big.size(); i += 4096)
    big[i] = static_cast<char>('a' + (i / 4096) % 26);
  router_->get("/big", [&big](Request&) -> Result<Response> { return Response::text(big); });
  start();
  Client c(port_);
  c.send_raw("GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /items/2 HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the socket buffer fill
  auto first = c.read_response();
  EXPECT_EQ(first.body().size(), big.size());
  EXPECT_TRUE(first.body() == big);
  EXPECT_EQ(c.read_response().body(), "item 2");
}

TEST_F(ServerTest, SecurityHeadersOnEveryResponse) {
  start();
  Client c(port_);
  for (std::string target : {"/healthz", "/nowhere"}) {
    auto res = c.request("GET", target);
    EXPECT_EQ(header(res, "Content-Security-Policy"), std::string(kContentSecurityPolicy));
    EXPECT_EQ(header(res, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(res, "X-Frame-Options"), "DENY");
    EXPECT_EQ(header(res, "Referrer-Policy"), "same-origin");
    EXPECT_EQ(header(res, "Cross-Origin-Opener-Policy"), "same-origin");
    EXPECT_FALSE(header(res, "Permissions-Policy").empty());
    EXPECT_EQ(header(res, "Cache-Control"), "no-store");
    EXPECT_FALSE(header(res, "Date").empty());
    EXPECT_TRUE(header(res, "Strict-Transport-Security").empty());
  }
  Client bad(port_);
  bad.send_raw("NOT A REQUEST\r\n\r\n");
  auto res = bad.read_response();
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(header(res, "X-Frame-Options"), "DENY");
}

TEST_F(ServerTest, HstsOnlyWhenConfigured) {
  ServerOptions options;
  options.security.hsts = true;
  start(options);
  Client c(port_);
  EXPECT_FALSE(header(c.request("GET", "/healthz"), "Strict-Transport-Security").empty());
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowed) {
  start();
  Client c(port_);
  EXPECT_EQ(c.request("GET", "/nowhere").result_int(), 404);
  auto res = c.request("DELETE", "/healthz");
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_EQ(header(res, "Allow"), "GET, HEAD");
  EXPECT_EQ(c.request("GET", "/healthz").result_int(), 200);  // still usable
}

TEST_F(ServerTest, HeadSendsHeadersWithoutBody) {
  start();
  Client c(port_);
  auto res = c.request("HEAD", "/healthz");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(header(res, "Content-Length"), "2");
  EXPECT_TRUE(res.body().empty());
  // The connection is still in step: the next response parses cleanly.
  EXPECT_EQ(c.request("GET", "/healthz").body(), "ok");
}

TEST_F(ServerTest, MalformedRequestsGet400AndTheConnectionCloses) {
  start();
  for (std::string bad :
       {"GARBAGE\r\n\r\n", "GET /x HTTP/9.9\r\n\r\n", "GET /x HTTP/1.1\r\nBad Header\r\n\r\n",
        "GET /x HTTP/1.1\r\nContent-Length: abc\r\n\r\n", "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET nopath HTTP/1.1\r\nHost: x\r\n\r\n"}) {
    Client c(port_);
    c.send_raw(bad);
    auto res = c.read_response();
    EXPECT_EQ(res.result_int(), 400) << bad;
    EXPECT_TRUE(c.closed_by_server()) << bad;
  }
  Client after(port_);
  EXPECT_EQ(after.request("GET", "/healthz").body(), "ok");
}

TEST_F(ServerTest, OversizedBodyGets413) {
  ServerOptions options;
  options.max_body_bytes = 1000;
  start(options);
  Client small(port_);
  EXPECT_EQ(small.request("POST", "/echo", std::string(1000, 'a')).result_int(), 200);

  Client c(port_);
  c.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
  auto res = c.read_response();
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(c.closed_by_server());

  Client chunked(port_);
  chunked.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                   std::string("400\r\n") + std::string(1024, 'b') + "\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.read_response().result_int(), 413);
}

TEST_F(ServerTest, ExpectContinueIsHonoured) {
  start();
  Client c(port_);
  c.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  auto interim = c.read_response();
  EXPECT_EQ(interim.result_int(), 100);
  c.send_raw("abc");
  EXPECT_EQ(c.read_response().body(), "POST abc ");
}

TEST_F(ServerTest, HugeHeadersGet431) {
  start();
  Client c(port_);
  c.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(40000, 'h') + "\r\n\r\n");
  EXPECT_EQ(c.read_response().result_int(), 431);
}

TEST_F(ServerTest, ExceptionBecomes500WithoutLeakingTheMessage) {
  start();
  Client c(port_);
  testing::internal::CaptureStderr();
  auto res = c.request("GET", "/boom");
  std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(res.body().find("hunter2"), std::string::npos);
  EXPECT_NE(res.body().find(kGenericErrorMessage), std::string::npos);
  EXPECT_NE(log.find("hunter2"), std::string::npos);
  EXPECT_NE(log.find("request "), std::string::npos);
  EXPECT_EQ(c.request("GET", "/healthz").body(), "ok");  // the connection survives
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  start();
  Client c(port_);
  auto res = c.request("GET", "/healthz", {}, {{"Connection", "close"}});
  EXPECT_EQ(res.body(), "ok");
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(c.closed_by_server());

  Client old(port_);
  old.send_raw("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(old.read_response().body(), "ok");
  EXPECT_TRUE(old.closed_by_server());
}

TEST_F(ServerTest, IdleAndHeaderTimeoutsCloseTheConnection) {
  ServerOptions options;
  options.idle_timeout = std::chrono::seconds(1);
  options.header_timeout = std::chrono::seconds(1);
  start(options);
  Client idle(port_);
  EXPECT_EQ(idle.request("GET", "/healthz").body(), "ok");
  auto t0 = Clock::now();
  EXPECT_TRUE(idle.closed_by_server(std::chrono::milliseconds(4000)));
  EXPECT_GE(Clock::now() - t0, std::chrono::milliseconds(800));

  Client slow(port_);
  slow.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // never finishes the header
  EXPECT_TRUE(slow.closed_by_server(std::chrono::milliseconds(4000)));
}

TEST_F(ServerTest, StopWithOpenConnectionsReturnsPromptly) {
  start();
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 20; ++i) {
    clients.push_back(std::make_unique<Client>(port_));
    EXPECT_EQ(clients.back()->request("GET", "/healthz").body(), "ok");
  }
  Client partial(port_);
  partial.send_raw("GET /healthz HTTP/1.1\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto t0 = Clock::now();
  server_->stop();
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(1000));
  EXPECT_TRUE(clients.front()->closed_by_server(std::chrono::milliseconds(500)));
  EXPECT_EQ(server_->connection_count(), 0u);
  EXPECT_THROW(Client{port_}, boost::system::system_error);  // no longer listening
}

TEST_F(ServerTest, StopLetsABusyHandlerFinish) {
  std::atomic<bool> entered{false};
  router_->get("/slow", [&](Request&) -> Result<Response> {
    entered = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return Response::text("done");
  });
  start();
  Client c(port_);
  c.send_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::thread stopper([&] { server_->stop(); });
  auto res = c.read_response();
  stopper.join();
  EXPECT_EQ(res.body(), "done");
  EXPECT_FALSE(res.keep_alive());
}

TEST_F(ServerTest, StaticTraversalIsRefusedOverTheWire) {
  auto base =
      std::filesystem::temp_directory_path() / ("fd_server_static_" + std::to_string(::getpid()));
  std::filesystem::create_directories(base / "public");
  std::ofstream(base / "public" / "app.js") << "console.log(1)";
  std::ofstream(base / "secret.txt") << "TOP SECRET";
  router_->get("/assets/{file*}", static_files(base / "public", "/assets"));
  start();
  Client c(port_);
  auto ok = c.request("GET", "/assets/app.js");
  EXPECT_EQ(ok.result_int(), 200);
  EXPECT_EQ(header(ok, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(header(ok, "Cache-Control"), "public, max-age=86400");
  for (std::string target :
       {"/assets/../secret.txt", "/assets/%2e%2e/secret.txt", "/assets/%2E%2E%2Fsecret.txt",
        "/assets/..%2fsecret.txt", "/assets/%2e%2e%5csecret.txt", "/assets/app.js%00.txt"}) {
    auto res = c.request("GET", target);
    EXPECT_NE(res.result_int(), 200) << target;
    EXPECT_EQ(res.body().find("TOP SECRET"), std::string::npos) << target;
  }
  std::filesystem::remove_all(base);
}

TEST_F(ServerTest, RandomBytesNeverTakeTheServerDown) {
  start();
  std::mt19937 rng(12345);
  const std::string prefixes[] = {"", "GET / HTTP/1.1\r\n",
                                  "POST /echo HTTP/1.1\r\nContent-Length: 9\r\n",
                                  "GET /items/1 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"};
  for (int i = 0; i < 150; ++i) {
    std::string bytes = prefixes[i % 4];
    std::size_t n = rng() % 300;
    for (std::size_t k = 0; k < n; ++k) bytes.push_back(static_cast<char>(rng() % 256));
    if (i % 3 == 0) bytes += "\r\n\r\n";
    Client c(port_);
    c.send_raw(bytes);
    c.finish_sending();  // EOF: a server waiting for more must give up now
    // Whatever happens, the connection ends: an error reply or a close.
    try {
      auto res = c.read_response();
      EXPECT_GE(res.result_int(), 200);
    } catch (const boost::system::system_error&) {
    }
  }
  Client after(port_);
  EXPECT_EQ(after.request("GET", "/healthz").body(), "ok");
}

TEST_F(ServerTest, HeaderInjectionBecomesA500AndFramingIsTheServers) {
  router_->get("/inject", [](Request&) -> Result<Response> {
    return Response::text("x").set_header("X-Note", "a\r\nSet-Cookie: stolen=1");
  });
  router_->get("/framing", [](Request&) -> Result<Response> {
    return Response::text("four")
        .set_header("Content-Length", "999")
        .set_header("Connection", "close");
  });
  start();
  Client c(port_);
  testing::internal::CaptureStderr();
  auto res = c.request("GET", "/inject");
  (void)testing::internal::GetCapturedStderr();
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_TRUE(header(res, "Set-Cookie").empty());
  auto framed = c.request("GET", "/framing");
  EXPECT_EQ(framed.body(), "four");
  EXPECT_EQ(header(framed, "Content-Length"), "4");
  EXPECT_TRUE(framed.keep_alive());
  EXPECT_EQ(c.request("GET", "/healthz").body(), "ok");
}

TEST_F(ServerTest, ExtraConnectionsBeyondTheLimitAreClosed) {
  ServerOptions options;
  options.max_connections = 2;
  start(options);
  Client a(port_);
  Client b(port_);
  EXPECT_EQ(a.request("GET", "/healthz").body(), "ok");
  EXPECT_EQ(b.request("GET", "/healthz").body(), "ok");
  Client c(port_);
  EXPECT_TRUE(c.closed_by_server());
}

TEST(ServerHandler, PlainHandlerErrorsUseErrorResponse) {
  ServerOptions options;
  options.threads = 1;
  Server server(options, [](Request& r) -> Result<Response> {
    if (r.path == "/api/x") return Error::conflict("Changed since you read it");
    return Response::text("fine");
  });
  unsigned short port = server.start();
  Client c(port);
  auto res = c.request("GET", "/api/x");
  EXPECT_EQ(res.result_int(), 409);
  EXPECT_EQ(nlohmann::json::parse(res.body())["error"]["code"], "conflict");
  EXPECT_EQ(c.request("GET", "/other").body(), "fine");
}

}  // namespace
}  // namespace frontdoor::http
