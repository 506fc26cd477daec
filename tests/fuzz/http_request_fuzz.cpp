// Raw HTTP/1.1 requests to the real server: Beast's parser with our limits,
// pipelining, 100-continue, path decoding, the router, the gate and the
// pages, over a loopback connection to an http::Server serving the whole
// application (FuzzApp).
//
// Input: the bytes a client sends, through FuzzApp::substitute() (so
// "Cookie: fd_session=@worker-session@" is a live session). The harness
// sends them on a new connection, closes its sending side and reads until the
// server closes.
//
// Properties, beyond FuzzApp::check_response on every response the router
// makes (no 5xx, redirects stay on our site, ...):
// - the server closes the connection within 5 seconds of the client's end
//   (no request leaves it waiting);
// - what comes back is a sequence of well-framed HTTP/1.x responses (status
//   line, headers, then exactly Content-Length bytes of body, or none for a
//   HEAD, a 1xx, 204 or 304), none of them a 5xx.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_app.hpp"
#include "fuzz_support.hpp"
#include "http/server.hpp"

using frontdoor::fuzz::FuzzApp;

namespace {

// The application's router behind FuzzApp::dispatch(), which checks every
// response before the server writes it. Never destroyed: libFuzzer exits
// without unwinding.
frontdoor::http::Server* server = nullptr;

unsigned short server_port() {
  static const unsigned short port = [] {
    frontdoor::http::ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.header_timeout = std::chrono::seconds{2};
    options.body_timeout = std::chrono::seconds{2};
    server = new frontdoor::http::Server(
        options,
        [](frontdoor::http::Request& request) -> frontdoor::Result<frontdoor::http::Response> {
          return FuzzApp::instance().dispatch(request);
        });
    return server->start();
  }();
  return port;
}

class Connection {
 public:
  Connection() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    FD_FUZZ_CHECK(fd_ >= 0, "socket()");
    // The client closes first, so every input leaves a connection in
    // TIME_WAIT for a minute: from one source address the ephemeral ports
    // ran out after a few runs (connect() failed). Each connection comes from
    // the next of 250 loopback addresses instead.
    static unsigned next_source = 0;
    sockaddr_in source{};
    source.sin_family = AF_INET;
    source.sin_addr.s_addr = htonl(0x7F000101U + (next_source++ % 250));  // 127.0.1.1-250
    FD_FUZZ_CHECK(::bind(fd_, reinterpret_cast<sockaddr*>(&source), sizeof source) == 0,
                  std::string("bind(): ") + std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(server_port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    FD_FUZZ_CHECK(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0,
                  std::string("connect() to the server: ") + std::strerror(errno));
  }
  ~Connection() { ::close(fd_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends what the server will take (it may answer and close early).
  void send_all(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  void finish_sending() { ::shutdown(fd_, SHUT_WR); }

  // Everything until the server closes; fails after 5 s without progress.
  std::string receive_all(std::string_view sent) {
    std::string out;
    char buffer[16384];
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      const int ready = ::poll(&p, 1, 5000);
      FD_FUZZ_CHECK(ready != 0, "the server kept the connection open after the client's end: " +
                                    std::string(sent.substr(0, 400)));
      if (ready < 0 && errno == EINTR) continue;
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return out;  // closed (or reset after an error reply)
      out.append(buffer, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::size_t content_length(std::string_view head) {
  std::size_t at = 0;
  while ((at = head.find("\r\n", at)) != std::string_view::npos) {
    at += 2;
    constexpr std::string_view kName = "content-length:";
    if (head.size() - at < kName.size()) break;
    bool match = true;
    for (std::size_t i = 0; i < kName.size(); ++i) {
      char c = head[at + i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != kName[i]) match = false;
    }
    if (!match) continue;
    std::size_t value_at = at + kName.size();
    while (value_at < head.size() && head[value_at] == ' ') ++value_at;
    std::size_t length = 0;
    std::from_chars(head.data() + value_at, head.data() + head.size(), length);
    return length;
  }
  return 0;
}

void check_responses(std::string_view received, std::string_view sent) {
  const std::string context = "sent: " + std::string(sent.substr(0, 400)) +
                              "\n  received: " + std::string(received.substr(0, 400));
  while (!received.empty()) {
    FD_FUZZ_CHECK(starts_with(received, "HTTP/1.1 ") || starts_with(received, "HTTP/1.0 "),
                  context);
    const std::size_t end = received.find("\r\n\r\n");
    FD_FUZZ_CHECK(end != std::string_view::npos, context);
    const std::string_view head = received.substr(0, end + 2);
    int status = 0;
    std::from_chars(head.data() + 9, head.data() + head.size(), status);
    FD_FUZZ_CHECK(status >= 100 && status < 500, context);
    received.remove_prefix(end + 4);
    if (status < 200 || status == 204 || status == 304) continue;
    const std::size_t length = content_length(head);
    // A HEAD response has the length of the body it does not send.
    const bool body_follows =
        received.size() >= length &&
        (received.size() == length || starts_with(received.substr(length), "HTTP/1."));
    const bool head_response = received.empty() || starts_with(received, "HTTP/1.");
    FD_FUZZ_CHECK(body_follows || head_response, context);
    if (body_follows) received.remove_prefix(length);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  server_port();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes = FuzzApp::instance().substitute(frontdoor::fuzz::as_text(data, size));
  Connection connection;
  connection.send_all(bytes);
  connection.finish_sending();
  check_responses(connection.receive_all(bytes), bytes);
  return 0;
}
