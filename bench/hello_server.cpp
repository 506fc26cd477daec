// A minimal frontdoor::http server for load-testing the HTTP layer alone:
//   hello_server [port] [io-threads]   then e.g.  wrk -t2 -c128 -d5s http://127.0.0.1:PORT/healthz
// GET /healthz answers "ok" through the full Router (security headers included),
// on the server's one priority thread (ServerOptions::priority_paths), handed
// each request by the I/O threads, whose number is the argument.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "http/server.hpp"

int main(int argc, char** argv) {
  using namespace frontdoor::http;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // the io threads inherit the mask

  auto router = std::make_shared<Router>();
  router->get("/healthz",
              [](Request&) -> frontdoor::Result<Response> { return Response::text("ok"); });
  ServerOptions options;
  options.port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 8080);
  options.io_threads = argc > 2 ? std::atoi(argv[2]) : 0;
  Server server(options, router);
  unsigned short port = server.start();
  std::printf("listening on 127.0.0.1:%u\n", port);
  std::fflush(stdout);

  int received = 0;
  sigwait(&signals, &received);
  server.stop();
  return 0;
}
