#pragma once
// Outgoing e-mail: notifications to referrers (a decision was made on their
// contact). SmtpMailer speaks SMTP (RFC 5321) over a blocking-with-deadlines
// POSIX socket, optionally upgraded with STARTTLS (RFC 3207) and AUTH PLAIN
// (RFC 4616). Messages are RFC 5322 plain text in UTF-8.
//
// Failures are returned, never thrown. The error code says whether to retry:
//   kUnavailable  the server could not be reached, timed out, or answered 4xx
//                 (temporary): try again later
//   kValidation   the recipient address is malformed or was refused (5xx to
//                 RCPT): retrying will not help
//   kInternal     any other permanent refusal or a setting that cannot work
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace frontdoor::app {

struct SmtpConfig {
  std::string host = "127.0.0.1";
  unsigned short port = 25;
  std::string from;  // "frontdoor@council.example" or "MASH <frontdoor@council.example>"
  std::string helo_name = "frontdoor.local";
  std::chrono::seconds timeout{10};               // for connecting and for each reply
  std::optional<std::string> username, password;  // AUTH PLAIN; needs STARTTLS off loopback
  bool starttls = false;    // upgrade with STARTTLS and verify the server's certificate
  std::string tls_ca_file;  // PEM file of trusted CAs; empty: the system's store
};

struct EmailMessage {
  std::string to;  // one plain address: "name@example.org"
  std::string subject;
  std::string body;  // plain text, UTF-8; any line endings
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual Status send(const EmailMessage& message) = 0;
};

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpConfig config);
  SmtpMailer(SmtpConfig config, const Clock& clock);
  ~SmtpMailer() override;

  Status send(const EmailMessage& message) override;
  const SmtpConfig& config() const { return config_; }

 private:
  SmtpConfig config_;
  std::unique_ptr<Clock> own_clock_;
  const Clock& clock_;
};

// Writes each message as an .eml file into a folder (for development and
// demos without a mail server). File names sort by time. A file appears
// whole or not at all, and is on disk before send() returns.
class FileMailer final : public Mailer {
 public:
  FileMailer(std::filesystem::path folder, std::string from, const Clock& clock);
  Status send(const EmailMessage& message) override;

 private:
  std::filesystem::path folder_;
  std::string from_;
  const Clock& clock_;
};

// --- building blocks, public for tests and for FileMailer ------------------

// True for a plain ASCII address "local@domain" with nothing that could break
// out of a header or an SMTP command.
bool is_plain_email_address(std::string_view address);

// The whole RFC 5322 message (headers, blank line, body) with CRLF line
// endings, not yet dot-stuffed. `from` is a plain address or "Name <address>".
std::string compose_message(std::string_view from, const EmailMessage& message, Instant date,
                            std::string_view message_id);

// "Mon, 02 Mar 2026 09:00:00 +0000"
std::string rfc5322_date(Instant t);

// The header text for a Subject: as is when short ASCII, otherwise UTF-8 "B"
// encoded-words (RFC 2047) folded onto continuation lines.
std::string encode_subject(std::string_view subject);

// Quoted-printable (RFC 2045 §6.7) of text whose line breaks are CRLF.
std::string quoted_printable(std::string_view text);

// Doubles a '.' at the start of every line (RFC 5321 §4.5.2) of CRLF text.
std::string dot_stuff(std::string_view text);

}  // namespace frontdoor::app
