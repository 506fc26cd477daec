#include "http/server.hpp"

// GCC's middle end reports a "potential null pointer dereference" inside
// Asio's scheduler after inlining (boost/asio/detail/impl/scheduler.ipp); the
// system-header exemption does not reach warnings raised that late, so the
// whole translation unit has to opt out of that one warning.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace frontdoor::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t kReadChunk = 8192;
constexpr std::int64_t kNoDeadline = std::numeric_limits<std::int64_t>::max();

std::int64_t now_ticks() {
  return std::chrono::steady_clock::now().time_since_epoch().count();
}

using DispatchFn = std::function<Response(Request&)>;

// "Sun, 06 Nov 1994 08:49:37 GMT", formatted at most once a second per thread.
std::string_view http_date() {
  thread_local std::time_t cached_second = 0;
  thread_local char text[40] = {};
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    cached_second = now;
  }
  return text;
}

bool has_control_chars(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return true;
  }
  return false;
}

// An RFC 9110 token: a header name.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(ch) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

class ServerConnection;

// Handlers capture a raw Impl*: the Impl owns the io_context, joins its threads
// before it is destroyed, and destroys any handler still queued with it.
struct Server::Impl {
  ServerOptions options;
  DispatchFn dispatch;
  ErrorRenderer renderer;

  // Declared before the io_context: sessions destroyed with it deregister here.
  mutable std::mutex mu;
  std::condition_variable cv;
  std::unordered_map<ServerConnection*, std::weak_ptr<ServerConnection>> sessions;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::uint64_t> next_request_id{1};
  std::atomic<bool> stopping{false};

  net::io_context ioc;
  tcp::acceptor acceptor{net::make_strand(ioc)};
  net::steady_timer accept_retry{acceptor.get_executor()};
  net::steady_timer sweeper{net::make_strand(ioc)};
  std::vector<std::thread> threads;
  // Keeps the I/O threads running while every connection's request is with a
  // handler (during stop() nothing else may be pending on `ioc`).
  std::optional<net::executor_work_guard<net::io_context::executor_type>> io_work;
  // A pool of handler threads and its queue.
  struct HandlerPool {
    net::io_context queue;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
    std::vector<std::thread> threads;
    void start(int n) {
      work.emplace(queue.get_executor());
      for (int i = 0; i < n; ++i) threads.emplace_back([this] { queue.run(); });
    }
    // A handler still running finishes (its response goes nowhere); requests
    // still queued are dropped with the queue.
    void stop() {
      work.reset();
      queue.stop();
      for (auto& t : threads) {
        if (t.joinable()) t.join();
      }
      threads.clear();
    }
  };
  // Requests with safe methods (GET, HEAD, OPTIONS: reads), and the rest
  // (writes), each with threads of their own, so that writes waiting for the
  // database's one writer never hold every thread while reads could proceed.
  // Declared after `ioc`, so they are destroyed first: a request still queued
  // holds its connection, whose socket belongs to `ioc`.
  HandlerPool reads;
  HandlerPool writes;
  // One thread for the priority paths (/healthz): never shed, never queued
  // behind other work, and never run on an I/O thread, so a health check
  // stuck on a hung database holds up nothing but health checks.
  HandlerPool priority;
  unsigned short bound_port = 0;
  bool started = false;
  bool stopped = false;
  std::mutex lifecycle_mu;

  // Load shedding.
  std::size_t max_in_flight = 0;  // resolved by start()
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::uint64_t> shed{0};
  std::uint64_t shed_logged = 0;                        // the sweeper's, on its strand
  std::chrono::steady_clock::time_point shed_log_at{};  // the sweeper's

  explicit Impl(ServerOptions o) : options(std::move(o)) {}

  bool has_priority(const std::string& path) const {
    return std::find(options.priority_paths.begin(), options.priority_paths.end(), path) !=
           options.priority_paths.end();
  }
  // Takes a place for one more request, or false when max_in_flight are in.
  bool admit() {
    std::size_t n = in_flight.load(std::memory_order_relaxed);
    do {
      if (n >= max_in_flight) return false;
    } while (!in_flight.compare_exchange_weak(n, n + 1, std::memory_order_relaxed));
    return true;
  }
  void release() { in_flight.fetch_sub(1, std::memory_order_relaxed); }
  Response shed_response(const Request& request, const char* why) {
    shed.fetch_add(1, std::memory_order_relaxed);
    return unavailable_response(request, why, options.retry_after);
  }
  // Runs the dispatch function; never throws.
  Response handle(Request& request) const;
  void log_access(const Request& request, const Response& response) const;

  void do_accept();
  void schedule_sweep();
  void sweep();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void register_session(ServerConnection* s, std::weak_ptr<ServerConnection> w) {
    std::lock_guard lock(mu);
    sessions.emplace(s, std::move(w));
  }
  void unregister_session(ServerConnection* s) {
    {
      std::lock_guard lock(mu);
      sessions.erase(s);
    }
    connections.fetch_sub(1);
    cv.notify_all();
  }
};

// One connection. Everything runs on the connection's strand. Reading uses
// Beast's request parser fed from our own buffer (no composed read operation,
// so a request that is already buffered, e.g. pipelined, costs no extra trip
// through the scheduler). Responses are serialized here and written with one
// non-blocking writev; only when the socket buffer is full do we fall back to
// an asynchronous write.
class ServerConnection : public std::enable_shared_from_this<ServerConnection> {
 public:
  ServerConnection(tcp::socket&& socket, Server::Impl& server)
      : socket_(std::move(socket)),
        server_(server),
        buffer_(server.options.max_header_bytes + 2 * kReadChunk) {
    beast::error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);
    socket_.non_blocking(true, ec);
    auto endpoint = socket_.remote_endpoint(ec);
    if (!ec) remote_address_ = endpoint.address().to_string();
  }
  ~ServerConnection() { server_.unregister_session(this); }
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  void start() {
    server_.register_session(this, weak_from_this());
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->next_request(); });
  }

  auto get_executor() { return socket_.get_executor(); }

  // Called by the sweeper (under the registry lock): has the current
  // operation's deadline passed?
  bool expired(std::int64_t now) const { return deadline_.load(std::memory_order_relaxed) <= now; }

  // Posted to the strand by the sweeper.
  void on_deadline() {
    if (expired(now_ticks())) close();  // pending reads/writes complete with operation_aborted
  }

  // Posted to the strand by Server::stop().
  void on_server_stop(bool force) {
    if (force || state_ == State::kIdle || state_ == State::kReading) close();
    // kHandling/kWriting: the response goes out with Connection: close.
  }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kClosed };
  enum class Parsed { kComplete, kNeedMore, kStop };

  const ServerOptions& options() const { return server_.options; }

  // A deadline is one relaxed atomic store: no timer is touched per request.
  // The server's sweeper checks every connection's deadline a few times a
  // second, so timeouts are accurate to ServerOptions::timer_resolution.
  void set_deadline(std::chrono::steady_clock::duration d) {
    deadline_.store(now_ticks() + d.count(), std::memory_order_relaxed);
  }
  void clear_deadline() { deadline_.store(kNoDeadline, std::memory_order_relaxed); }

  // Starts a new message and serves every request already buffered.
  void next_request() {
    for (;;) {
      if (state_ == State::kClosed) return;
      if (server_.stopping.load()) return close();
      parser_.emplace();
      parser_->eager(true);
      parser_->body_limit(static_cast<std::uint64_t>(options().max_body_bytes));
      parser_->header_limit(static_cast<std::uint32_t>(options().max_header_bytes));
      continue_sent_ = false;
      state_ = State::kIdle;
      if (buffer_.size() == 0) {
        set_deadline(options().idle_timeout);
        return read_more();
      }
      state_ = State::kReading;
      set_deadline(options().header_timeout);
      Parsed parsed = parse();
      if (parsed == Parsed::kStop) return;
      if (parsed == Parsed::kNeedMore) return read_more();
      if (!serve()) return;  // writing asynchronously, or closed
    }
  }

  void read_more() {
    std::size_t room = std::min(kReadChunk, buffer_.max_size() - buffer_.size());
    if (room == 0) return reply_and_close(431, "The request headers are too large");
    socket_.async_read_some(
        buffer_.prepare(room),
        [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_read(ec, n); });
  }

  void on_read(beast::error_code ec, std::size_t n) {
    if (ec) {
      // EOF between requests is the normal end of a keep-alive connection; a
      // partial request cut off by EOF or reset is dropped without an answer.
      return close();
    }
    buffer_.commit(n);
    if (state_ == State::kIdle) {
      state_ = State::kReading;
      set_deadline(options().header_timeout);
    }
    Parsed parsed = parse();
    if (parsed == Parsed::kStop) return;
    if (parsed == Parsed::kNeedMore) return read_more();
    if (serve()) next_request();
  }

  // Feeds the buffer to the parser. kNeedMore: read more (deadlines updated,
  // 100-continue sent); kStop: an error reply or a write is under way and its
  // completion decides what happens next.
  Parsed parse() {
    bool header_was_done = parser_->is_header_done();
    while (buffer_.size() > 0 && !parser_->is_done()) {
      beast::error_code ec;
      std::size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == bhttp::error::need_more) break;
      if (ec) {
        on_parse_error(ec);
        return Parsed::kStop;
      }
      if (used == 0) break;
    }
    if (parser_->is_done()) return Parsed::kComplete;
    if (parser_->is_header_done() && !header_was_done) {
      set_deadline(options().body_timeout);
      const auto& header = parser_->get();
      auto expect = header.find(bhttp::field::expect);
      if (!continue_sent_ && expect != header.end() && header.version() >= 11 &&
          beast::iequals(expect->value(), "100-continue")) {
        continue_sent_ = true;
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        beast::error_code wec;
        std::size_t n = socket_.write_some(net::buffer(kContinue), wec);
        if (wec && wec != net::error::would_block) {
          close();
          return Parsed::kStop;
        }
        if (n < kContinue.size()) {
          net::async_write(socket_, net::buffer(kContinue.substr(n)),
                           [self = shared_from_this()](beast::error_code ec2, std::size_t) {
                             if (ec2) return self->close();
                             self->read_more();
                           });
          return Parsed::kStop;  // the write's completion resumes reading
        }
      }
    }
    return Parsed::kNeedMore;
  }

  void on_parse_error(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return reply_and_close(413, "The request body is too large");
    }
    if (ec == bhttp::error::header_limit) {
      return reply_and_close(431, "The request headers are too large");
    }
    reply_and_close(400, "Bad request");
  }

  void reply_and_close(int status, std::string message) {
    Request request;
    request.path = "/";
    request.remote_address = remote_address_;
    version_ = 11;
    head_ = false;
    write(status_response(request, status, std::move(message)), false);
  }

  // Handles the parsed request and writes the answer. True when the answer
  // went out at once and the connection stays open for the next request.
  bool serve() {
    state_ = State::kHandling;
    clear_deadline();  // handlers are not timed out
    auto& message = parser_->get();
    version_ = message.version();
    head_ = message.method() == bhttp::verb::head;
    bool keep_alive = message.keep_alive();

    Request request;
    request.id = server_.next_request_id.fetch_add(1, std::memory_order_relaxed);
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.remote_address = remote_address_;
    request.headers.reserve(8);
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());

    std::optional<std::string> path = decode_request_path(request.target);
    if (!path) {
      request.path = "/";
      return write(status_response(request, 400, "Bad request"), false);
    }
    request.path = std::move(*path);

    Server::Impl::HandlerPool* pool = &server_.priority;
    const bool admitted = !server_.has_priority(request.path);
    if (admitted) {
      if (!server_.admit()) {
        Response refused =
            server_.shed_response(request, "The service is busy. Try again in a moment.");
        server_.log_access(request, refused);
        return write(std::move(refused), keep_alive && !server_.stopping.load());
      }
      const bool safe =
          request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS";
      pool = safe ? &server_.reads : &server_.writes;
    }
    // To a handler thread; its response comes back to this strand.
    net::post(pool->queue, [self = shared_from_this(), request = std::move(request), keep_alive,
                            admitted, queued_at = std::chrono::steady_clock::now()]() mutable {
      self->run_handler(request, keep_alive, admitted, queued_at);
    });
    return false;
  }

  // On a handler thread: runs the handler unless an admitted request waited
  // too long (or the server is stopping), then hands the response back to the
  // strand.
  void run_handler(Request& request, bool keep_alive, bool admitted,
                   std::chrono::steady_clock::time_point queued_at) {
    Response response;
    const auto waited = std::chrono::steady_clock::now() - queued_at;
    const auto limit = options().max_queue_wait;
    if (admitted && server_.stopping.load()) {
      response = server_.shed_response(request, "The service is restarting. Try again shortly.");
    } else if (admitted && limit.count() > 0 && waited > limit) {
      response = server_.shed_response(request, "The service is busy. Try again in a moment.");
    } else {
      response = server_.handle(request);
    }
    if (admitted) server_.release();
    server_.log_access(request, response);
    net::post(socket_.get_executor(), [self = shared_from_this(), response = std::move(response),
                                       keep_alive]() mutable {
      if (self->state_ == State::kClosed) return;  // closed by the server's stop
      if (self->write(std::move(response), keep_alive && !self->server_.stopping.load())) {
        self->next_request();
      }
    });
  }

  // Serializes and writes. True when everything was written at once and the
  // connection stays open; otherwise the async completion carries on.
  bool write(Response response, bool keep_alive) {
    state_ = State::kWriting;
    keep_alive_ = keep_alive;
    bool valid = response.status >= 200 && response.status <= 999;
    for (const auto& [name, value] : response.headers) {
      if (!is_token(name) || has_control_chars(value)) valid = false;
    }
    if (!valid) {
      std::fprintf(stderr, "frontdoor http: dropped an invalid response (status %d or header)\n",
                   response.status);
      Request request;
      response = status_response(request, 500, std::string(kGenericErrorMessage));
    }
    apply_security_headers(response, options().security);

    bool no_body = response.status == 204 || response.status == 304;
    out_head_.clear();
    out_head_ += version_ == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out_head_ += std::to_string(response.status);
    out_head_ += ' ';
    std::string_view reason = reason_phrase(response.status);
    if (reason.empty()) {
      auto obsolete = bhttp::obsolete_reason(static_cast<bhttp::status>(response.status));
      out_head_.append(obsolete.data(), obsolete.size());
    } else {
      out_head_ += reason;
    }
    out_head_ += "\r\nDate: ";
    out_head_ += http_date();
    out_head_ += "\r\n";
    for (const auto& [name, value] : response.headers) {
      if (iequals(name, "Content-Length") || iequals(name, "Connection") ||
          iequals(name, "Transfer-Encoding") || iequals(name, "Date")) {
        continue;  // the server owns message framing
      }
      out_head_ += name;
      out_head_ += ": ";
      out_head_ += value;
      out_head_ += "\r\n";
    }
    if (!no_body) {
      out_head_ += "Content-Length: ";
      out_head_ += std::to_string(response.body.size());
      out_head_ += "\r\n";
    }
    if (!keep_alive) {
      out_head_ += "Connection: close\r\n";
    } else if (version_ == 10) {
      out_head_ += "Connection: keep-alive\r\n";
    }
    out_head_ += "\r\n";
    out_body_ = (no_body || head_) ? std::string() : std::move(response.body);

    std::array<net::const_buffer, 2> buffers{net::buffer(out_head_), net::buffer(out_body_)};
    std::size_t total = out_head_.size() + out_body_.size();
    beast::error_code ec;
    std::size_t n = socket_.write_some(buffers, ec);
    if (ec && ec != net::error::would_block) {
      close();
      return false;
    }
    if (n == total) return finish_write();
    set_deadline(options().body_timeout);
    beast::buffers_suffix<std::array<net::const_buffer, 2>> rest(buffers);
    rest.consume(n);
    net::async_write(socket_, rest,
                     [self = shared_from_this()](beast::error_code wec, std::size_t) {
                       if (wec) return self->close();
                       if (self->finish_write()) self->next_request();
                     });
    return false;
  }

  // After a complete write: true when the connection stays open.
  bool finish_write() {
    if (!keep_alive_) {
      close();
      return false;
    }
    return true;
  }

  void close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    clear_deadline();
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    socket_.close(ec);
  }

  tcp::socket socket_;
  std::atomic<std::int64_t> deadline_{kNoDeadline};  // steady_clock ticks; read by the sweeper
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string out_head_;
  std::string out_body_;
  std::string remote_address_;
  State state_ = State::kIdle;
  unsigned version_ = 11;
  bool head_ = false;
  bool keep_alive_ = true;
  bool continue_sent_ = false;
};

Response Server::Impl::handle(Request& request) const {
  try {
    return dispatch(request);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "frontdoor http: request %llu %s %s: handler threw: %s\n",
                 static_cast<unsigned long long>(request.id), request.method.c_str(),
                 request.path.c_str(), e.what());
  } catch (...) {
    std::fprintf(stderr, "frontdoor http: request %llu %s %s: handler threw\n",
                 static_cast<unsigned long long>(request.id), request.method.c_str(),
                 request.path.c_str());
  }
  return status_response(request, 500, std::string(kGenericErrorMessage));
}

void Server::Impl::log_access(const Request& request, const Response& response) const {
  if (!options.access_log) return;
  std::fprintf(stderr, "%s %llu %s %s %d %zu\n", request.remote_address.c_str(),
               static_cast<unsigned long long>(request.id), request.method.c_str(),
               request.target.c_str(), response.status, response.body.size());
}

void Server::Impl::do_accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void Server::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (stopping.load() || ec == net::error::operation_aborted) return;
  if (ec) {
    // Out of file descriptors, or the like: wait a little rather than spin.
    std::fprintf(stderr, "frontdoor http: accept failed: %s\n", ec.message().c_str());
    accept_retry.expires_after(std::chrono::milliseconds(50));
    accept_retry.async_wait([this](beast::error_code wec) {
      if (!wec && !stopping.load()) do_accept();
    });
    return;
  }
  if (connections.load() >= options.max_connections) {
    beast::error_code ignored;
    socket.close(ignored);
  } else {
    connections.fetch_add(1);
    std::make_shared<ServerConnection>(std::move(socket), *this)->start();
  }
  do_accept();
}

void Server::Impl::schedule_sweep() {
  sweeper.expires_after(options.timer_resolution);
  sweeper.async_wait([this](beast::error_code ec) {
    if (ec || stopping.load()) return;
    sweep();
    schedule_sweep();
  });
}

void Server::Impl::sweep() {
  // Shedding is worth an operator's attention, once every few seconds at most.
  const auto wall = std::chrono::steady_clock::now();
  const std::uint64_t shed_now = shed.load(std::memory_order_relaxed);
  if (shed_now != shed_logged && wall - shed_log_at >= std::chrono::seconds{5}) {
    std::fprintf(stderr,
                 "frontdoor http: overloaded: %llu requests answered 503 since the last report "
                 "(at most %zu in flight, %lld ms queue wait)\n",
                 static_cast<unsigned long long>(shed_now - shed_logged), max_in_flight,
                 static_cast<long long>(options.max_queue_wait.count()));
    shed_logged = shed_now;
    shed_log_at = wall;
  }
  std::int64_t now = now_ticks();
  std::vector<std::shared_ptr<ServerConnection>> expired;
  {
    std::lock_guard lock(mu);
    for (auto& [ptr, weak] : sessions) {
      if (ptr->expired(now)) {
        if (auto s = weak.lock()) expired.push_back(std::move(s));
      }
    }
  }
  for (auto& s : expired) {
    auto executor = s->get_executor();
    net::post(executor, [s = std::move(s)] { s->on_deadline(); });
  }
}

namespace {

DispatchFn router_dispatch(std::shared_ptr<const Router> router) {
  if (!router) throw std::invalid_argument("Server needs a router");
  return [router = std::move(router)](Request& request) { return router->dispatch(request); };
}

DispatchFn handler_dispatch(Handler handler) {
  if (!handler) throw std::invalid_argument("Server needs a handler");
  return [handler = std::move(handler)](Request& request) -> Response {
    Result<Response> result = handler(request);
    if (result.ok()) return std::move(result).value();
    return error_response(request, result.error());
  };
}

}  // namespace

Server::Server(ServerOptions options, std::shared_ptr<const Router> router)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->dispatch = router_dispatch(std::move(router));
}

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->dispatch = handler_dispatch(std::move(handler));
}

Server::~Server() {
  stop();
}

unsigned short Server::start() {
  std::lock_guard lock(impl_->lifecycle_mu);
  if (impl_->started) return impl_->bound_port;
  auto& acceptor = impl_->acceptor;
  beast::error_code ec;
  auto address = net::ip::make_address(impl_->options.address, ec);
  if (ec) throw std::system_error(ec, "bad listen address " + impl_->options.address);
  tcp::endpoint endpoint(address, impl_->options.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor.close(ignored);
    throw std::system_error(ec, "cannot listen on " + impl_->options.address + ":" +
                                    std::to_string(impl_->options.port));
  }
  impl_->bound_port = acceptor.local_endpoint().port();
  impl_->started = true;

  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int io_threads = impl_->options.io_threads > 0 ? impl_->options.io_threads : cores;
  const int read_threads = impl_->options.threads > 0 ? impl_->options.threads : 2 * cores;
  const int write_threads = impl_->options.write_threads > 0 ? impl_->options.write_threads : cores;
  impl_->max_in_flight = impl_->options.max_in_flight > 0 ? impl_->options.max_in_flight
                                                          : 32 * static_cast<std::size_t>(cores);
  impl_->io_work.emplace(impl_->ioc.get_executor());
  impl_->reads.start(read_threads);
  impl_->writes.start(write_threads);
  impl_->priority.start(1);
  impl_->do_accept();
  impl_->schedule_sweep();
  for (int i = 0; i < io_threads; ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] { impl->ioc.run(); });
  }
  return impl_->bound_port;
}

void Server::stop() {
  std::lock_guard lock(impl_->lifecycle_mu);
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  impl_->stopping.store(true);

  Impl* impl = impl_.get();
  auto acceptor_closed = std::make_shared<std::promise<void>>();
  net::post(impl->acceptor.get_executor(), [impl, acceptor_closed] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    impl->accept_retry.cancel();
    acceptor_closed->set_value();
  });
  net::post(impl->sweeper.get_executor(), [impl] { impl->sweeper.cancel(); });
  auto post_to_sessions = [impl](bool force) {
    std::vector<std::shared_ptr<ServerConnection>> live;
    {
      std::lock_guard sessions_lock(impl->mu);
      for (auto& [ptr, weak] : impl->sessions) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live) {
      auto executor = s->get_executor();
      net::post(executor, [s = std::move(s), force] { s->on_server_stop(force); });
    }
  };
  auto wait_for_sessions = [impl](std::chrono::milliseconds limit) {
    std::unique_lock sessions_lock(impl->mu);
    return impl->cv.wait_for(sessions_lock, limit, [impl] { return impl->sessions.empty(); });
  };

  post_to_sessions(false);
  if (!wait_for_sessions(impl->options.shutdown_grace)) {
    post_to_sessions(true);
    wait_for_sessions(std::chrono::milliseconds(1000));
  }
  acceptor_closed->get_future().wait_for(std::chrono::milliseconds(1000));
  impl->io_work.reset();
  impl->ioc.stop();
  for (auto& t : impl->threads) {
    if (t.joinable()) t.join();
  }
  impl->threads.clear();
  impl->reads.stop();
  impl->writes.stop();
  impl->priority.stop();
}

unsigned short Server::port() const {
  return impl_->bound_port;
}

std::size_t Server::connection_count() const {
  return impl_->connections.load();
}

std::size_t Server::in_flight() const {
  return impl_->in_flight.load();
}

std::uint64_t Server::shed_count() const {
  return impl_->shed.load();
}

}  // namespace frontdoor::http
