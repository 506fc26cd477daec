#pragma once
// The HTTP/1.1 server: Boost.Beast over Asio, asynchronous, keep-alive.
//
// Threading: `threads` io threads all run one io_context; every connection's
// operations run on its own strand, so one connection is never handled by two
// threads at once. Handlers run INLINE on the io thread that read the request.
// That keeps a request's work on one thread with no hand-off (fast for the
// common short handler), but a handler that blocks (on the SQLite database, say)
// holds that io thread meanwhile: size `threads` above the number of handlers
// you expect to block at once, so the rest keep serving.
//
// Timeouts are deadlines checked by one sweeper timer every timer_resolution
// (no timer is re-armed per request), so they fire up to that much late.
//
// Per connection: read the next request waiting at most idle_timeout for its
// first byte, then header_timeout for the rest of the header and body_timeout
// for the body; on expiry the connection is closed. Pipelined requests are
// answered in order. Bodies over max_body_bytes get 413, headers over
// max_header_bytes 431, anything unparsable 400 (each then closes the
// connection). Every response gets the security headers and a Date. The server
// owns message framing: Content-Length, Transfer-Encoding, Connection and Date
// set by a handler are ignored. A response header name that is not a token, or
// a value holding CR/LF/NUL, turns the response into a logged 500.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "http/router.hpp"
#include "http/security_headers.hpp"

namespace frontdoor::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 0;  // 0: any free port; start() returns it
  int threads = 0;          // io threads; 0: std::thread::hardware_concurrency()
  std::size_t max_body_bytes = 10 << 20;
  std::size_t max_header_bytes = 16 << 10;
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds header_timeout{15};
  std::chrono::seconds body_timeout{60};            // also bounds writing a response
  std::size_t max_connections = 10000;              // further connections are closed at once
  std::chrono::milliseconds timer_resolution{250};  // how often timeouts are checked
  std::chrono::milliseconds shutdown_grace{5000};   // stop() waits this long for busy handlers
  bool access_log = false;         // one line per request to stderr (costs throughput)
  SecurityHeaderOptions security;  // hsts = true only behind TLS
};

class Server {
 public:
  Server(ServerOptions options, std::shared_ptr<const Router> router);
  // A single handler instead of a Router; its Errors go through error_response().
  Server(ServerOptions options, Handler handler);
  ~Server();  // stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens (port 0 = a free port), starts the io threads and returns
  // the bound port. Throws std::system_error when the address cannot be bound.
  unsigned short start();

  // Graceful: stops accepting, closes idle connections at once, lets requests
  // being handled finish (their responses say Connection: close) for up to
  // shutdown_grace, then closes everything and joins the threads. Idempotent.
  // Call it from outside the io threads (never from a handler). A stopped
  // Server does not start again; make a new one.
  void stop();

  unsigned short port() const;
  std::size_t connection_count() const;

  struct Impl;  // opaque; public only so the connection class in server.cpp can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace frontdoor::http
