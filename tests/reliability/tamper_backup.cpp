#include "tamper_backup.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "tamper_support.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include "http_test_client.hpp"
#pragma GCC diagnostic pop

namespace frontdoor::reliability {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

nlohmann::json contact_body(int n) {
  return {{"source_code", "6"},
          {"partner_reference", "TAMPER-" + std::to_string(n)},
          {"referrer", {{"name", "PC 4410 Jones"}, {"role", "Response officer"}}},
          {"children", nlohmann::json::array({{{"given_name", "Ruby"},
                                               {"family_name", "Tamperwell" + std::to_string(n)},
                                               {"date_of_birth", "2017-05-14"},
                                               {"sex", "2"}}})},
          {"address_line", "12 Synthetic Road"},
          {"postcode", "ZZ99 3AB"},
          {"concerns", "Synthetic concern number " + std::to_string(n)},
          {"family_aware", "yes"},
          {"consent", "not_sought"}};
}

struct Ack {
  std::int64_t id = 0;
  std::string reference;
  Clock::time_point at;
};

// Partner writes (new contacts) and MASH reads (each one audited) against a
// running server until stopped.
class Load {
 public:
  Load(unsigned short port, const Battery& b) {
    writer_ = std::thread([this, port, token = b.writer_token] { write(port, token); });
    reader_ = std::thread([this, port, token = b.reader_token] { read(port, token); });
  }
  ~Load() { stop(); }
  Load(const Load&) = delete;
  Load& operator=(const Load&) = delete;

  void stop() {
    stop_ = true;
    if (writer_.joinable()) writer_.join();
    if (reader_.joinable()) reader_.join();
  }
  std::vector<Ack> acks() const {
    std::lock_guard lock(mutex_);
    return acks_;
  }
  std::vector<Clock::time_point> reads() const {
    std::lock_guard lock(mutex_);
    return reads_;
  }
  std::string problem() const {
    std::lock_guard lock(mutex_);
    return problem_;
  }

 private:
  void note_problem(const std::string& what) {
    std::lock_guard lock(mutex_);
    if (problem_.empty()) problem_ = what;
  }

  void write(unsigned short port, const std::string& token) {
    try {
      testing::HttpClient c(port);
      c.set_default_header("Authorization", "Bearer " + token);
      for (int n = 1; !stop_; ++n) {
        auto reply =
            c.request("POST", "/api/v1/contacts", contact_body(n).dump(), "application/json",
                      {{"Idempotency-Key", "tamper-" + std::to_string(n)}});
        if (reply.status != 201) {
          note_problem("POST /api/v1/contacts answered " + std::to_string(reply.status) + ": " +
                       reply.body.substr(0, 300));
          return;
        }
        const auto j = reply.json();
        std::lock_guard lock(mutex_);
        acks_.push_back(
            {j["id"].get<std::int64_t>(), j["reference"].get<std::string>(), Clock::now()});
      }
    } catch (const std::exception& e) {
      note_problem(std::string("the writer failed: ") + e.what());
    }
  }

  void read(unsigned short port, const std::string& token) {
    try {
      testing::HttpClient c(port);
      c.set_default_header("Authorization", "Bearer " + token);
      for (std::int64_t id = 1; !stop_; id = id % 10 + 1) {
        auto reply = c.get("/api/v1/contacts/" + std::to_string(id));
        if (reply.status != 200) {
          note_problem("GET /api/v1/contacts/" + std::to_string(id) + " answered " +
                       std::to_string(reply.status));
          return;
        }
        std::lock_guard lock(mutex_);
        reads_.push_back(Clock::now());
      }
    } catch (const std::exception& e) {
      note_problem(std::string("the reader failed: ") + e.what());
    }
  }

  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<Ack> acks_;
  std::vector<Clock::time_point> reads_;
  std::string problem_;
  std::thread writer_;
  std::thread reader_;
};

void wait_for_acks(const Load& load, std::size_t n) {
  const auto deadline = Clock::now() + std::chrono::seconds{60};
  while (load.acks().size() < n) {
    require(load.problem().empty(), load.problem());
    require(Clock::now() < deadline, "the load made too few writes within 60 s");
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
}

std::string reference_of(storage::Database& db, std::int64_t id) {
  std::string out;
  auto st = db.read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row,
                        tx.query_one("SELECT reference FROM contacts WHERE id = ?", {id}));
    if (row) out = row->text(0);
    return ok_status();
  });
  require(st.ok(), "reading contact " + std::to_string(id));
  return out;
}

std::int64_t count_where(storage::Database& db, const std::string& sql, std::int64_t arg) {
  std::int64_t out = -1;
  auto st = db.read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row, tx.query_one(sql, {arg}));
    out = row ? row->integer(0) : 0;
    return ok_status();
  });
  require(st.ok(), sql);
  return out;
}

// What must be refused: restoring a backup whose chains are broken, keeping
// a backup of a broken store, verifying a folder without a store. Returns
// how many refusals were checked.
int refusals(const Battery& b, storage::SqliteDatabase& good_backup) {
  const fs::path broken_dir = b.work / "broken";
  const fs::path broken = broken_dir / "frontdoor.db";
  copy_store(good_backup, broken);
  {
    auto db = open_store(broken);
    auto st = db->write([](storage::Transaction& tx) -> Status {
      FD_TRY(tx.exec("DROP TRIGGER audit_append_only_delete"));
      return tx.exec("DELETE FROM audit WHERE seq = 2");
    });
    require(st.ok(), "tampering with the broken copy");
  }
  const fs::path refused = b.work / "refused";
  Ran ran =
      run({b.frontdoor.string(), "restore", "--from", broken.string(), "--data", refused.string()});
  require(ran.status == 3 && ran.output.find("nothing restored") != std::string::npos &&
              ran.output.find("BROKEN: audit seq 2: missing") != std::string::npos &&
              !fs::exists(refused / "frontdoor.db"),
          "a backup with a broken chain was restored: " + ran.output);
  const fs::path copy = b.work / "backup-of-broken.db";
  ran = run({b.frontdoor.string(), "backup", "--data", broken_dir.string(), "--to", copy.string()});
  require(ran.status == 3 && ran.output.find("was not kept") != std::string::npos &&
              !fs::exists(copy) && !fs::exists(copy.string() + ".partial"),
          "a backup of a broken store was kept: " + ran.output);
  ran = run({b.frontdoor.string(), "verify", "--data", (b.work / "nowhere").string()});
  require(ran.status == 1 && ran.output.find("does not exist") != std::string::npos,
          "verify of a folder without a store: " + ran.output);
  fs::remove_all(broken_dir);
  return 3;
}

}  // namespace

BackupFigures backup_round_trip(const Battery& b) {
  BackupFigures f;
  const fs::path backup = b.work / "backup.db";
  const fs::path restored = b.work / "restored";
  std::vector<Ack> acks;
  std::vector<Clock::time_point> reads;
  Clock::time_point began;
  Clock::time_point ended;
  {
    Server server(b.frontdoor, b.live);
    Load load(server.port(), b);
    wait_for_acks(load, 5);
    began = Clock::now();
    const Ran ran =
        run({b.frontdoor.string(), "backup", "--data", b.live.string(), "--to", backup.string()});
    ended = Clock::now();
    require(ran.status == 0 && ran.output.find("and verified: intact") != std::string::npos,
            "frontdoor backup failed while the server was writing: " + ran.output);
    // The load carries on a little after the backup's moment.
    wait_for_acks(load, load.acks().size() + 5);
    load.stop();
    require(load.problem().empty(), load.problem());
    require(server.stop() == 0, "frontdoor serve did not stop cleanly");
    acks = load.acks();
    reads = load.reads();
  }
  f.backup_seconds = std::chrono::duration<double>(ended - began).count();
  f.writes_acknowledged = static_cast<std::int64_t>(acks.size());
  for (const auto& a : acks) {
    if (a.at >= began && a.at <= ended) ++f.writes_during_backup;
  }
  for (const auto& t : reads) {
    if (t >= began && t <= ended) ++f.reads_during_backup;
  }
  require(f.writes_during_backup + f.reads_during_backup > 0,
          "nothing was written while the backup ran: the test did not test a busy server");

  // The backup verifies on its own, and restores into a new data folder.
  Ran ran = run({b.frontdoor.string(), "verify", "--file", backup.string()});
  require(ran.status == 0, "frontdoor verify --file on the backup: " + ran.output);
  ran = run(
      {b.frontdoor.string(), "restore", "--from", backup.string(), "--data", restored.string()});
  require(ran.status == 0 && ran.output.find("restored into") != std::string::npos,
          "frontdoor restore: " + ran.output);
  ran = run(
      {b.frontdoor.string(), "restore", "--from", backup.string(), "--data", restored.string()});
  require(ran.status == 1 && ran.output.find("already holds a store") != std::string::npos,
          "a second restore over the restored store was not refused: " + ran.output);

  auto backup_db = open_store(backup);
  auto restored_db = open_store(restored / "frontdoor.db");
  auto live_db = open_store(b.live / "frontdoor.db");
  const Tables from_backup = read_tables(*backup_db);
  const Tables from_restored = read_tables(*restored_db);
  const Tables from_live = read_tables(*live_db);
  f.tables = static_cast<std::int64_t>(from_backup.size());

  // The restored store is the backup, every table, every row.
  const Comparison same = compare(from_backup, from_restored);
  require(same.rows_differing == 0 && same.rows_only_in_store == 0 &&
              from_restored.size() == from_backup.size(),
          "the restored store differs from the backup: " + same.first_difference);
  f.rows_backup_vs_restored = same.rows_compared;

  // The source at the backup's moment: the load only adds records, so every
  // row of the backup must be in the source exactly as it is, and what the
  // source has besides must have been written after that moment.
  const Comparison source = compare(from_backup, from_live);
  require(source.rows_differing == 0,
          "a row of the backup is not in the source as it was: " + source.first_difference);
  f.rows_backup_vs_source = source.rows_compared;
  f.rows_written_after = source.rows_only_in_store;
  f.written_after_by_table = source.only_in_store_by_table;
  f.backup_events = max_of(*backup_db, "events", "seq");
  f.backup_audit = max_of(*backup_db, "audit", "seq");
  // For the logs and the contacts, the source up to the backup's last key
  // is exactly the backup: nothing committed before its moment is missing.
  for (const auto& [table, column] : {std::pair<std::string, std::string>{"events", "seq"},
                                      {"audit", "seq"},
                                      {"contacts", "id"}}) {
    const std::int64_t in_backup = static_cast<std::int64_t>(from_backup.at(table).size());
    const std::int64_t up_to_backup =
        count_where(*live_db, "SELECT COUNT(*) FROM " + table + " WHERE " + column + " <= ?",
                    max_of(*backup_db, table, column));
    require(up_to_backup == in_backup,
            table + ": the source holds " + std::to_string(up_to_backup) +
                " rows up to the backup's last, the backup " + std::to_string(in_backup));
  }
  // Every contact acknowledged before the backup began is in it; every one
  // acknowledged at all is in the source.
  for (const auto& a : acks) {
    require(reference_of(*live_db, a.id) == a.reference,
            "acknowledged contact " + a.reference + " is not in the source");
    if (a.at < began) {
      require(reference_of(*backup_db, a.id) == a.reference,
              "contact " + a.reference + ", acknowledged before the backup began, is not in it");
      ++f.writes_before_backup_found;
    }
  }
  require(f.writes_before_backup_found >= 5, "too few writes before the backup");
  f.refusals = refusals(b, *backup_db);
  backup_db.reset();
  restored_db.reset();
  live_db.reset();

  // The restored folder serves: a contact from before the backup reads back.
  {
    Server server(b.frontdoor, restored);
    testing::HttpClient c(server.port());
    c.set_default_header("Authorization", "Bearer " + b.reader_token);
    auto reply = c.get("/api/v1/contacts/" + std::to_string(acks.front().id));
    require(reply.status == 200 && reply.json()["reference"] == acks.front().reference,
            "the restored store does not serve contact " + acks.front().reference + ": " +
                std::to_string(reply.status));
    require(server.stop() == 0, "frontdoor serve on the restored store did not stop cleanly");
  }
  // With --force the backup replaces the (since served) restored store, which
  // is kept beside it.
  ran = run({b.frontdoor.string(), "restore", "--from", backup.string(), "--data",
             restored.string(), "--force"});
  require(
      ran.status == 0 && ran.output.find("the store it replaced is kept as") != std::string::npos,
      "frontdoor restore --force: " + ran.output);
  int kept = 0;
  for (const auto& entry : fs::directory_iterator(restored)) {
    if (entry.path().filename().string().rfind("frontdoor.db.replaced-", 0) == 0) ++kept;
  }
  require(kept == 1, "restore --force did not keep the store it replaced");
  const Comparison again =
      compare(from_backup, read_tables(*open_store(restored / "frontdoor.db")));
  require(again.rows_differing == 0 && again.rows_only_in_store == 0,
          "the store restored with --force differs from the backup");
  return f;
}

}  // namespace frontdoor::reliability
