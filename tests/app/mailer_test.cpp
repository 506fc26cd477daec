#include "app/mailer.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/smtp_test_server.hpp"

namespace frontdoor::app {
namespace {

using frontdoor::testing::SmtpTestServer;
using frontdoor::testing::SmtpTestServerOptions;
using namespace std::chrono_literals;

SmtpConfig config_for(const SmtpTestServer& server) {
  SmtpConfig config;
  config.host = "127.0.0.1";
  config.port = server.port();
  config.from = "MASH Front Door <mash@council.example>";
  config.helo_name = "frontdoor.test";
  config.timeout = std::chrono::seconds(5);
  return config;
}

EmailMessage decision_message() {
  return EmailMessage{"referrer@school.example", "Your referral has been reviewed",
                      "Dear referrer,\n\nThe MASH has made a decision on your referral.\n"
                      ".hidden line that starts with a dot\n.\nRegards\n"};
}

// A port nothing listens on: bind one, read its number, close it.
unsigned short closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(SmtpMailer, DeliversWithHeadersEnvelopeAndDotStuffing) {
  SmtpTestServer server;
  ManualClock clock(utc(2026, 3, 2, 9, 5, 7));
  SmtpMailer mailer(config_for(server), clock);
  const Status sent = mailer.send(decision_message());
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  ASSERT_TRUE(server.wait_for(1, 2s));
  const auto mail = server.messages().at(0);
  EXPECT_EQ(mail.helo, "frontdoor.test");
  EXPECT_EQ(mail.mail_from, "mash@council.example");
  EXPECT_EQ(mail.rcpt_to, std::vector<std::string>{"referrer@school.example"});
  EXPECT_EQ(mail.header("Date"), "Mon, 02 Mar 2026 09:05:07 +0000");
  EXPECT_EQ(mail.header("From"), "MASH Front Door <mash@council.example>");
  EXPECT_EQ(mail.header("To"), "referrer@school.example");
  EXPECT_EQ(mail.header("Subject"), "Your referral has been reviewed");
  EXPECT_EQ(mail.header("MIME-Version"), "1.0");
  EXPECT_EQ(mail.header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(mail.header("Content-Transfer-Encoding"), "7bit");
  const std::string id = mail.header("Message-ID");
  ASSERT_GE(id.size(), 3u);
  EXPECT_EQ(id.front(), '<');
  EXPECT_NE(id.find("@council.example>"), std::string::npos) << id;
  // On the wire, lines that start with '.' got a second one...
  EXPECT_NE(mail.raw.find("\r\n..hidden line"), std::string::npos);
  EXPECT_NE(mail.raw.find("\r\n..\r\n"), std::string::npos);
  // ...and once undone the body is exactly what was sent, with CRLF endings.
  EXPECT_EQ(mail.body(),
            "Dear referrer,\r\n\r\nThe MASH has made a decision on your referral.\r\n"
            ".hidden line that starts with a dot\r\n.\r\nRegards\r\n");
  // Every line of the message ends in CRLF: no bare LF.
  for (std::size_t i = 0; i < mail.raw.size(); ++i) {
    if (mail.raw[i] == '\n') {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(mail.raw[i - 1], '\r') << "bare LF at " << i;
    }
  }
  const auto commands = server.commands();
  ASSERT_FALSE(commands.empty());
  EXPECT_EQ(commands.back(), "QUIT");
}

TEST(SmtpMailer, EachMessageGetsItsOwnMessageId) {
  SmtpTestServer server;
  SmtpMailer mailer(config_for(server));
  ASSERT_TRUE(mailer.send(decision_message()).ok());
  ASSERT_TRUE(mailer.send(decision_message()).ok());
  ASSERT_TRUE(server.wait_for(2, 2s));
  const auto mails = server.messages();
  EXPECT_NE(mails[0].header("Message-ID"), mails[1].header("Message-ID"));
  EXPECT_EQ(server.connections(), 2);
}

TEST(SmtpMailer, Utf8SubjectAndBodyAreEncoded) {
  SmtpTestServer server;
  SmtpMailer mailer(config_for(server));
  const std::string subject =
      "Decision on your referral for Zo\xc3\xab \xe2\x80\x93 a long subject line that must be "
      "folded over several encoded words \xe2\x9c\x93";
  const std::string body = "Caf\xc3\xa9 = ok\nline with trailing space \n" + std::string(120, 'x');
  ASSERT_TRUE(mailer.send(EmailMessage{"referrer@school.example", subject, body}).ok());
  ASSERT_TRUE(server.wait_for(1, 2s));
  const auto mail = server.messages().at(0);
  const std::string raw_subject = mail.header("Subject");
  EXPECT_EQ(raw_subject.rfind("=?UTF-8?B?", 0), 0u) << raw_subject;
  EXPECT_NE(raw_subject.find("?=\r\n =?UTF-8?B?"), std::string::npos) << "folded";
  EXPECT_EQ(mail.subject(), subject);
  EXPECT_EQ(mail.header("Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(mail.body(),
            "Caf\xc3\xa9 = ok\r\nline with trailing space \r\n" + std::string(120, 'x') + "\r\n");
  // Only 7-bit text went over the wire, header lines within 78 characters and
  // quoted-printable body lines within 76.
  std::istringstream lines(mail.raw);
  std::string line;
  bool in_body = false;
  while (std::getline(lines, line)) {
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\r');
    line.pop_back();
    if (line.empty()) in_body = true;
    EXPECT_LE(line.size(), in_body ? 76u : 78u) << line;
    for (char c : line) EXPECT_LT(static_cast<unsigned char>(c), 0x80u) << line;
  }
}

TEST(SmtpMailer, RejectedRecipientIsAValidationError) {
  SmtpTestServerOptions options;
  options.reject_recipients_containing = {"nobody"};
  SmtpTestServer server(options);
  SmtpMailer mailer(config_for(server));
  const Status sent = mailer.send(EmailMessage{"nobody@school.example", "Subject", "Body"});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kValidation);
  ASSERT_EQ(sent.error().fields.size(), 1u);
  EXPECT_EQ(sent.error().fields[0].field, "email");
  EXPECT_EQ(sent.error().message,
            "The e-mail server would not accept the address nobody@school.example");
  EXPECT_TRUE(server.messages().empty());
  const auto commands = server.commands();
  EXPECT_EQ(std::count(commands.begin(), commands.end(), "DATA"), 0);
}

TEST(SmtpMailer, TemporaryRefusalIsUnavailable) {
  SmtpTestServerOptions options;
  options.data_reply = 451;
  SmtpTestServer server(options);
  SmtpMailer mailer(config_for(server));
  const Status sent = mailer.send(decision_message());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
}

TEST(SmtpMailer, PermanentRefusalOfTheMessageIsInternal) {
  SmtpTestServerOptions options;
  options.data_reply = 554;
  SmtpTestServer server(options);
  SmtpMailer mailer(config_for(server));
  const Status sent = mailer.send(decision_message());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kInternal);
}

TEST(SmtpMailer, ConnectionRefusedIsUnavailable) {
  SmtpConfig config;
  config.port = closed_port();
  config.from = "mash@council.example";
  config.timeout = std::chrono::seconds(2);
  SmtpMailer mailer(config);
  const auto start = std::chrono::steady_clock::now();
  const Status sent = mailer.send(decision_message());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(sent.error().message, "The e-mail server could not be reached");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST(SmtpMailer, SilentServerTimesOut) {
  SmtpTestServerOptions options;
  options.silent = true;
  SmtpTestServer server(options);
  SmtpConfig config = config_for(server);
  config.timeout = std::chrono::seconds(1);
  SmtpMailer mailer(config);
  const auto start = std::chrono::steady_clock::now();
  const Status sent = mailer.send(decision_message());
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(sent.error().message, "The e-mail server did not answer in time");
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 3s);
}

TEST(SmtpMailer, RefusesBadAddressesBeforeConnecting) {
  SmtpTestServer server;
  SmtpMailer mailer(config_for(server));
  for (const char* to : {"", "no-at-sign", "a@b\r\nRCPT TO:<evil@x>", "two words@x.example",
                         "<a@b.example>", "a@.example", "a@example.", "@example.org"}) {
    const Status sent = mailer.send(EmailMessage{to, "Subject", "Body"});
    ASSERT_FALSE(sent.ok()) << to;
    EXPECT_EQ(sent.error().code, ErrorCode::kValidation) << to;
  }
  SmtpConfig bad_from = config_for(server);
  bad_from.from = "mash@council.example\r\nBcc: everyone@x.example";
  SmtpMailer mailer2(bad_from);
  EXPECT_EQ(mailer2.send(decision_message()).error().code, ErrorCode::kInternal);
  EXPECT_EQ(server.connections(), 0);
}

TEST(SmtpMailer, HeaderInjectionThroughTheSubjectIsImpossible) {
  SmtpTestServer server;
  SmtpMailer mailer(config_for(server));
  ASSERT_TRUE(
      mailer
          .send(EmailMessage{"referrer@school.example", "Hello\r\nBcc: everyone@x.example", "Body"})
          .ok());
  ASSERT_TRUE(server.wait_for(1, 2s));
  const auto mail = server.messages().at(0);
  EXPECT_EQ(mail.header("Bcc"), "");
  EXPECT_EQ(mail.subject(), "Hello\r\nBcc: everyone@x.example");  // encoded, not a header
}

TEST(SmtpMailer, StartTlsAndAuthPlain) {
  SmtpTestServerOptions options;
  options.offer_starttls = true;
  options.require_tls = true;
  options.auth_username = "frontdoor";
  options.auth_password = "s3cret pass";
  SmtpTestServer server(options);
  SmtpConfig config = config_for(server);
  config.starttls = true;
  config.tls_ca_file = server.ca_file();
  config.username = "frontdoor";
  config.password = "s3cret pass";
  SmtpMailer mailer(config);
  const Status sent = mailer.send(decision_message());
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  ASSERT_TRUE(server.wait_for(1, 2s));
  const auto mail = server.messages().at(0);
  EXPECT_TRUE(mail.tls);
  EXPECT_EQ(mail.auth_user, "frontdoor");
  EXPECT_EQ(mail.header("Subject"), "Your referral has been reviewed");

  config.password = "wrong";
  SmtpMailer wrong(config);
  const Status refused = wrong.send(decision_message());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInternal);
}

TEST(SmtpMailer, StartTlsRefusesAnUntrustedCertificate) {
  SmtpTestServerOptions options;
  options.offer_starttls = true;
  SmtpTestServer server(options);
  SmtpConfig config = config_for(server);
  config.starttls = true;  // the system store does not trust the test certificate
  SmtpMailer mailer(config);
  const Status sent = mailer.send(decision_message());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(sent.error().message, "A secure connection to the e-mail server could not be made");
  EXPECT_TRUE(server.messages().empty());
}

TEST(SmtpMailer, StartTlsRequiredButNotOffered) {
  SmtpTestServer server;
  SmtpConfig config = config_for(server);
  config.starttls = true;
  SmtpMailer mailer(config);
  const Status sent = mailer.send(decision_message());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().message, "The e-mail server does not offer a secure connection");
  EXPECT_TRUE(server.messages().empty());
}

TEST(SmtpMailer, PasswordsAreNotSentInClearOffLoopback) {
  SmtpConfig config;
  config.host = "192.0.2.10";  // TEST-NET-1; never contacted: refused before connecting
  config.from = "mash@council.example";
  config.username = "u";
  config.password = "p";
  SmtpMailer mailer(config);
  const Status sent = mailer.send(decision_message());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().message, "E-mail server passwords are only sent over STARTTLS");
}

TEST(MailFormat, Rfc5322Date) {
  EXPECT_EQ(rfc5322_date(utc(2026, 11, 22, 7, 40, 0)), "Sun, 22 Nov 2026 07:40:00 +0000");
  EXPECT_EQ(rfc5322_date(utc(2024, 2, 29, 23, 59, 59)), "Thu, 29 Feb 2024 23:59:59 +0000");
}

TEST(MailFormat, DotStuffing) {
  EXPECT_EQ(dot_stuff(".a\r\nb\r\n.\r\n..c\r\n"), "..a\r\nb\r\n..\r\n...c\r\n");
  EXPECT_EQ(dot_stuff("a.b\r\n"), "a.b\r\n");
}

TEST(MailFormat, QuotedPrintable) {
  EXPECT_EQ(quoted_printable("a=b"), "a=3Db");
  EXPECT_EQ(quoted_printable("end space \r\nx\t"), "end space=20\r\nx=09");
  EXPECT_EQ(quoted_printable("\xc3\xa9"), "=C3=A9");
  const std::string wrapped = quoted_printable(std::string(100, 'y'));
  EXPECT_EQ(wrapped, std::string(75, 'y') + "=\r\n" + std::string(25, 'y'));
}

TEST(MailFormat, ShortAsciiSubjectIsLeftAlone) {
  EXPECT_EQ(encode_subject("Referral received"), "Referral received");
  EXPECT_EQ(encode_subject("\xc3\xa9"), "=?UTF-8?B?w6k=?=");
}

TEST(FileMailer, WritesAnEmlFile) {
  const auto folder =
      std::filesystem::temp_directory_path() / ("fd-mail-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  ManualClock clock(utc(2026, 3, 2, 9, 0));
  FileMailer mailer(folder, "mash@council.example", clock);
  ASSERT_TRUE(mailer.send(decision_message()).ok());
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) files.push_back(entry);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].extension(), ".eml");
  std::ifstream in(files[0], std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  const std::string text = contents.str();
  EXPECT_NE(text.find("To: referrer@school.example\r\n"), std::string::npos);
  EXPECT_NE(text.find("Date: Mon, 02 Mar 2026 09:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(text.find("\r\n.hidden line"), std::string::npos);  // not dot-stuffed on disk
  std::filesystem::remove_all(folder);
}

// A person (or a script) reading the folder never sees half an e-mail: a
// write that stops part-way (here the file-size limit; in life a crash or a
// full disk) leaves no .eml behind and is reported, so the outbox keeps the
// message and sends it again.
TEST(FileMailer, AWriteThatStopsPartWayLeavesNoFile) {
  const auto folder =
      std::filesystem::temp_directory_path() / ("fd-mail-partial-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  ManualClock clock(utc(2026, 3, 2, 9, 0));
  FileMailer mailer(folder, "mash@council.example", clock);
  rlimit before{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &before), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // a failed write, not a killed test
  rlimit small = before;
  small.rlim_cur = 64;  // bytes: far less than the message
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const Status sent = mailer.send(decision_message());
  ::setrlimit(RLIMIT_FSIZE, &before);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_FALSE(sent.ok());
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_TRUE(names.empty()) << names.size() << " file(s) left, the first " << names.front();
  // And the next send, with room, writes the whole message.
  ASSERT_TRUE(mailer.send(decision_message()).ok());
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    ++files;
    EXPECT_EQ(entry.path().extension(), ".eml");
    EXPECT_GT(std::filesystem::file_size(entry.path()), 64U);
  }
  EXPECT_EQ(files, 1U);
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace frontdoor::app
