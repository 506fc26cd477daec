// Load shedding: a Server whose handler threads are held by a handler that
// blocks until the test lets it go, so "full" is exact rather than a guess
// about timing. Beyond max_in_flight, and past max_queue_wait, a request is
// answered at once with 503 and Retry-After; /healthz keeps answering; the
// server takes new work again as soon as the held requests finish.
#include "http/server.hpp"

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "app/http_test_client.hpp"

namespace frontdoor::http {
namespace {

using frontdoor::testing::HttpClient;
using frontdoor::testing::HttpReply;
using SteadyClock = std::chrono::steady_clock;

// Holds every /block request until opened (or until a safety time-out, so a
// broken server fails the test instead of hanging it).
class Latch {
 public:
  void wait() {
    std::unique_lock lock(mu_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait_for(lock, std::chrono::seconds(20), [this] { return open_; });
  }
  void open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits until `n` requests have entered the handler.
  bool entered(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  int waiting_ = 0;
};

bool eventually(const std::function<bool()>& condition) {
  const auto deadline = SteadyClock::now() + std::chrono::seconds(10);
  while (SteadyClock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

class LoadSheddingTest : public ::testing::Test {
 protected:
  void start(ServerOptions options) {
    options.threads = 1;        // one handler thread for reads: one blocked GET fills it
    options.write_threads = 1;  // and one for writes
    if (options.io_threads == 0) options.io_threads = 2;
    auto router = std::make_shared<Router>();
    router->get("/block", [this](Request&) -> Result<Response> {
      latch_.wait();
      return Response::text("done");
    });
    router->post("/block", [this](Request&) -> Result<Response> {
      latch_.wait();
      return Response::text("written");
    });
    router->get("/fast", [](Request&) -> Result<Response> { return Response::text("fast"); });
    router->get("/api/v1/fast", [](Request&) -> Result<Response> {
      return Response::json({{"ok", true}});
    });
    router->get("/healthz", [](Request&) -> Result<Response> { return Response::text("ok"); });
    server_ = std::make_unique<Server>(std::move(options), router);
    port_ = server_->start();
  }
  void TearDown() override {
    latch_.open();
    if (server_) server_->stop();
  }

  // GET /block on its own connection, answered when the latch opens.
  std::future<HttpReply> blocked_request() {
    return std::async(std::launch::async,
                      [port = port_] { return HttpClient(port).get("/block"); });
  }

  Latch latch_;
  std::unique_ptr<Server> server_;
  unsigned short port_ = 0;
};

TEST_F(LoadSheddingTest, BeyondTheLimitAnswers503AtOnceAndRecoversByItself) {
  ServerOptions options;
  options.max_in_flight = 2;
  options.max_queue_wait = std::chrono::milliseconds(0);  // no wait limit: only the count
  options.retry_after = std::chrono::seconds(7);
  start(options);

  auto running = blocked_request();
  ASSERT_TRUE(latch_.entered(1));
  auto queued = blocked_request();  // waits for the one handler thread
  ASSERT_TRUE(eventually([&] { return server_->in_flight() == 2; }));

  // Full: the next request is refused at once (were it queued, it would wait
  // for the latch, which stays shut until the end of the test).
  HttpClient client(port_);
  const auto sent = SteadyClock::now();
  HttpReply refused = client.get("/fast");
  const auto took = SteadyClock::now() - sent;
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.header("retry-after"), "7");
  EXPECT_NE(refused.body.find("busy"), std::string::npos) << refused.body;
  EXPECT_NE(refused.header("connection"), "close");  // the connection is kept
  EXPECT_LT(took, std::chrono::seconds(2));

  // An API client gets the same refusal as JSON.
  HttpReply api = client.get("/api/v1/fast");
  EXPECT_EQ(api.status, 503);
  EXPECT_EQ(api.header("retry-after"), "7");
  EXPECT_EQ(api.json()["error"]["code"], "unavailable");

  // Health checks are never queued behind the work, nor shed.
  HttpClient monitor(port_);
  HttpReply health = monitor.get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok");
  EXPECT_EQ(server_->shed_count(), 2u);
  EXPECT_EQ(server_->in_flight(), 2u);

  // Once the held requests finish, the server takes work again on its own.
  latch_.open();
  EXPECT_EQ(running.get().status, 200);
  EXPECT_EQ(queued.get().body, "done");
  ASSERT_TRUE(eventually([&] { return server_->in_flight() == 0; }));
  HttpReply again = client.get("/fast");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, "fast");
  EXPECT_EQ(server_->shed_count(), 2u);
}

TEST_F(LoadSheddingTest, ARequestThatWaitedTooLongForAThreadIsAnswered503) {
  ServerOptions options;
  options.max_in_flight = 10;
  options.max_queue_wait = std::chrono::milliseconds(100);
  start(options);

  auto running = blocked_request();
  ASSERT_TRUE(latch_.entered(1));
  HttpClient client(port_);
  auto waiting = std::async(std::launch::async, [&client] { return client.get("/fast"); });
  ASSERT_TRUE(eventually([&] { return server_->in_flight() == 2; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // three times the limit
  latch_.open();

  EXPECT_EQ(running.get().status, 200);
  HttpReply late = waiting.get();
  EXPECT_EQ(late.status, 503);
  EXPECT_EQ(late.header("retry-after"), "1");  // the default
  EXPECT_EQ(server_->shed_count(), 1u);
  // Not waiting any more: served.
  EXPECT_EQ(client.get("/fast").status, 200);
}

TEST_F(LoadSheddingTest, WithinTheLimitNothingIsShed) {
  ServerOptions options;
  options.max_in_flight = 3;
  options.max_queue_wait = std::chrono::milliseconds(0);
  start(options);

  auto first = blocked_request();
  ASSERT_TRUE(latch_.entered(1));
  auto second = blocked_request();
  auto third = blocked_request();
  ASSERT_TRUE(eventually([&] { return server_->in_flight() == 3; }));
  latch_.open();
  for (auto* f : {&first, &second, &third}) EXPECT_EQ(f->get().status, 200);
  EXPECT_EQ(server_->shed_count(), 0u);
}

TEST_F(LoadSheddingTest, WritesWaitingForTheirThreadNeverHoldUpReads) {
  ServerOptions options;
  options.max_in_flight = 8;
  options.max_queue_wait = std::chrono::milliseconds(0);
  start(options);

  // The one write thread is held (a stalled commit, say), a second write waits.
  auto post_block = [port = port_] { return HttpClient(port).request("POST", "/block", "x"); };
  auto writing = std::async(std::launch::async, post_block);
  ASSERT_TRUE(latch_.entered(1));
  auto waiting = std::async(std::launch::async, post_block);
  ASSERT_TRUE(eventually([&] { return server_->in_flight() == 2; }));

  // Reads have their own thread: served at once, while the writes wait.
  // (Were they queued behind the writes, they would wait for the latch.)
  HttpClient reader(port_);
  const auto sent = SteadyClock::now();
  for (int i = 0; i < 3; ++i) {
    HttpReply read = reader.get("/fast");
    EXPECT_EQ(read.status, 200);
    EXPECT_EQ(read.body, "fast");
  }
  EXPECT_LT(SteadyClock::now() - sent, std::chrono::seconds(2));
  EXPECT_EQ(server_->in_flight(), 2u);
  latch_.open();
  EXPECT_EQ(writing.get().body, "written");
  EXPECT_EQ(waiting.get().body, "written");
  EXPECT_EQ(server_->shed_count(), 0u);
}

TEST_F(LoadSheddingTest, AHealthCheckStuckOnTheDatabaseHoldsUpNothingElse) {
  ServerOptions options;
  options.max_in_flight = 1;
  options.priority_paths = {"/block"};  // standing in for a /healthz whose check hangs
  options.io_threads = 1;               // were it run on the I/O thread, all would wait
  start(options);

  auto stuck = blocked_request();
  ASSERT_TRUE(latch_.entered(1));
  EXPECT_EQ(server_->in_flight(), 0u);  // priority requests are not counted
  // The one read thread and the I/O threads are free: served at once, and the
  // limit of one admits it.
  HttpClient client(port_);
  const auto sent = SteadyClock::now();
  HttpReply read = client.get("/fast");
  EXPECT_EQ(read.status, 200);
  EXPECT_LT(SteadyClock::now() - sent, std::chrono::seconds(2));
  latch_.open();
  EXPECT_EQ(stuck.get().body, "done");
  EXPECT_EQ(server_->shed_count(), 0u);
}

TEST_F(LoadSheddingTest, StoppingAnswersQueuedRequestsInsteadOfRunningThem) {
  ServerOptions options;
  options.max_in_flight = 4;
  options.max_queue_wait = std::chrono::milliseconds(0);
  start(options);

  auto running = blocked_request();
  ASSERT_TRUE(latch_.entered(1));
  auto queued = blocked_request();
  ASSERT_TRUE(eventually([&] { return server_->in_flight() == 2; }));
  auto stopped = std::async(std::launch::async, [this] { server_->stop(); });
  // Once stop() has begun, a new connection is closed without an answer.
  ASSERT_TRUE(eventually([&] {
    try {
      HttpClient(port_).get("/healthz");
      return false;
    } catch (const std::exception&) {
      return true;
    }
  }));
  latch_.open();  // the running request finishes; the queued one is not run

  EXPECT_EQ(running.get().status, 200);
  HttpReply answer = queued.get();
  EXPECT_EQ(answer.status, 503);
  EXPECT_NE(answer.body.find("restarting"), std::string::npos) << answer.body;
  EXPECT_EQ(answer.header("connection"), "close");
  stopped.get();
}

}  // namespace
}  // namespace frontdoor::http
