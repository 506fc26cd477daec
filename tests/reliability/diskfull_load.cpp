#include "diskfull_load.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <thread>

namespace frontdoor::reliability {

using nlohmann::json;
using std::chrono::steady_clock;
using testing::HttpClient;

namespace {

std::string marker(const std::string& key) {
  return "[write " + key + "]";
}

json contact_body(const std::string& key) {
  return json{{"source_code", "6"},
              {"referrer", {{"name", "PC 9 Battery"}, {"role", "Response officer"}}},
              {"children", json::array({{{"given_name", "Dora"},
                                         {"family_name", "Fullwell"},
                                         {"date_of_birth", "2018-03-02"},
                                         {"sex", "2"}}})},
              {"address_line", "2 Synthetic Street"},
              {"postcode", "ZZ99 2DF"},
              {"concerns", marker(key) + " A synthetic concern, written while the disk fills."},
              {"family_aware", "yes"},
              {"consent", "not_sought"}};
}

HttpClient client_with(const Site& site, const std::string& token) {
  HttpClient c(site.port);
  c.set_default_header("Authorization", "Bearer " + token);
  return c;
}

// One request; a reply with status 0 when there was no reply at all (the
// server closed the connection or is gone).
template <typename Request>
HttpReply send(HttpClient& client, Request&& request) {
  try {
    return request(client);
  } catch (const std::exception& e) {
    HttpReply r;
    r.body = e.what();
    return r;
  }
}

bool is_2xx(int status) {
  return status >= 200 && status < 300;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string excerpt(const std::string& body) {
  return body.substr(0, 300);
}

}  // namespace

std::string check_reply(const Site& site, const HttpReply& reply, bool api) {
  if (is_2xx(reply.status)) return "";
  if (reply.status == 0) return "no reply (" + reply.body + ")";
  if (reply.status != 503) {
    return "status " + std::to_string(reply.status) +
           " (only 2xx or 503 are allowed): " + excerpt(reply.body);
  }
  const std::string retry = reply.header("retry-after");
  if (retry.empty() || retry.find_first_not_of("0123456789") != std::string::npos) {
    return "503 without a Retry-After in seconds";
  }
  const std::string body = lower(reply.body);
  for (const auto& secret : site.internal_text) {
    if (body.find(lower(secret)) != std::string::npos) {
      return "503 reveals \"" + secret + "\": " + excerpt(reply.body);
    }
  }
  if (!site.child_name.empty() && reply.body.find(site.child_name) != std::string::npos) {
    return "503 carries the child's name";
  }
  if (api) {
    const auto j = reply.json();
    if (!j.is_object() || !j.contains("error") || !j["error"].is_object() ||
        j["error"].value("code", "") != "unavailable" || j["error"].value("message", "").empty()) {
      return "503 without the JSON error body {\"error\": {\"code\": \"unavailable\"...}}: " +
             excerpt(reply.body);
    }
  } else if (reply.header("content-type").find("text/html") == std::string::npos) {
    return "503 page that is not HTML";
  }
  return "";
}

void Ledger::acknowledged(const std::string& key, std::int64_t id) {
  std::lock_guard lock(mutex_);
  acknowledged_[key] = id;
  refused_.erase(key);
}

void Ledger::refused(const std::string& key) {
  ++refusals_;
  std::lock_guard lock(mutex_);
  if (acknowledged_.count(key) == 0) refused_.insert(key);
}

void Ledger::problem(const std::string& what) {
  std::lock_guard lock(mutex_);
  problems_.push_back(what);
}

void Ledger::read_of_child(bool served) {
  ++(served ? child_served_ : child_refused_);
}

void Ledger::other_read(bool served) {
  ++(served ? other_served_ : other_refused_);
}

std::map<std::string, std::int64_t> Ledger::acknowledged_writes() const {
  std::lock_guard lock(mutex_);
  return acknowledged_;
}

std::set<std::string> Ledger::refused_writes() const {
  std::lock_guard lock(mutex_);
  return refused_;
}

std::vector<std::string> Ledger::problems() const {
  std::lock_guard lock(mutex_);
  return problems_;
}

int write_contact(const Site& site, HttpClient& client, const std::string& key, Ledger& ledger) {
  ledger.attempt();
  const auto reply = send(client, [&](HttpClient& c) {
    return c.post_json("/api/v1/contacts", contact_body(key), {{"Idempotency-Key", key}});
  });
  if (auto problem = check_reply(site, reply, true); !problem.empty()) {
    ledger.problem("POST /api/v1/contacts (" + key + "): " + problem);
    return reply.status;
  }
  if (reply.status == 503) {
    ledger.refused(key);
    return reply.status;
  }
  const auto j = reply.json();
  if (reply.status != 201 || !j.is_object() || !j.contains("id") || !j["id"].is_number_integer()) {
    ledger.problem("POST /api/v1/contacts (" + key + "): status " + std::to_string(reply.status) +
                   " without the new contact's id: " + excerpt(reply.body));
    return reply.status;
  }
  ledger.acknowledged(key, j["id"].get<std::int64_t>());
  return reply.status;
}

int read_child(const Site& site, HttpClient& client, Ledger& ledger) {
  const std::string path = "/api/v1/people/" + std::to_string(site.child_id);
  const auto reply = send(client, [&](HttpClient& c) { return c.get(path); });
  if (auto problem = check_reply(site, reply, true); !problem.empty()) {
    ledger.problem("GET " + path + ": " + problem);
    return reply.status;
  }
  const bool served = is_2xx(reply.status);
  if (served && reply.body.find(site.child_name) == std::string::npos) {
    ledger.problem("GET " + path + ": served without the child's record: " + excerpt(reply.body));
  }
  ledger.read_of_child(served);
  return reply.status;
}

int read_other(const Site& site, HttpClient& client, const std::string& path, Ledger& ledger) {
  const auto reply = send(client, [&](HttpClient& c) { return c.get(path); });
  if (path == "/healthz") {
    // Readiness answers for a load balancer: {"status": "ok"} or, when the
    // store cannot answer a read, 503 {"status": "unavailable"}.
    const auto j = reply.json();
    const bool ok = reply.status == 200 && j.is_object() && j.value("status", "") == "ok";
    const bool down =
        reply.status == 503 && j.is_object() && j.value("status", "") == "unavailable";
    if (!ok && !down) {
      ledger.problem("GET /healthz: status " + std::to_string(reply.status) + ": " +
                     excerpt(reply.body));
    } else {
      ledger.other_read(ok);
    }
    return reply.status;
  }
  if (auto problem = check_reply(site, reply, true); !problem.empty()) {
    ledger.problem("GET " + path + ": " + problem);
    return reply.status;
  }
  ledger.other_read(is_2xx(reply.status));
  return reply.status;
}

LoadResult run_load(const Site& site, const LoadPlan& plan, Ledger& ledger) {
  const auto start = steady_clock::now();
  const auto deadline = start + plan.max_duration;
  std::atomic<int> writing{plan.writers};
  std::atomic<int> satisfied{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < plan.writers; ++t) {
    threads.emplace_back([&, t] {
      auto client = client_with(site, site.writer_token);
      int in_a_row = 0;
      for (int n = 0; steady_clock::now() < deadline; ++n) {
        const std::string key = plan.key_prefix + "-" + std::to_string(t) + "-" + std::to_string(n);
        const int status = write_contact(site, client, key, ledger);
        if (status == 0) break;  // no server to write to: recorded as a problem
        in_a_row = status == 503 ? in_a_row + 1 : 0;
        if (plan.stop_after_refusals_in_a_row > 0 &&
            in_a_row >= plan.stop_after_refusals_in_a_row) {
          ++satisfied;
          break;
        }
      }
      --writing;
    });
  }
  if (plan.with_reader) {
    threads.emplace_back([&] {
      auto reader = client_with(site, site.reader_token);
      HttpClient anonymous(site.port);
      while (writing > 0) {
        if (read_child(site, reader, ledger) == 0) break;
        read_other(site, reader, "/api/v1/queue", ledger);
        read_other(site, anonymous, "/healthz", ledger);
        std::this_thread::sleep_for(std::chrono::milliseconds{5});
      }
    });
  }
  for (auto& t : threads) t.join();
  LoadResult result;
  result.every_writer_saw_its_refusals = satisfied == plan.writers;
  result.took = std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - start);
  return result;
}

std::chrono::milliseconds retry_refused(const Site& site, Ledger& ledger,
                                        const std::string& probe_key,
                                        std::chrono::milliseconds give_up_after) {
  auto client = client_with(site, site.writer_token);
  const auto start = steady_clock::now();
  std::optional<std::chrono::milliseconds> recovered;
  std::vector<std::string> keys{probe_key};
  for (const auto& k : ledger.refused_writes()) keys.push_back(k);
  for (const auto& key : keys) {
    for (;;) {
      const int status = write_contact(site, client, key, ledger);
      if (status != 503) {
        if (!recovered && is_2xx(status)) {
          recovered =
              std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - start);
        }
        break;  // acknowledged, or recorded as a problem
      }
      if (steady_clock::now() - start > give_up_after) {
        ledger.problem("writes still refused " + std::to_string(give_up_after.count()) +
                       " ms after the fault ended (" + key + ")");
        return give_up_after;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{25});
    }
  }
  return recovered.value_or(
      std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - start));
}

std::vector<std::string> missing_writes(const Site& site, const Ledger& ledger) {
  auto client = client_with(site, site.reader_token);
  std::vector<std::string> missing;
  for (const auto& [key, id] : ledger.acknowledged_writes()) {
    const auto reply = send(
        client, [&](HttpClient& c) { return c.get("/api/v1/contacts/" + std::to_string(id)); });
    if (reply.status != 200 || reply.body.find(marker(key)) == std::string::npos) {
      missing.push_back(key + " (contact " + std::to_string(id) + ": status " +
                        std::to_string(reply.status) + ")");
    }
  }
  return missing;
}

StoredFacts stored_facts(storage::Database& db, std::int64_t child_id,
                         const std::set<std::string>& keys) {
  StoredFacts facts;
  const Status read = db.read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto views,
                        tx.query_one("SELECT COUNT(*) FROM audit WHERE subject = ? AND action = "
                                     "'view' AND outcome = 'allowed'",
                                     {"person/" + std::to_string(child_id)}));
    facts.child_views_audited = views ? views->integer(0) : 0;
    FD_ASSIGN_OR_RETURN(
        auto rows,
        tx.query("SELECT idempotency_key FROM events WHERE idempotency_key IS NOT NULL"));
    for (const auto& row : rows) {
      // Stored as api/AGENCY/KEY.
      const std::string stored = row.text(0);
      const auto slash = stored.rfind('/');
      const std::string key = slash == std::string::npos ? stored : stored.substr(slash + 1);
      if (keys.count(key) != 0) facts.stored_keys.insert(key);
    }
    return ok_status();
  });
  if (!read.ok()) throw std::runtime_error("cannot read the store: " + read.error().message);
  return facts;
}

}  // namespace frontdoor::reliability
