#pragma once
// The crash battery (docs/RELIABILITY.md, battery 1): clients write uniquely
// identified records through the JSON API of a real `frontdoor serve` while
// the server is killed with SIGKILL (and, on PostgreSQL, the database is
// stopped with `pg_ctl stop -m immediate`) at random moments; afterwards
// every acknowledged write must be in the store, complete and exactly once.
//
// The pieces, one file each:
//   crash_battery.cpp   options, preparing the store, the cycles, the summary
//   crash_process.cpp   running the CLI and pg_ctl (the server: diskfull_server.hpp)
//   crash_workload.cpp  the HTTP client and the writers
//   crash_check.cpp     reading the store afterwards and checking every write
//   crash_selftest.cpp  proof that the checks fail when something is lost
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/verify.hpp"

namespace frontdoor::crash {

// ---------------------------------------------------------------- processes

struct CommandResult {
  int exit_status = -1;  // -1 when it did not exit normally
  std::string out;       // standard output
};

// Runs argv[0] with arguments, `input` on standard input, standard error
// appended to `log`. Throws std::runtime_error if it cannot be started.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& input,
                          const std::filesystem::path& log);

// The words of a command prefix such as "runuser -u postgres --" (may be empty).
std::vector<std::string> split_words(const std::string& text);

// -------------------------------------------------------------------- model

// What the battery asked the server to do, and what it was told. A write is
// acknowledged when a 2xx came back; unknown when it was sent but no answer
// came (the server died) or the answer was a 5xx (the store failed mid-way);
// never sent when no connection could be made. 4xx answers are failures of
// the battery (the requests are valid), reported as such.
struct ContactWrite {
  std::string reference;  // partner_reference and Idempotency-Key: unique
  std::string child_given_name;
  std::string concerns;
  int owner = 0;  // the client that sends and advances it (no two clients race on one)
  int sends = 0;  // requests sent (retries after an unknown outcome reuse the key)
  bool acknowledged = false;
  std::int64_t id = 0;  // from the first 201
  // Advancing it as a MASH worker: link child 0 to a new person record, then screen.
  int link_sends = 0;
  bool link_acknowledged = false;
  std::int64_t linked_person_id = 0;  // from the 200 of the link
  int screening_sends = 0;
  bool screening_acknowledged = false;
  std::string rag;
  std::string rationale;  // unique
  // Then a decision (the worker) and its sign-off (a manager), which closes
  // the contact and queues the outcome e-mail to the referrer, all at once.
  int decision_sends = 0;
  bool decision_acknowledged = false;
  std::string decision_rationale;  // unique
  int sign_off_sends = 0;
  bool sign_off_acknowledged = false;
  std::string case_direction;  // unique
  bool done = false;           // signed off and seen so by a read
  bool seen_in_store = false;  // found by an earlier check: must stay
  // Audited reads (GET by the worker): each 200 must have left an audit entry.
  int views_sent = 0;
  int views_acknowledged = 0;
};

struct PersonWrite {
  std::string given_name;  // unique
  int sends = 0;           // 0 or 1: a person is never retried (no idempotency key)
  bool acknowledged = false;
  std::int64_t id = 0;
  bool seen_in_store = false;  // found by an earlier check: must stay
};

struct Model {
  std::mutex mutex;
  std::deque<ContactWrite> contacts;  // a deque: references stay valid as it grows
  std::deque<PersonWrite> people;
  // Per client: its contacts still to be acknowledged or advanced.
  std::map<int, std::vector<ContactWrite*>> open_by_owner;
  std::int64_t next_unique = 1;
  std::string prefix;  // in every unique name: the engine and the seed

  std::string unique(const char* kind);
  // A unique name of letters only ("ChildBQK"): names lose their digits when
  // matched, and children whose names differed only in digits would be one
  // child to the matching engine, and linked to each other's records.
  std::string unique_name(const char* kind);
};

// Counters the clients update while a cycle runs.
struct Counters {
  std::atomic<int> in_flight{0};  // requests sent and not yet answered
  std::atomic<std::int64_t> sent{0};
  std::atomic<std::int64_t> acknowledged{0};
  std::atomic<std::int64_t> unknown{0};
  std::atomic<std::int64_t> not_sent{0};
  std::atomic<std::int64_t> status_5xx{0};
  std::atomic<std::int64_t> timeouts{0};
  std::atomic<std::int64_t> retries{0};  // contacts sent again after an unknown outcome
  // When (steady clock, ns) the latest acknowledged request was sent: a
  // request sent after the database came back and acknowledged shows recovery.
  std::atomic<std::int64_t> latest_acknowledged_send{0};
};

std::int64_t steady_ns();

// ------------------------------------------------------------------ workload

struct Credentials {
  std::string partner_token;  // a police partner_referrer: posts contacts
  std::string worker_token;   // a MASH social worker: people, links, screening, decisions, reads
  std::string manager_token;  // a MASH team manager: sign-offs
};

struct WorkloadOptions {
  unsigned short port = 0;
  int clients = 4;
  std::uint64_t seed = 0;
  std::chrono::seconds timeout{20};  // per request
};

// Runs `options.clients` writer threads against the server until `stop` is
// set; failures of the battery itself (an unexpected 4xx, a contact that
// reads back wrong) are appended to `failures`.
class Workload {
 public:
  Workload(Model& model, Counters& counters, const Credentials& credentials,
           WorkloadOptions options);
  ~Workload();
  Workload(const Workload&) = delete;
  Workload& operator=(const Workload&) = delete;

  void start();
  void stop();  // sets the flag and joins the threads
  std::vector<std::string> failures();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// ------------------------------------------------------------------- checks

struct CheckFigures {
  std::int64_t events = 0;
  std::int64_t audit_entries = 0;
  std::int64_t contacts_acknowledged = 0;
  std::int64_t people_acknowledged = 0;
  std::int64_t links_acknowledged = 0;
  std::int64_t screenings_acknowledged = 0;
  std::int64_t decisions_acknowledged = 0;
  std::int64_t sign_offs_acknowledged = 0;
  std::int64_t emails_recorded_sent = 0;  // outbox rows marked sent: each must have its .eml
  std::int64_t email_files = 0;           // .eml files (a crash may leave a duplicate)
  std::int64_t views_acknowledged = 0;
  std::int64_t lost = 0;  // acknowledged writes missing or different: must be 0
  std::int64_t unknown_present = 0;
  std::int64_t unknown_absent = 0;
  std::int64_t not_sent = 0;  // must all be absent
  std::vector<std::string> failures;
  std::optional<storage::Checkpoint> checkpoint;  // of both chains, when intact
};

// Reads the whole store and checks it against the model: the hash chains of
// the event and audit logs (storage::verify_all, against the previous
// check's checkpoint) and each record's version numbers; every contact and person
// projection equal to the fold of its events and the other way round; every
// acknowledged write present with exactly what was sent, exactly once; every
// unknown write wholly present or wholly absent; every acknowledged read
// audited.
struct CheckContext {
  std::int64_t partner_agency_id = 0;  // in the contacts' idempotency keys
  std::string worker_username;         // whose reads are audited
  std::filesystem::path mail_folder;   // where the server writes e-mails (no SMTP configured)
  // The chains as an earlier check found them: they may only have grown.
  std::optional<storage::Checkpoint> checkpoint;
};
CheckFigures check_store(storage::Database& db, Model& model, const CheckContext& context);

// The checker's own test (crash_selftest.cpp), for SQLite after a clean run:
// changes to a copy of the model (an acknowledged write the store lacks, an
// unaudited read...) and then to the store itself (a projection edited, an
// event rewritten, an event deleted) that check_store must each report.
struct SelfTestResult {
  int planted = 0;
  std::vector<std::string> missed;  // faults not reported: empty when the checker works
};
SelfTestResult self_test(storage::Database& db, const Model& model, const CheckContext& context);

}  // namespace frontdoor::crash
