#include "app/mailer.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <system_error>
#include <vector>

#include "core/crypto.hpp"

namespace frontdoor::app {
namespace {

using SteadyTime = std::chrono::steady_clock::time_point;

constexpr std::size_t kMaxReplyLine = 4096;
constexpr int kMaxReplyLines = 200;

// Writes `text` to `file` so that nobody reading the folder ever sees part
// of it, and so that once this returns true the file survives a crash or a
// power cut (the outbox then records the e-mail as sent, and never sends it
// again): into a hidden file beside it, flushed to disk, renamed into place,
// and the rename flushed. On any failure the hidden file is removed.
bool write_whole_file(const std::filesystem::path& file, const std::string& text) {
  const std::filesystem::path partial =
      file.parent_path() / ("." + file.filename().string() + ".partial");
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return false;
  bool ok = true;
  for (std::size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  ok = ok && ::rename(partial.c_str(), file.c_str()) == 0;
  if (!ok) {
    ::unlink(partial.c_str());
    return false;
  }
  const int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return false;
  ok = ::fsync(dir) == 0;
  ::close(dir);
  return ok;
}

Error unreachable() {
  return Error::unavailable("The e-mail server could not be reached");
}
Error timed_out() {
  return Error::unavailable("The e-mail server did not answer in time");
}
Error dropped() {
  return Error::unavailable("The e-mail server closed the connection");
}

std::string base64_standard(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()),
                                static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool has_line_break(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

// The address inside "Name <address>", or the whole text.
std::string_view envelope_address(std::string_view from) {
  const auto open = from.rfind('<');
  const auto close = from.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return from.substr(open + 1, close - open - 1);
  }
  return from;
}

// Any line ending (CRLF, LF, CR) becomes CRLF.
std::string normalise_line_endings(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

bool is_ip_literal(const std::string& host) {
  in_addr v4{};
  in6_addr v6{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 || inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

int remaining_ms(SteadyTime deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

struct Reply {
  int code = 0;
  std::vector<std::string> lines;  // text after "ddd-" / "ddd "
  std::string summary() const {
    return std::to_string(code) + (lines.empty() ? std::string() : " " + lines.back());
  }
};

struct SslDeleter {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};

// One SMTP connection: a non-blocking socket, every wait bounded by poll(),
// and (after STARTTLS) TLS through memory BIOs so that all socket writes use
// MSG_NOSIGNAL and all waits keep the deadline.
class Connection {
 public:
  explicit Connection(std::chrono::milliseconds timeout) : timeout_(timeout) {}
  ~Connection() {
    ssl_.reset();
    ctx_.reset();
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Status connect(const std::string& host, unsigned short port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr) {
      return unreachable();
    }
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, &::freeaddrinfo);
    const SteadyTime deadline = std::chrono::steady_clock::now() + timeout_;
    bool timed_out_once = false;
    for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
      const int fd =
          ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd < 0) continue;
      int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
      if (rc != 0 && errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        rc = ::poll(&p, 1, remaining_ms(deadline));
        if (rc == 1) {
          int err = 0;
          socklen_t len = sizeof err;
          rc = (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) ? 0 : -1;
        } else {
          if (rc == 0) timed_out_once = true;
          rc = -1;
        }
      }
      if (rc == 0) {
        fd_ = fd;
        return ok_status();
      }
      ::close(fd);
    }
    return timed_out_once ? timed_out() : unreachable();
  }

  // Sends a whole command or message.
  Status write(std::string_view data) {
    const SteadyTime deadline = std::chrono::steady_clock::now() + timeout_;
    if (!ssl_) return write_raw(data, deadline);
    while (!data.empty()) {
      const int n = SSL_write(ssl_.get(), data.data(), static_cast<int>(data.size()));
      FD_TRY(flush_tls(deadline));
      if (n > 0) {
        data.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      if (SSL_get_error(ssl_.get(), n) != SSL_ERROR_WANT_READ) return dropped();
      FD_TRY(feed_tls(deadline));
    }
    return ok_status();
  }

  // One SMTP reply, possibly multi-line ("250-..." lines then "250 ...").
  Result<Reply> read_reply() {
    const SteadyTime deadline = std::chrono::steady_clock::now() + timeout_;
    Reply reply;
    for (int count = 0; count < kMaxReplyLines; ++count) {
      FD_ASSIGN_OR_RETURN(std::string line, read_line(deadline));
      if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
          !std::isdigit(static_cast<unsigned char>(line[1])) ||
          !std::isdigit(static_cast<unsigned char>(line[2])) ||
          (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
        return Error::unavailable("The e-mail server sent a reply that could not be read");
      }
      const int code = std::stoi(line.substr(0, 3));
      if (count > 0 && code != reply.code) {
        return Error::unavailable("The e-mail server sent a reply that could not be read");
      }
      reply.code = code;
      reply.lines.push_back(line.size() > 4 ? line.substr(4) : std::string());
      if (line.size() == 3 || line[3] == ' ') return reply;
    }
    return Error::unavailable("The e-mail server sent a reply that could not be read");
  }

  // Upgrades to TLS after "220 Ready to start TLS"; verifies the certificate
  // against `host` (name or IP address).
  Status start_tls(const std::string& host, const std::string& ca_file) {
    ctx_.reset(SSL_CTX_new(TLS_client_method()));
    if (!ctx_) return Error::internal("TLS could not be set up for the e-mail server");
    SSL_CTX_set_min_proto_version(ctx_.get(), TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx_.get(), SSL_VERIFY_PEER, nullptr);
    const int loaded = ca_file.empty()
                           ? SSL_CTX_set_default_verify_paths(ctx_.get())
                           : SSL_CTX_load_verify_locations(ctx_.get(), ca_file.c_str(), nullptr);
    if (loaded != 1) return Error::internal("The trusted certificates could not be loaded");
    ssl_.reset(SSL_new(ctx_.get()));
    if (!ssl_) return Error::internal("TLS could not be set up for the e-mail server");
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_.get());
    if (is_ip_literal(host)) {
      if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {
        return Error::internal("TLS could not be set up for the e-mail server");
      }
    } else {
      // SSL_set_tlsext_host_name() spelled out: the macro uses a C cast.
      if (SSL_ctrl(ssl_.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                   const_cast<char*>(host.c_str())) != 1 ||
          SSL_set1_host(ssl_.get(), host.c_str()) != 1) {
        return Error::internal("TLS could not be set up for the e-mail server");
      }
    }
    rbio_ = BIO_new(BIO_s_mem());
    wbio_ = BIO_new(BIO_s_mem());
    if (rbio_ == nullptr || wbio_ == nullptr) {
      BIO_free(rbio_);
      BIO_free(wbio_);
      return Error::internal("TLS could not be set up for the e-mail server");
    }
    SSL_set_bio(ssl_.get(), rbio_, wbio_);  // the SSL owns both from here
    SSL_set_connect_state(ssl_.get());
    // Bytes already read past the 220 line would be a protocol violation
    // (and an injection risk): refuse them.
    if (!buffer_.empty()) return Error::unavailable("The e-mail server broke the TLS protocol");
    const SteadyTime deadline = std::chrono::steady_clock::now() + timeout_;
    for (;;) {
      const int rc = SSL_do_handshake(ssl_.get());
      FD_TRY(flush_tls(deadline));
      if (rc == 1) return ok_status();
      if (SSL_get_error(ssl_.get(), rc) != SSL_ERROR_WANT_READ) {
        ERR_clear_error();
        return Error::unavailable("A secure connection to the e-mail server could not be made");
      }
      FD_TRY(feed_tls(deadline));
    }
  }

  bool secure() const { return ssl_ != nullptr; }

 private:
  Status wait(short events, SteadyTime deadline) {
    for (;;) {
      pollfd p{fd_, events, 0};
      const int rc = ::poll(&p, 1, remaining_ms(deadline));
      if (rc > 0) return ok_status();
      if (rc == 0) return timed_out();
      if (errno != EINTR) return dropped();
    }
  }

  Status write_raw(std::string_view data, SteadyTime deadline) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(static_cast<std::size_t>(n));
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        FD_TRY(wait(POLLOUT, deadline));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        return dropped();
      }
    }
    return ok_status();
  }

  // Up to one buffer of bytes from the socket; an error on end of stream.
  Result<std::string> read_raw(SteadyTime deadline) {
    std::array<char, 4096> chunk{};
    for (;;) {
      const ssize_t n = ::recv(fd_, chunk.data(), chunk.size(), 0);
      if (n > 0) return std::string(chunk.data(), static_cast<std::size_t>(n));
      if (n == 0) return dropped();
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        FD_TRY(wait(POLLIN, deadline));
      } else if (errno != EINTR) {
        return dropped();
      }
    }
  }

  // Sends whatever TLS has queued for the peer.
  Status flush_tls(SteadyTime deadline) {
    std::array<char, 4096> chunk{};
    while (BIO_ctrl_pending(wbio_) > 0) {
      const int n = BIO_read(wbio_, chunk.data(), static_cast<int>(chunk.size()));
      if (n <= 0) break;
      FD_TRY(write_raw(std::string_view(chunk.data(), static_cast<std::size_t>(n)), deadline));
    }
    return ok_status();
  }

  // Gives TLS the next bytes from the peer.
  Status feed_tls(SteadyTime deadline) {
    FD_ASSIGN_OR_RETURN(std::string bytes, read_raw(deadline));
    if (BIO_write(rbio_, bytes.data(), static_cast<int>(bytes.size())) !=
        static_cast<int>(bytes.size())) {
      return dropped();
    }
    return ok_status();
  }

  // Plain text from the connection, through TLS when it is on.
  Result<std::string> read_some(SteadyTime deadline) {
    if (!ssl_) return read_raw(deadline);
    std::array<char, 4096> chunk{};
    for (;;) {
      const int n = SSL_read(ssl_.get(), chunk.data(), static_cast<int>(chunk.size()));
      FD_TRY(flush_tls(deadline));
      if (n > 0) return std::string(chunk.data(), static_cast<std::size_t>(n));
      if (SSL_get_error(ssl_.get(), n) != SSL_ERROR_WANT_READ) {
        ERR_clear_error();
        return dropped();
      }
      FD_TRY(feed_tls(deadline));
    }
  }

  // A line without its CRLF (a bare LF is accepted too).
  Result<std::string> read_line(SteadyTime deadline) {
    for (;;) {
      const auto eol = buffer_.find('\n');
      if (eol != std::string::npos) {
        std::string line = buffer_.substr(0, eol);
        buffer_.erase(0, eol + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
      }
      if (buffer_.size() > kMaxReplyLine) {
        return Error::unavailable("The e-mail server sent a reply that could not be read");
      }
      FD_ASSIGN_OR_RETURN(std::string more, read_some(deadline));
      buffer_ += more;
    }
  }

  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  std::string buffer_;
  std::unique_ptr<SSL_CTX, SslDeleter> ctx_;
  std::unique_ptr<SSL, SslDeleter> ssl_;
  BIO* rbio_ = nullptr;  // owned by ssl_
  BIO* wbio_ = nullptr;  // owned by ssl_
};

// What EHLO told us the server can do.
struct Capabilities {
  bool starttls = false;
  bool auth_plain = false;
};

Capabilities parse_ehlo(const Reply& reply) {
  Capabilities caps;
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {  // line 0 is the greeting
    std::string upper = reply.lines[i];
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == "STARTTLS") caps.starttls = true;
    if (upper.rfind("AUTH", 0) == 0 && (upper.size() == 4 || upper[4] == ' ' || upper[4] == '=')) {
      // The mechanisms follow, separated by spaces: "AUTH LOGIN PLAIN".
      std::string_view rest =
          std::string_view(upper).substr(std::min<std::size_t>(5, upper.size()));
      while (!rest.empty()) {
        const auto space = rest.find(' ');
        if (rest.substr(0, space) == "PLAIN") caps.auth_plain = true;
        if (space == std::string_view::npos) break;
        rest.remove_prefix(space + 1);
      }
    }
  }
  return caps;
}

// Maps an unexpected reply to the error the caller should see.
Error refused(const Reply& reply, std::string_view what) {
  if (reply.code >= 400 && reply.code < 500) {
    return Error::unavailable("The e-mail server is busy and could not take the message (" +
                              std::to_string(reply.code) + "): try again later");
  }
  return Error::internal("The e-mail server refused " + std::string(what) + " (" + reply.summary() +
                         ")");
}

class Session {
 public:
  Session(Connection& conn) : conn_(conn) {}  // NOLINT(google-explicit-constructor)

  Result<Reply> command(std::string_view line) {
    std::string text(line);
    text += "\r\n";
    FD_TRY(conn_.write(text));
    return conn_.read_reply();
  }

  Result<Reply> expect(std::string_view line, int wanted, std::string_view what) {
    FD_ASSIGN_OR_RETURN(Reply reply, command(line));
    if (reply.code != wanted) return refused(reply, what);
    return reply;
  }

  Result<Capabilities> hello(const std::string& name) {
    FD_ASSIGN_OR_RETURN(Reply reply, command("EHLO " + name));
    if (reply.code == 250) return parse_ehlo(reply);
    if (reply.code >= 500) {
      // A server from before ESMTP.
      FD_ASSIGN_OR_RETURN(Reply helo, command("HELO " + name));
      if (helo.code == 250) return Capabilities{};
      return refused(helo, "the greeting");
    }
    return refused(reply, "the greeting");
  }

 private:
  Connection& conn_;
};

std::string two_digits(unsigned v) {
  std::string s = std::to_string(v);
  return s.size() < 2 ? "0" + s : s;
}

// Soft-wraps one CRLF-free line of quoted-printable output at 76 characters.
void append_qp_line(std::string& out, std::string_view line) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::size_t col = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto b = static_cast<unsigned char>(line[i]);
    const bool last = i + 1 == line.size();
    std::string piece;
    if ((b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !last)) {
      piece.push_back(static_cast<char>(b));
    } else {
      piece = {'=', kHex[b >> 4], kHex[b & 0x0f]};
    }
    // Keep room for the '=' of a soft break on this line.
    if (col + piece.size() > 75) {
      out += "=\r\n";
      col = 0;
    }
    out += piece;
    col += piece.size();
  }
}

bool needs_transfer_encoding(std::string_view crlf_text) {
  if (!is_ascii(crlf_text)) return true;
  std::size_t line_start = 0;
  for (;;) {
    const auto eol = crlf_text.find("\r\n", line_start);
    const std::size_t end = eol == std::string_view::npos ? crlf_text.size() : eol;
    if (end - line_start > 998) return true;
    if (eol == std::string_view::npos) return false;
    line_start = eol + 2;
  }
}

}  // namespace

// ---------------------------------------------------------------------------

bool is_plain_email_address(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size() || at > 64) return false;
  for (char c : address) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7f) return false;
    if (std::string_view("<>()[],;:\\\"").find(c) != std::string_view::npos) return false;
  }
  const std::string_view domain = address.substr(at + 1);
  if (domain.find('@') != std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return false;
  }
  return true;
}

std::string rfc5322_date(Instant t) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::weekday wd{day};
  const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
  std::string out;
  out += kDays[wd.c_encoding()];
  out += ", ";
  out += two_digits(static_cast<unsigned>(ymd.day()));
  out += ' ';
  out += kMonths[static_cast<unsigned>(ymd.month()) - 1];
  out += ' ';
  out += std::to_string(static_cast<int>(ymd.year()));
  out += ' ';
  out += two_digits(static_cast<unsigned>(hms.hours().count()));
  out += ':';
  out += two_digits(static_cast<unsigned>(hms.minutes().count()));
  out += ':';
  out += two_digits(static_cast<unsigned>(hms.seconds().count()));
  out += " +0000";
  return out;
}

std::string encode_subject(std::string_view subject) {
  // "Subject: " takes 9 of the 78 recommended columns.
  // Control characters (CR and LF above all: header injection) are only ever
  // sent inside encoded-words.
  const bool plain = is_ascii(subject) && subject.size() <= 69 &&
                     std::none_of(subject.begin(), subject.end(), [](char c) {
                       return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
                     });
  if (plain) return std::string(subject);
  // Encoded-words: "=?UTF-8?B?" + base64 + "?=". Each folded line is at most
  // 78 characters: the first shares its line with "Subject: " so it holds 42
  // bytes (56 base64), the rest 45 bytes (60 base64, a 75-character word).
  // A UTF-8 sequence is never split between two words.
  std::string out;
  std::size_t i = 0;
  while (i < subject.size()) {
    const std::size_t room = out.empty() ? 42 : 45;
    std::size_t end = std::min(subject.size(), i + room);
    while (end < subject.size() && end > i &&
           (static_cast<unsigned char>(subject[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (end == i) end = std::min(subject.size(), i + room);  // not UTF-8: split anyway
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?";
    out += base64_standard(subject.substr(i, end - i));
    out += "?=";
    i = end;
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  std::size_t line_start = 0;
  for (;;) {
    const auto eol = text.find("\r\n", line_start);
    const std::size_t end = eol == std::string_view::npos ? text.size() : eol;
    append_qp_line(out, text.substr(line_start, end - line_start));
    if (eol == std::string_view::npos) break;
    out += "\r\n";
    line_start = eol + 2;
  }
  return out;
}

std::string dot_stuff(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  bool line_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (line_start && text[i] == '.') out.push_back('.');
    out.push_back(text[i]);
    line_start = text[i] == '\n' && i > 0 && text[i - 1] == '\r';
  }
  return out;
}

std::string compose_message(std::string_view from, const EmailMessage& message, Instant date,
                            std::string_view message_id) {
  const std::string body = normalise_line_endings(message.body);
  const bool encode = needs_transfer_encoding(body);
  std::string out;
  out += "Date: " + rfc5322_date(date) + "\r\n";
  out += "From: " + std::string(from) + "\r\n";
  out += "To: " + message.to + "\r\n";
  out += "Subject: " + encode_subject(message.subject) + "\r\n";
  out += "Message-ID: <" + std::string(message_id) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += encode ? "Content-Transfer-Encoding: quoted-printable\r\n"
                : "Content-Transfer-Encoding: 7bit\r\n";
  out += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no auto-replies, please
  out += "\r\n";
  out += encode ? quoted_printable(body) : body;
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

// ---------------------------------------------------------------------------

SmtpMailer::SmtpMailer(SmtpConfig config)
    : config_(std::move(config)),
      own_clock_(std::make_unique<SystemClock>()),
      clock_(*own_clock_) {}

SmtpMailer::SmtpMailer(SmtpConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

SmtpMailer::~SmtpMailer() = default;

Status SmtpMailer::send(const EmailMessage& message) {
  if (!is_plain_email_address(message.to)) {
    return Error::field("email",
                        "Enter an email address in the correct format, like name@example.com");
  }
  const std::string_view sender = envelope_address(config_.from);
  if (!is_plain_email_address(sender) || has_line_break(config_.from) || !is_ascii(config_.from)) {
    return Error::internal("The sender address for e-mails is not set correctly");
  }
  if (has_line_break(config_.helo_name) || config_.helo_name.empty()) {
    return Error::internal("The name this service gives the e-mail server is not set correctly");
  }
  if (config_.username && !config_.starttls && !is_loopback(config_.host)) {
    return Error::internal("E-mail server passwords are only sent over STARTTLS");
  }
  const auto domain_at = sender.rfind('@');
  const std::string message_id = random_token(18) + "@" + std::string(sender.substr(domain_at + 1));
  const std::string data =
      dot_stuff(compose_message(config_.from, message, clock_.now(), message_id)) + ".\r\n";

  Connection conn(std::chrono::duration_cast<std::chrono::milliseconds>(config_.timeout));
  FD_TRY(conn.connect(config_.host, config_.port));
  Session smtp(conn);
  FD_ASSIGN_OR_RETURN(Reply greeting, conn.read_reply());
  if (greeting.code != 220) return refused(greeting, "the connection");
  FD_ASSIGN_OR_RETURN(Capabilities caps, smtp.hello(config_.helo_name));
  if (config_.starttls) {
    if (!caps.starttls) {
      return Error::unavailable("The e-mail server does not offer a secure connection");
    }
    FD_TRY(smtp.expect("STARTTLS", 220, "a secure connection"));
    FD_TRY(conn.start_tls(config_.host, config_.tls_ca_file));
    FD_ASSIGN_OR_RETURN(caps, smtp.hello(config_.helo_name));  // forget what was said in clear
  }
  if (config_.username) {
    if (!caps.auth_plain) return Error::internal("The e-mail server does not offer AUTH PLAIN");
    std::string credentials;
    credentials.push_back('\0');
    credentials += *config_.username;
    credentials.push_back('\0');
    credentials += config_.password.value_or("");
    FD_ASSIGN_OR_RETURN(Reply auth, smtp.command("AUTH PLAIN " + base64_standard(credentials)));
    if (auth.code != 235) {
      if (auth.code >= 400 && auth.code < 500) return refused(auth, "the sign-in");
      return Error::internal(
          "The e-mail server did not accept this service's username and password");
    }
  }
  FD_TRY(smtp.expect("MAIL FROM:<" + std::string(sender) + ">", 250, "the sender"));
  FD_ASSIGN_OR_RETURN(Reply rcpt, smtp.command("RCPT TO:<" + message.to + ">"));
  if (rcpt.code != 250 && rcpt.code != 251) {
    if (rcpt.code >= 500) {
      return Error::field("email", "The e-mail server would not accept the address " + message.to);
    }
    return refused(rcpt, "the recipient");
  }
  FD_TRY(smtp.expect("DATA", 354, "the message"));
  FD_TRY(conn.write(data));
  FD_ASSIGN_OR_RETURN(Reply accepted, conn.read_reply());
  if (accepted.code != 250) return refused(accepted, "the message");
  // The message is delivered; a failed QUIT does not change that.
  (void)smtp.command("QUIT");
  return ok_status();
}

// ---------------------------------------------------------------------------

FileMailer::FileMailer(std::filesystem::path folder, std::string from, const Clock& clock)
    : folder_(std::move(folder)), from_(std::move(from)), clock_(clock) {}

Status FileMailer::send(const EmailMessage& message) {
  if (!is_plain_email_address(message.to)) {
    return Error::field("email",
                        "Enter an email address in the correct format, like name@example.com");
  }
  std::error_code ec;
  std::filesystem::create_directories(folder_, ec);
  if (ec) return Error::unavailable("The folder for e-mails could not be created");
  const Instant now = clock_.now();
  const std::string token = random_token(9);
  const std::string_view sender = envelope_address(from_);
  const auto at = sender.rfind('@');
  const std::string domain =
      at == std::string_view::npos ? "frontdoor.local" : std::string(sender.substr(at + 1));
  const std::string text = compose_message(from_, message, now, token + "@" + domain);
  const std::filesystem::path file =
      folder_ / (std::to_string(now.time_since_epoch().count()) + "-" + token + ".eml");
  if (!write_whole_file(file, text)) return Error::unavailable("The e-mail could not be written");
  return ok_status();
}

}  // namespace frontdoor::app
