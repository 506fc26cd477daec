#pragma once
// The HTTP/1.1 server: Boost.Beast over Asio, asynchronous, keep-alive.
//
// Threading: `io_threads` I/O threads all run one io_context; every
// connection's operations run on its own strand, so one connection is never
// handled by two threads at once. The I/O threads only read, parse and write:
// a complete request is handed to a pool of handler threads, and its response
// comes back to the connection's strand to be written. Requests with a safe
// method (GET, HEAD, OPTIONS) go to `threads` threads, every other one to
// `write_threads` threads of its own, so writes waiting for the database's one
// writer (a slow disk flush, say) never hold every thread while reads could
// be served. A handler that blocks holds a handler thread, never an I/O
// thread, so the server keeps reading, answering health checks and refusing
// excess work however slow the handlers are.
//
// Load shedding: at most max_in_flight requests are admitted at once (running
// in a handler or waiting for a handler thread). A request beyond that is
// answered at once on the I/O thread with 503 and Retry-After (the kUnavailable
// mapping of errors.cpp, without the renderer, so it costs no database work)
// and the connection stays open; so is an admitted request that waited longer
// than max_queue_wait for a handler thread. Requests for `priority_paths`
// (/healthz) are never counted, queued behind other work or shed: they have a
// handler thread of their own, so they answer under overload, and one stuck
// on a hung database holds up nothing else. The server recovers by itself: as
// soon as the admitted work drains, new requests are admitted again.
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
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/router.hpp"
#include "http/security_headers.hpp"

namespace frontdoor::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 0;  // 0: any free port; start() returns it
  int threads = 0;          // handler threads for GET, HEAD, OPTIONS; 0: two per core
  int write_threads = 0;    // handler threads for other methods; 0: one per core
  int io_threads = 0;       // I/O threads; 0: one per core
  // Load shedding (see above). max_in_flight 0: 32 per core. max_queue_wait 0:
  // no limit on the wait. retry_after: the Retry-After of a shed request.
  std::size_t max_in_flight = 0;
  std::chrono::milliseconds max_queue_wait{500};
  std::chrono::seconds retry_after{1};
  std::vector<std::string> priority_paths = {"/healthz"};  // exact paths; never queued or shed
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
  // Requests admitted and not yet answered by their handler (running or queued).
  std::size_t in_flight() const;
  // Requests answered with 503 by load shedding since start().
  std::uint64_t shed_count() const;

  struct Impl;  // opaque; public only so the connection class in server.cpp can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace frontdoor::http
