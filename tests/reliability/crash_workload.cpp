// The crash battery's writers: a few client threads, each with one keep-alive
// HTTP connection, posting contacts as a partner system, creating people and
// advancing its own contacts as a MASH worker (an audited read, then a link to
// a new person record, a screening, a decision) and manager (the sign-off,
// which queues the referrer's e-mail), and recording what each answer promised.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "crash_battery.hpp"

namespace frontdoor::crash {

using nlohmann::json;

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Model::unique(const char* kind) {
  std::lock_guard lock(mutex);
  return prefix + kind + std::to_string(next_unique++);
}

std::string Model::unique_name(const char* kind) {
  std::lock_guard lock(mutex);
  std::string name = kind;
  for (auto n = next_unique++; n > 0 || name.size() < std::strlen(kind) + 3; n /= 26) {
    name += static_cast<char>('a' + n % 26);
  }
  return name;
}

namespace {

struct Reply {
  int status = 0;
  std::string body;
};

enum class Delivery {
  kNotSent,   // no connection: nothing reached a server
  kNoAnswer,  // sent (at least in part), then the connection failed
  kTimedOut,  // sent, and no answer within the time-out
  kAnswered,
};

// A minimal HTTP/1.1 client over one keep-alive connection, with a time-out
// on every send and receive, that tells "never sent" from "sent, no answer".
class Connection {
 public:
  Connection(unsigned short port, std::chrono::seconds timeout) : port_(port), timeout_(timeout) {}
  ~Connection() { close(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Delivery request(const std::string& method, const std::string& target, const std::string& token,
                   const std::string& body, const std::string& idempotency_key, Reply& reply) {
    if (fd_ < 0 && !open()) return Delivery::kNotSent;
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                      "Authorization: Bearer " + token + "\r\nAccept: application/json\r\n";
    if (!idempotency_key.empty()) req += "Idempotency-Key: " + idempotency_key + "\r\n";
    if (method != "GET") {
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n";
    }
    req += "\r\n" + body;
    std::size_t written = 0;
    while (written < req.size()) {
      const ssize_t n = ::send(fd_, req.data() + written, req.size() - written, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const bool timed_out = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
        close();
        return timed_out ? Delivery::kTimedOut : Delivery::kNoAnswer;
      }
      written += static_cast<std::size_t>(n);
    }
    return read_reply(reply);
  }

 private:
  bool open() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return false;
    timeval tv{static_cast<time_t>(timeout_.count()), 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close();
      return false;
    }
    buffer_.clear();
    return true;
  }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // Reads more bytes into buffer_; false at the end of the stream or an error.
  bool fill(bool& timed_out) {
    char chunk[16384];
    for (;;) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      timed_out = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
      return false;
    }
  }

  Delivery read_reply(Reply& reply) {
    bool timed_out = false;
    std::size_t head_end = std::string::npos;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(timed_out)) return fail(timed_out);
    }
    std::string head = buffer_.substr(0, head_end);
    buffer_.erase(0, head_end + 4);
    if (head.rfind("HTTP/1.1 ", 0) != 0 || head.size() < 12) return fail(false);
    reply.status = std::stoi(head.substr(9, 3));
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::size_t length = 0;
    if (auto at = head.find("\r\ncontent-length:"); at != std::string::npos) {
      length = static_cast<std::size_t>(std::stoul(head.substr(at + 17)));
    }
    while (buffer_.size() < length) {
      if (!fill(timed_out)) return fail(timed_out);
    }
    reply.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    if (head.find("\r\nconnection: close") != std::string::npos) close();
    return Delivery::kAnswered;
  }

  Delivery fail(bool timed_out) {
    close();
    return timed_out ? Delivery::kTimedOut : Delivery::kNoAnswer;
  }

  unsigned short port_;
  std::chrono::seconds timeout_;
  int fd_ = -1;
  std::string buffer_;
};

enum class Outcome { kAcknowledged, kUnknown, kNotSent, kRefused };

// How far a contact has come: screening, decision, sign-off, done (-1: unknown).
int stage_of(const std::string& status) {
  static const char* kStages[] = {"awaiting_screening", "awaiting_decision", "awaiting_sign_off",
                                  "completed"};
  for (int i = 0; i < 4; ++i) {
    if (status == kStages[i]) return i;
  }
  return -1;
}

// Whether this client thread's last request went unanswered or failed with a
// 5xx: like a partner system, it then resends what it is unsure of (with the
// same idempotency key) rather than start anything new.
thread_local bool t_in_trouble = false;

json contact_body(const ContactWrite& c) {
  return json{
      {"source_code", "6"},
      {"referrer",
       {{"name", "PC 4410 Crash"}, {"role", "Response officer"}, {"phone", "01632 960001"}}},
      {"children", json::array({{{"given_name", c.child_given_name},
                                 {"family_name", "Crashworth"},
                                 {"date_of_birth", "2017-05-14"},
                                 {"sex", "2"}}})},
      {"address_line", "1 Battery Road"},
      {"postcode", "ZZ99 3AB"},
      {"concerns", c.concerns},
      {"child_views", "Said the server keeps falling over."},
      {"family_aware", "yes"},
      {"consent", "not_sought"},
      {"partner_reference", c.reference}};
}

}  // namespace

struct Workload::Impl {
  Model& model;
  Counters& counters;
  Credentials credentials;
  WorkloadOptions options;
  std::atomic<bool> stopping{false};
  std::vector<std::thread> threads;
  std::mutex failures_mutex;
  std::vector<std::string> failures;

  Impl(Model& m, Counters& c, Credentials cr, WorkloadOptions o)
      : model(m), counters(c), credentials(std::move(cr)), options(o) {}

  void fail(std::string what) {
    std::lock_guard lock(failures_mutex);
    failures.push_back(std::move(what));
  }

  Outcome send(Connection& conn, const std::string& method, const std::string& target,
               const std::string& token, const std::string& body, const std::string& key,
               Reply& reply) {
    const std::int64_t sent_at = steady_ns();
    counters.in_flight.fetch_add(1);
    const Delivery d = conn.request(method, target, token, body, key, reply);
    counters.in_flight.fetch_sub(1);
    t_in_trouble = d != Delivery::kAnswered || reply.status >= 500;
    if (d == Delivery::kNotSent) {
      counters.not_sent.fetch_add(1);
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
      return Outcome::kNotSent;
    }
    counters.sent.fetch_add(1);
    if (d == Delivery::kTimedOut) counters.timeouts.fetch_add(1);
    if (d != Delivery::kAnswered || reply.status >= 500) {
      if (d == Delivery::kAnswered) counters.status_5xx.fetch_add(1);
      counters.unknown.fetch_add(1);
      // A 5xx: the store is failing (the database is down); give it a moment.
      std::this_thread::sleep_for(std::chrono::milliseconds{d == Delivery::kAnswered ? 50 : 5});
      return Outcome::kUnknown;
    }
    if (reply.status >= 200 && reply.status < 300) {
      counters.acknowledged.fetch_add(1);
      std::int64_t latest = counters.latest_acknowledged_send.load();
      while (latest < sent_at &&
             !counters.latest_acknowledged_send.compare_exchange_weak(latest, sent_at)) {
      }
      return Outcome::kAcknowledged;
    }
    fail(method + " " + target + " was refused with " + std::to_string(reply.status) + ": " +
         reply.body);
    return Outcome::kRefused;
  }

  // Sends (or sends again, with the same key) one contact as the partner.
  void send_contact(Connection& conn, ContactWrite& c) {
    Reply reply;
    ++c.sends;
    const bool retry = c.sends > 1;
    const Outcome o = send(conn, "POST", "/api/v1/contacts", credentials.partner_token,
                           contact_body(c).dump(), c.reference, reply);
    if (o == Outcome::kNotSent) --c.sends;
    if (retry && o != Outcome::kNotSent) counters.retries.fetch_add(1);
    if (o != Outcome::kAcknowledged) return;
    const json j = json::parse(reply.body, nullptr, false);
    if (!j.is_object() || !j.value("id", json()).is_number_integer() ||
        j.value("partner_reference", "") != c.reference) {
      fail("contact " + c.reference + ": unexpected acknowledgement " + reply.body);
      return;
    }
    const auto id = j["id"].get<std::int64_t>();
    if (c.acknowledged && c.id != id) {
      fail("contact " + c.reference + " was acknowledged as id " + std::to_string(c.id) +
           " and again as id " + std::to_string(id) + " (not exactly once)");
    }
    c.acknowledged = true;
    c.id = id;
  }

  void new_contact(Connection& conn, int index) {
    ContactWrite* c = nullptr;
    const std::string reference = model.unique("R");
    const std::string child = model.unique_name("Child");
    {
      std::lock_guard lock(model.mutex);
      model.contacts.push_back(ContactWrite{});
      c = &model.contacts.back();
      c->reference = reference;
      c->child_given_name = child;
      c->concerns = "Concern " + reference + ": police called to a domestic incident.";
      c->owner = index;
      model.open_by_owner[index].push_back(c);
    }
    send_contact(conn, *c);
  }

  void new_person(Connection& conn) {
    const std::string name = model.unique_name("Person");
    PersonWrite* p = nullptr;
    {
      std::lock_guard lock(model.mutex);
      model.people.push_back(PersonWrite{name});
      p = &model.people.back();
    }
    Reply reply;
    const json body{{"kind", "adult"}, {"given_name", name}, {"family_name", "Crashfield"}};
    const Outcome o =
        send(conn, "POST", "/api/v1/people", credentials.worker_token, body.dump(), "", reply);
    if (o == Outcome::kNotSent) return;
    p->sends = 1;
    if (o != Outcome::kAcknowledged) return;
    const json j = json::parse(reply.body, nullptr, false);
    if (!j.is_object() || !j.value("id", json()).is_number_integer()) {
      fail("person " + name + ": unexpected acknowledgement " + reply.body);
      return;
    }
    p->acknowledged = true;
    p->id = j["id"].get<std::int64_t>();
  }

  // An audited read of one of this client's acknowledged contacts, then its
  // next step: link child 0 to a new person record, or screen it.
  void advance(Connection& conn, ContactWrite& c, std::mt19937_64& rng) {
    const std::string base = "/api/v1/contacts/" + std::to_string(c.id);
    Reply reply;
    ++c.views_sent;
    Outcome o = send(conn, "GET", base, credentials.worker_token, "", "", reply);
    if (o == Outcome::kNotSent) --c.views_sent;
    if (o != Outcome::kAcknowledged) return;
    ++c.views_acknowledged;
    const json j = json::parse(reply.body, nullptr, false);
    if (!j.is_object() || !j.contains("details") || !j["details"].contains("children") ||
        j["details"]["children"].empty()) {
      fail("contact " + c.reference + ": unreadable answer " + reply.body);
      return;
    }
    const json& d = j["details"];
    const json& child = d["children"][0];
    if (d.value("partner_reference", "") != c.reference ||
        child.value("given_name", "") != c.child_given_name) {
      fail("contact id " + std::to_string(c.id) + " acknowledged for " + c.reference +
           " now holds " + d.value("partner_reference", "?") + " (an acknowledged write lost)");
      c.done = true;
      return;
    }
    const auto version = j.value("version", std::int64_t{0});
    const bool linked = child.contains("person_id") && child["person_id"].is_number_integer();
    const int stage = stage_of(j.value("status", ""));
    if (c.link_acknowledged && !linked) {
      fail("contact " + c.reference + ": its acknowledged link to a person is missing");
    }
    // What the server acknowledged must show; what shows must have been sent.
    if ((c.screening_acknowledged && stage < 1) || (c.decision_acknowledged && stage < 2) ||
        (c.sign_off_acknowledged && stage < 3)) {
      fail("contact " + c.reference + ": an acknowledged step is missing (status " +
           j.value("status", "") + ")");
    }
    if (stage < 0 || (stage >= 1 && c.screening_sends == 0) ||
        (stage >= 2 && c.decision_sends == 0) || (stage >= 3 && c.sign_off_sends == 0)) {
      fail("contact " + c.reference + " is at a stage nobody took it to: " + j.value("status", ""));
      c.done = true;
      return;
    }
    if (!linked) {
      ++c.link_sends;
      o = send(conn, "POST", base + "/links", credentials.worker_token,
               json{{"version", version}, {"child_index", 0}}.dump(), "", reply);
      if (o == Outcome::kNotSent) --c.link_sends;
      if (o != Outcome::kAcknowledged) return;
      const json linked_now = json::parse(reply.body, nullptr, false);
      static const json::json_pointer kPersonId("/details/children/0/person_id");
      const json pid = linked_now.is_object() && linked_now.contains(kPersonId)
                           ? linked_now.at(kPersonId)
                           : json();
      if (!pid.is_number_integer()) {
        fail("contact " + c.reference + ": link acknowledged without a person: " + reply.body);
        return;
      }
      c.link_acknowledged = true;
      c.linked_person_id = pid.get<std::int64_t>();
      return;
    }
    if (c.linked_person_id == 0) c.linked_person_id = child["person_id"].get<std::int64_t>();
    switch (stage) {
      case 0:
        if (c.rationale.empty()) {
          static const char* kRags[] = {"red", "amber", "green"};
          c.rag = kRags[rng() % 3];
          c.rationale = "Rationale " + model.unique("S");
        }
        step(conn, base + "/screening", credentials.worker_token,
             {{"version", version}, {"rag", c.rag}, {"rationale", c.rationale}}, c.screening_sends,
             c.screening_acknowledged);
        break;
      case 1:
        if (c.decision_rationale.empty()) c.decision_rationale = "Decided " + model.unique("D");
        step(conn, base + "/decision", credentials.worker_token,
             {{"version", version},
              {"outcome", "strategy_discussion"},
              {"level", 4},
              {"indicators", {"4.1"}},
              {"rationale", c.decision_rationale},
              {"next_steps", "Strategy discussion with police and health today."}},
             c.decision_sends, c.decision_acknowledged);
        break;
      case 2:
        if (c.case_direction.empty()) c.case_direction = "Direction " + model.unique("M");
        step(conn, base + "/sign-off", credentials.manager_token,
             {{"version", version}, {"case_direction", c.case_direction}}, c.sign_off_sends,
             c.sign_off_acknowledged);
        break;
      default:
        c.done = true;  // signed off and closed, whether or not we heard so
    }
  }

  // One command on a contact: counted in `sends` when sent, `acknowledged` on a 2xx.
  void step(Connection& conn, const std::string& target, const std::string& token, const json& body,
            int& sends, bool& acknowledged) {
    Reply reply;
    ++sends;
    const Outcome o = send(conn, "POST", target, token, body.dump(), "", reply);
    if (o == Outcome::kNotSent) --sends;
    if (o == Outcome::kAcknowledged) acknowledged = true;
  }

  // One of this client's contacts that is not finished: one never
  // acknowledged (to send again with its key) when `unacknowledged`, else an
  // acknowledged one to advance.
  ContactWrite* pick_open(int index, bool unacknowledged, std::mt19937_64& rng) {
    std::lock_guard lock(model.mutex);
    auto& open = model.open_by_owner[index];
    std::erase_if(open, [](const ContactWrite* c) { return c->done; });
    std::vector<ContactWrite*> candidates;
    for (auto* c : open) {
      if (c->acknowledged != unacknowledged) candidates.push_back(c);
    }
    if (candidates.empty()) return nullptr;
    // Mostly the oldest, so that contacts go all the way to sign-off.
    return candidates[rng() % 4 == 0 ? rng() % candidates.size() : 0];
  }

  void client(int index) {
    std::mt19937_64 rng(options.seed * 1000003ULL + static_cast<std::uint64_t>(index));
    Connection conn(options.port, options.timeout);
    while (!stopping.load()) {
      const auto roll = rng() % 100;
      if (roll < 10 || t_in_trouble) {
        if (auto* c = pick_open(index, true, rng)) {
          send_contact(conn, *c);
          continue;
        }
      } else if (roll < 30) {
        new_person(conn);
        continue;
      } else if (roll < 65) {
        if (auto* c = pick_open(index, false, rng)) {
          advance(conn, *c, rng);
          continue;
        }
      }
      new_contact(conn, index);
    }
  }
};

Workload::Workload(Model& model, Counters& counters, const Credentials& credentials,
                   WorkloadOptions options)
    : impl_(std::make_unique<Impl>(model, counters, credentials, options)) {}

Workload::~Workload() {
  stop();
}

void Workload::start() {
  for (int i = 0; i < impl_->options.clients; ++i) {
    impl_->threads.emplace_back([this, i] { impl_->client(i); });
  }
}

void Workload::stop() {
  impl_->stopping = true;
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

std::vector<std::string> Workload::failures() {
  std::lock_guard lock(impl_->failures_mutex);
  return impl_->failures;
}

}  // namespace frontdoor::crash
