#pragma once
// A real SMTP server for tests: listens on 127.0.0.1 (port 0: the system picks
// one), speaks the server side of SMTP one connection at a time on its own
// thread, and keeps every message it accepts. It can also refuse recipients,
// stay silent (to test time-outs), offer STARTTLS with a throw-away
// self-signed certificate, and require AUTH PLAIN.
//
//   SmtpTestServer smtp;                      // plain SMTP
//   SmtpConfig config{.port = smtp.port(), .from = "mash@council.example"};
//   ... send ...
//   ASSERT_TRUE(smtp.wait_for(1, 2s));
//   smtp.messages()[0].header("Subject")
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace frontdoor::testing {

namespace smtp_detail {

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

inline std::string base64_decode(std::string_view text) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    if (c >= '0' && c <= '9') v = c - '0' + 52;
    if (c == '+') v = 62;
    if (c == '/') v = 63;
    if (v < 0) continue;  // '=' and anything else
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

inline std::string quoted_printable_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out.push_back(text[i]);
    } else if (i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') {
      i += 2;  // soft line break
    } else if (i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back('=');
    }
  }
  return out;
}

// Decodes RFC 2047 "=?UTF-8?B?...?=" words (and drops the folding between them).
inline std::string decode_encoded_words(std::string_view text) {
  std::string out;
  bool last_was_word = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto start = text.find("=?", i);
    if (start == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    const auto q1 = text.find('?', start + 2);
    const auto q2 = q1 == std::string_view::npos ? q1 : text.find('?', q1 + 1);
    const auto end = q2 == std::string_view::npos ? q2 : text.find("?=", q2 + 1);
    if (end == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    std::string_view between = text.substr(i, start - i);
    if (!(last_was_word && between.find_first_not_of(" \t\r\n") == std::string_view::npos)) {
      out += between;
    }
    const std::string enc = lower(text.substr(q1 + 1, q2 - q1 - 1));
    const std::string_view payload = text.substr(q2 + 1, end - q2 - 1);
    if (enc == "b") {
      out += base64_decode(payload);
    } else {
      std::string q(payload);
      for (char& c : q) {
        if (c == '_') c = ' ';
      }
      out += quoted_printable_decode(q);
    }
    last_was_word = true;
    i = end + 2;
  }
  return out;
}

// A self-signed certificate for 127.0.0.1 and localhost, as PEM.
struct TestCertificate {
  std::string cert_pem;
  std::string key_pem;
};

inline TestCertificate make_test_certificate() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  if (key == nullptr || x == nullptr) throw std::runtime_error("certificate generation failed");
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  X509_EXTENSION* san =
      X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  X509_add_ext(x, san, -1);
  X509_EXTENSION_free(san);
  X509_sign(x, key, EVP_sha256());
  auto to_pem = [](auto writer) {
    BIO* bio = BIO_new(BIO_s_mem());
    writer(bio);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    return pem;
  };
  TestCertificate out;
  out.cert_pem = to_pem([&](BIO* b) { PEM_write_bio_X509(b, x); });
  out.key_pem = to_pem(
      [&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
  X509_free(x);
  EVP_PKEY_free(key);
  return out;
}

}  // namespace smtp_detail

struct ReceivedMail {
  std::string helo;                  // the name given in EHLO/HELO
  std::string mail_from;             // the envelope sender, without <>
  std::vector<std::string> rcpt_to;  // the accepted envelope recipients
  std::string raw;                   // DATA as it arrived (dot-stuffed), without ".\r\n"
  std::string data;                  // DATA with the dot-stuffing undone
  bool tls = false;                  // sent after STARTTLS
  std::string auth_user;             // from AUTH PLAIN, if any

  std::string headers_text() const {
    const auto end = data.find("\r\n\r\n");
    return end == std::string::npos ? data : data.substr(0, end + 2);
  }
  // The first header of that name (case-insensitive), unfolded, or "".
  std::string header(std::string_view name) const {
    const std::string text = headers_text();
    const std::string wanted = smtp_detail::lower(name) + ":";
    std::size_t pos = 0;
    while (pos < text.size()) {
      auto eol = text.find("\r\n", pos);
      if (eol == std::string::npos) eol = text.size();
      std::string line = text.substr(pos, eol - pos);
      pos = eol + 2;
      while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) {
        auto next = text.find("\r\n", pos);
        if (next == std::string::npos) next = text.size();
        line += "\r\n" + text.substr(pos, next - pos);
        pos = next + 2;
      }
      if (smtp_detail::lower(line.substr(0, wanted.size())) == wanted) {
        std::string value = line.substr(wanted.size());
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        return value;
      }
    }
    return "";
  }
  // Subject with RFC 2047 encoded-words decoded.
  std::string subject() const { return smtp_detail::decode_encoded_words(header("Subject")); }
  // The body as sent (after the blank line), CRLF line endings.
  std::string raw_body() const {
    const auto end = data.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : data.substr(end + 4);
  }
  // The body with its Content-Transfer-Encoding undone.
  std::string body() const {
    if (smtp_detail::lower(header("Content-Transfer-Encoding")) == "quoted-printable") {
      return smtp_detail::quoted_printable_decode(raw_body());
    }
    return raw_body();
  }
};

struct SmtpTestServerOptions {
  std::vector<std::string> reject_recipients_containing;  // answered 550
  bool silent = false;          // accept connections and never say anything
  bool offer_starttls = false;  // advertise STARTTLS (with a self-signed certificate)
  bool require_tls = false;     // refuse MAIL before STARTTLS
  std::string auth_username;    // if set, require AUTH PLAIN with these
  std::string auth_password;
  int data_reply = 250;  // the reply to the end of DATA
};

class SmtpTestServer {
 public:
  explicit SmtpTestServer(SmtpTestServerOptions options = {}) : options_(std::move(options)) {
    std::signal(SIGPIPE, SIG_IGN);  // a client that vanishes must not kill the test
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener_ < 0) throw std::runtime_error("socket failed");
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 16) != 0) {
      ::close(listener_);
      throw std::runtime_error("bind/listen failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (options_.offer_starttls) setup_tls();
    thread_ = std::thread([this] { run(); });
  }

  ~SmtpTestServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    ::close(listener_);
    if (tls_ctx_ != nullptr) SSL_CTX_free(tls_ctx_);
    if (!ca_file_.empty()) {
      std::error_code ec;
      std::filesystem::remove(ca_file_, ec);
    }
  }
  SmtpTestServer(const SmtpTestServer&) = delete;
  SmtpTestServer& operator=(const SmtpTestServer&) = delete;

  unsigned short port() const { return port_; }
  // With offer_starttls: a PEM file holding the server's certificate, to trust.
  const std::string& ca_file() const { return ca_file_; }

  std::vector<ReceivedMail> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  // Every command line received, in order, across connections.
  std::vector<std::string> commands() {
    std::lock_guard lock(mutex_);
    return commands_;
  }
  int connections() {
    std::lock_guard lock(mutex_);
    return connections_;
  }
  // True once at least `count` messages have arrived.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
  }

 private:
  struct Conn {
    int fd = -1;
    SSL* ssl = nullptr;
    std::string buffer;
  };

  void setup_tls() {
    const auto cert = smtp_detail::make_test_certificate();
    tls_ctx_ = SSL_CTX_new(TLS_server_method());
    BIO* cb = BIO_new_mem_buf(cert.cert_pem.data(), static_cast<int>(cert.cert_pem.size()));
    X509* x = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
    BIO* kb = BIO_new_mem_buf(cert.key_pem.data(), static_cast<int>(cert.key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
    SSL_CTX_use_certificate(tls_ctx_, x);
    SSL_CTX_use_PrivateKey(tls_ctx_, key);
    X509_free(x);
    EVP_PKEY_free(key);
    BIO_free(cb);
    BIO_free(kb);
    ca_file_ =
        (std::filesystem::temp_directory_path() /
         ("smtp-test-ca-" + std::to_string(::getpid()) + "-" + std::to_string(port_) + ".pem"))
            .string();
    std::ofstream(ca_file_) << cert.cert_pem;
  }

  void run() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      {
        std::lock_guard lock(mutex_);
        ++connections_;
      }
      timeval tv{0, 50 * 1000};  // reads wake up often to notice stop_
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      Conn conn{fd, nullptr, {}};
      serve(conn);
      if (conn.ssl != nullptr) {
        SSL_shutdown(conn.ssl);
        SSL_free(conn.ssl);
      }
      ::close(fd);
    }
  }

  void send(Conn& c, std::string_view text) {
    std::string line(text);
    line += "\r\n";
    if (c.ssl != nullptr) {
      SSL_write(c.ssl, line.data(), static_cast<int>(line.size()));
    } else {
      (void)::send(c.fd, line.data(), line.size(), MSG_NOSIGNAL);
    }
  }

  // Reads until `needle` is in the buffer; false on close or stop.
  bool fill_until(Conn& c, std::string_view needle) {
    while (c.buffer.find(needle) == std::string::npos) {
      if (stop_) return false;
      char chunk[4096];
      long n = 0;
      if (c.ssl != nullptr) {
        n = SSL_read(c.ssl, chunk, sizeof chunk);
        if (n <= 0) {
          const int err = SSL_get_error(c.ssl, static_cast<int>(n));
          if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) continue;
          return false;
        }
      } else {
        n = ::recv(c.fd, chunk, sizeof chunk, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) continue;
        if (n <= 0) return false;
      }
      c.buffer.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
  }

  bool read_line(Conn& c, std::string& line) {
    if (!fill_until(c, "\r\n")) return false;
    const auto eol = c.buffer.find("\r\n");
    line = c.buffer.substr(0, eol);
    c.buffer.erase(0, eol + 2);
    std::lock_guard lock(mutex_);
    commands_.push_back(line);
    return true;
  }

  void serve(Conn& c) {
    if (options_.silent) {
      while (!stop_) {
        char chunk[256];
        const long n = ::recv(c.fd, chunk, sizeof chunk, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return;
      }
      return;
    }
    send(c, "220 test.smtp ESMTP ready");
    ReceivedMail mail;
    bool authenticated = options_.auth_username.empty();
    std::string line;
    while (read_line(c, line)) {
      const std::string verb = smtp_detail::lower(line.substr(0, line.find(' ')));
      if (verb == "ehlo" || verb == "helo") {
        mail = ReceivedMail{};
        mail.tls = c.ssl != nullptr;
        mail.helo = line.size() > 5 ? line.substr(5) : "";
        if (verb == "helo") {
          send(c, "250 test.smtp");
          continue;
        }
        send(c, "250-test.smtp greets " + mail.helo);
        send(c, "250-8BITMIME");
        if (options_.offer_starttls && c.ssl == nullptr) send(c, "250-STARTTLS");
        if (!options_.auth_username.empty()) send(c, "250-AUTH LOGIN PLAIN");
        send(c, "250 SIZE 10485760");
      } else if (verb == "starttls" && options_.offer_starttls && c.ssl == nullptr) {
        send(c, "220 Ready to start TLS");
        c.ssl = SSL_new(tls_ctx_);
        SSL_set_fd(c.ssl, c.fd);
        int rc = 0;
        while ((rc = SSL_accept(c.ssl)) <= 0) {
          const int err = SSL_get_error(c.ssl, rc);
          if (stop_ || (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)) return;
        }
        c.buffer.clear();
      } else if (verb == "auth") {
        const std::string expected_prefix = "AUTH PLAIN ";
        if (line.rfind(expected_prefix, 0) != 0) {
          send(c, "504 5.5.4 Unrecognized authentication type");
          continue;
        }
        const std::string decoded = smtp_detail::base64_decode(line.substr(expected_prefix.size()));
        const auto first = decoded.find('\0');
        const auto second = first == std::string::npos ? first : decoded.find('\0', first + 1);
        if (second != std::string::npos &&
            decoded.substr(first + 1, second - first - 1) == options_.auth_username &&
            decoded.substr(second + 1) == options_.auth_password) {
          authenticated = true;
          mail.auth_user = options_.auth_username;
          send(c, "235 2.7.0 Authentication successful");
        } else {
          send(c, "535 5.7.8 Authentication credentials invalid");
        }
      } else if (verb == "mail") {
        if (options_.require_tls && c.ssl == nullptr) {
          send(c, "530 5.7.0 Must issue a STARTTLS command first");
        } else if (!authenticated) {
          send(c, "530 5.7.0 Authentication required");
        } else {
          mail.mail_from = between_brackets(line);
          mail.rcpt_to.clear();
          send(c, "250 2.1.0 Ok");
        }
      } else if (verb == "rcpt") {
        const std::string to = between_brackets(line);
        bool rejected = false;
        for (const auto& bad : options_.reject_recipients_containing) {
          if (to.find(bad) != std::string::npos) rejected = true;
        }
        if (rejected) {
          send(c, "550 5.1.1 <" + to + ">: Recipient address rejected: User unknown");
        } else {
          mail.rcpt_to.push_back(to);
          send(c, "250 2.1.5 Ok");
        }
      } else if (verb == "data") {
        if (mail.rcpt_to.empty()) {
          send(c, "554 5.5.1 Error: no valid recipients");
          continue;
        }
        send(c, "354 End data with <CR><LF>.<CR><LF>");
        // The terminator may be the very first line (an empty message).
        c.buffer.insert(0, "\r\n");
        if (!fill_until(c, "\r\n.\r\n")) return;
        const auto end = c.buffer.find("\r\n.\r\n");
        mail.raw = c.buffer.substr(2, end);  // keeps the last line's CRLF
        c.buffer.erase(0, end + 5);
        mail.data = unstuff(mail.raw);
        if (options_.data_reply == 250) {
          send(c, "250 2.0.0 Ok: queued");
          std::lock_guard lock(mutex_);
          messages_.push_back(mail);
          cv_.notify_all();
        } else {
          send(c, std::to_string(options_.data_reply) + " Not this time");
        }
      } else if (verb == "rset") {
        mail.mail_from.clear();
        mail.rcpt_to.clear();
        send(c, "250 2.0.0 Ok");
      } else if (verb == "noop") {
        send(c, "250 2.0.0 Ok");
      } else if (verb == "quit") {
        send(c, "221 2.0.0 Bye");
        return;
      } else {
        send(c, "502 5.5.2 Error: command not recognized");
      }
    }
  }

  static std::string between_brackets(const std::string& line) {
    const auto open = line.find('<');
    const auto close = line.find('>', open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos) return "";
    return line.substr(open + 1, close - open - 1);
  }

  static std::string unstuff(const std::string& raw) {
    std::string out;
    bool line_start = true;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (line_start && raw[i] == '.') {
        line_start = false;
        continue;  // the first '.' of a stuffed line is dropped
      }
      out.push_back(raw[i]);
      line_start = raw[i] == '\n';
    }
    return out;
  }

  SmtpTestServerOptions options_;
  int listener_ = -1;
  unsigned short port_ = 0;
  SSL_CTX* tls_ctx_ = nullptr;
  std::string ca_file_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<ReceivedMail> messages_;
  std::vector<std::string> commands_;
  int connections_ = 0;
};

}  // namespace frontdoor::testing
