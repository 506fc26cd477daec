#pragma once
// The disk-full and I/O-error battery's client side: writers that post
// uniquely keyed contacts over the JSON API from several connections, a
// reader that keeps reading a child's record (an audited read) and pages
// that are not a child's record, the ledger of every reply, and the checks
// made after a restart (every acknowledged write present, every served read
// of the child audited).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "http_test_client.hpp"
#include "storage/database.hpp"

namespace frontdoor::reliability {

using testing::HttpReply;

// What the battery needs to talk to a served Frontdoor.
struct Site {
  unsigned short port = 0;
  std::string writer_token;  // a police partner system's API token: posts the contacts
  std::string reader_token;  // a MASH social worker's: reads the child and the contacts
  std::int64_t child_id = 0;
  std::string child_name;                  // must never appear in a refused read
  std::vector<std::string> internal_text;  // must never appear in any reply (paths, engine names)
};

// "" when `reply` is 2xx, or a 503 that says so properly: a Retry-After of
// whole seconds, the JSON error body {"error": {"code": "unavailable", ...}}
// (or an HTML page, for a page route) with no internal detail. Otherwise
// what is wrong with it.
std::string check_reply(const Site& site, const HttpReply& reply, bool api);

class Ledger {
 public:
  void attempt() { ++attempted_; }
  void acknowledged(const std::string& key, std::int64_t id);
  void refused(const std::string& key);
  void problem(const std::string& what);
  void read_of_child(bool served);
  void other_read(bool served);

  std::map<std::string, std::int64_t> acknowledged_writes() const;
  std::set<std::string> refused_writes() const;  // refused and not since acknowledged
  std::vector<std::string> problems() const;
  std::int64_t attempted() const { return attempted_; }
  std::int64_t refusals() const { return refusals_; }
  std::int64_t child_reads_served() const { return child_served_; }
  std::int64_t child_reads_refused() const { return child_refused_; }
  std::int64_t other_reads_served() const { return other_served_; }
  std::int64_t other_reads_refused() const { return other_refused_; }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t> acknowledged_;
  std::set<std::string> refused_;
  std::vector<std::string> problems_;
  std::atomic<std::int64_t> attempted_{0}, refusals_{0};
  std::atomic<std::int64_t> child_served_{0}, child_refused_{0};
  std::atomic<std::int64_t> other_served_{0}, other_refused_{0};
};

// Posts the contact keyed `key` (Idempotency-Key and a marker in its
// concerns) and records the reply. Returns the status (0: no reply at all).
int write_contact(const Site& site, testing::HttpClient& client, const std::string& key,
                  Ledger& ledger);
// Reads the child's record over the API (one audited read) and records it.
int read_child(const Site& site, testing::HttpClient& client, Ledger& ledger);
// Reads a page that is not a child's record (/healthz, or an API path).
int read_other(const Site& site, testing::HttpClient& client, const std::string& path,
               Ledger& ledger);

struct LoadPlan {
  std::string key_prefix;  // keys are PREFIX-THREAD-N
  int writers = 4;
  std::chrono::milliseconds max_duration{30000};
  // Each writer stops after this many 503s in a row (0: runs for max_duration).
  int stop_after_refusals_in_a_row = 0;
  bool with_reader = true;  // a reader of the child and of other pages alongside
};

struct LoadResult {
  bool every_writer_saw_its_refusals = false;  // stop_after_refusals_in_a_row reached
  std::chrono::milliseconds took{0};
};

LoadResult run_load(const Site& site, const LoadPlan& plan, Ledger& ledger);

// Writes `probe_key`, then retries every refused write with its own key,
// each until it is acknowledged; the time from the first try to the first
// acknowledgement is the recovery time, which it returns. Records problems
// (and a write still refused after `give_up_after`) in the ledger.
std::chrono::milliseconds retry_refused(const Site& site, Ledger& ledger,
                                        const std::string& probe_key,
                                        std::chrono::milliseconds give_up_after);

// After a restart: every acknowledged write readable with its marker.
// Returns the keys missing (empty when none is lost).
std::vector<std::string> missing_writes(const Site& site, const Ledger& ledger);

// Straight from the store of a stopped server: how many "view" audit
// entries allow a read of person/ID, and which of `keys` were stored.
struct StoredFacts {
  std::int64_t child_views_audited = 0;
  std::set<std::string> stored_keys;
};
StoredFacts stored_facts(storage::Database& db, std::int64_t child_id,
                         const std::set<std::string>& keys);

}  // namespace frontdoor::reliability
