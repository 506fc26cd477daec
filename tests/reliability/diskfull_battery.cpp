// Battery 2 of docs/RELIABILITY.md: disk full and I/O errors.
//
//   diskfull_battery diskfull --frontdoor PATH [--medium loop]
//       the database on a small file system, filled (--medium loop: skip the
//       tmpfs and use the loop-device fallback, to check that it works)
//   diskfull_battery diskfull-postgres --frontdoor PATH --with-postgres SCRIPT
//       the same with PostgreSQL: scripts/with-postgres.sh makes its cluster
//       on the small file system, and runs this program again inside it
//       (diskfull-postgres-inner)
//   diskfull_battery ioerror --frontdoor PATH
//       I/O failures injected with libfiu (fiu-run; diskfull_ioerror.cpp)
//
// diskfull: in a private mount namespace (so that nothing stays mounted if
// the battery is killed), a 24 MiB tmpfs is mounted (or, where tmpfs cannot
// be mounted, an ext4 image on a loop device); the SQLite data folder lives
// on it and a real `frontdoor serve` runs there. A filler file leaves about
// 4 MiB free; four connections then post contacts until each has been
// refused five times in a row, while a fifth reads a child's record, the
// queue and /healthz; a second filler takes the last free byte. With the
// disk full: every reply was 2xx or 503 with Retry-After and a JSON error
// without internal detail; the server is alive; /healthz, the queue and a
// person search (reads of no child's record) still answer 200; a read of the
// child's record, which must write its audit entry in the same transaction,
// is refused with 503 (and never served unaudited). Then the fillers are
// deleted and, without a restart, writes are acknowledged again (the time
// this takes is the recovery time); every refused write, retried with its
// Idempotency-Key, is acknowledged, and two more seconds of load see no 503.
// Finally the server is stopped and restarted: every acknowledged write is
// read back, each served read of the child has exactly its audit entry, no
// sanitizer report was written, and both hash chains are intact (`frontdoor
// verify`).
//
// PostgreSQL (the cluster on a 160 MiB tmpfs): the same, except that a write
// may still fit in space PostgreSQL's files already hold, so with the disk
// full some writes are refused rather than all of them; if the server stops
// for want of space, the battery starts it again when space returns (as its
// service manager would) and Frontdoor must reconnect by itself.
//
// Mounting needs CAP_SYS_ADMIN: root, or (for another user) unprivileged
// user namespaces. Where neither a tmpfs nor a loop device can be mounted,
// the battery fails and says what is missing; it never passes without
// filling a disk.
#include <sys/mount.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "diskfull_disk.hpp"
#include "diskfull_ioerror.hpp"
#include "diskfull_site.hpp"
#include "storage/postgres_database.hpp"

namespace frontdoor::reliability {
namespace {

using std::chrono::milliseconds;
using testing::HttpClient;

// Where the store lives, and what differs between the engines.
struct Store {
  std::string name;            // "diskfull" or "diskfull-postgres": the summary's name
  std::string engine;          // as the summary names it
  std::string medium;          // what the small file system is
  std::filesystem::path disk;  // a folder on the small file system, for the fillers
  std::filesystem::path data;  // Frontdoor's data folder
  std::filesystem::path log;   // the servers' output
  std::string database_url;    // empty: SQLite in the data folder
  // What the first filler leaves for the load to fill: SQLite's log grows by
  // whole pages at every commit, PostgreSQL's tables by the rows (slower).
  std::uintmax_t left_free = 4 * 1024 * 1024;
  bool every_write_refused_when_full = true;
  std::function<std::unique_ptr<storage::Database>()> open;
  // Called when space has returned; says what it did ("" for nothing).
  std::function<std::string()> space_returned;
};

// When the disk filled, PostgreSQL may have stopped (a WAL write that fails
// is a PANIC). Its service manager would start it again once space returns;
// here the battery does, with what scripts/with-postgres.sh exports.
std::string restart_postgres_if_stopped() {
  const char* bin = std::getenv("FRONTDOOR_TEST_PG_BIN");
  const char* data = std::getenv("FRONTDOOR_TEST_PG_DATA");
  const char* as_server = std::getenv("FRONTDOOR_TEST_PG_AS_SERVER");
  if (bin == nullptr || data == nullptr) {
    throw std::runtime_error("FRONTDOOR_TEST_PG_BIN and FRONTDOOR_TEST_PG_DATA are not set");
  }
  std::vector<std::string> pg_ctl;
  std::istringstream prefix(as_server != nullptr ? as_server : "");
  for (std::string word; prefix >> word;) pg_ctl.push_back(word);
  pg_ctl.insert(pg_ctl.end(), {std::string(bin) + "/pg_ctl", "-D", data});
  auto run = [&](std::vector<std::string> args) {
    std::vector<std::string> command = pg_ctl;
    command.insert(command.end(), args.begin(), args.end());
    return run_command(command);
  };
  if (run({"status"}) == 0) return "";
  const auto log = std::filesystem::path(data).parent_path() / "server.log";
  if (run({"-l", log.string(), "-w", "-t", "60", "start"}) != 0) {
    throw std::runtime_error("PostgreSQL stopped when the disk filled and did not start again");
  }
  return "PostgreSQL had stopped for want of space and was started again, as its service "
         "manager would";
}

int expect_status(const Site& site, const std::string& token, const std::string& path,
                  Ledger& ledger, Verdict& verdict, int expected) {
  HttpClient c(site.port);
  if (!token.empty()) c.set_default_header("Authorization", "Bearer " + token);
  const int status = read_other(site, c, path, ledger);
  verdict.require(status == expected, "GET " + path + " while the disk is full: status " +
                                          std::to_string(status) + ", expected " +
                                          std::to_string(expected));
  return status;
}

int fill_the_disk(const std::filesystem::path& frontdoor, const Store& store) {
  ::setenv("FRONTDOOR_DATABASE_URL", store.database_url.c_str(), 1);  // for frontdoor verify
  Verdict verdict;
  Site site = prepare_site(store.data, store.database_url);
  const ServeCommand plain{
      frontdoor, store.data, store.log, {}, {"FRONTDOOR_DATABASE_URL=" + store.database_url}};
  ServedFrontdoor server(plain);
  site.port = server.port();
  create_child(site, verdict);
  Ledger ledger;

  // Most of the space taken at once; the load fills the rest.
  const auto filler = store.disk / "filler-1";
  const auto available = free_bytes(store.disk);
  fill(filler, available > store.left_free ? available - store.left_free : 0);
  LoadPlan plan;
  plan.key_prefix = "full";
  plan.max_duration = milliseconds{40000};
  plan.stop_after_refusals_in_a_row = 5;
  const auto load = run_load(site, plan, ledger);
  verdict.require(load.every_writer_saw_its_refusals,
                  "the disk did not fill within 40 s (no writer was refused 5 times in a row)");
  const auto top_off = store.disk / "filler-2";
  fill(top_off, free_bytes(store.disk) + (1U << 20));

  // With the disk full.
  verdict.require(server.alive(),
                  "frontdoor serve died when the disk filled:\n" + tail(server.log(), 30));
  HttpClient writer(site.port);
  writer.set_default_header("Authorization", "Bearer " + site.writer_token);
  const auto refused_before = ledger.refusals();
  for (int i = 0; i < 3; ++i) write_contact(site, writer, "full-more-" + std::to_string(i), ledger);
  const auto refused_full = ledger.refusals() - refused_before;
  verdict.require(store.every_write_refused_when_full ? refused_full == 3 : refused_full > 0,
                  std::to_string(refused_full) + " of 3 writes to the full disk refused with 503");
  HttpClient reader(site.port);
  reader.set_default_header("Authorization", "Bearer " + site.reader_token);
  const auto child_refused_before = ledger.child_reads_refused();
  // A read whose audit entry fits in space the store already holds is served
  // (and audited); that space runs out within a few reads.
  for (int i = 0; i < 200 && ledger.child_reads_refused() == child_refused_before; ++i) {
    read_child(site, reader, ledger);
  }
  const auto child_refused_full = ledger.child_reads_refused() - child_refused_before;
  verdict.require(child_refused_full > 0,
                  "a read of the child's record was served 200 times while the disk was full");
  const auto other_before = ledger.other_reads_served();
  expect_status(site, "", "/healthz", ledger, verdict, 200);
  expect_status(site, site.reader_token, "/api/v1/queue", ledger, verdict, 200);
  expect_status(site, site.reader_token, "/api/v1/people?q=Diskfull", ledger, verdict, 200);
  const auto other_full = ledger.other_reads_served() - other_before;
  verdict.require(server.alive(),
                  "frontdoor serve died with the disk full:\n" + tail(server.log(), 30));

  // Space returns; no restart of Frontdoor.
  std::filesystem::remove(filler);
  std::filesystem::remove(top_off);
  const std::string note = store.space_returned ? store.space_returned() : "";
  const auto recovery = retry_refused(site, ledger, "full-recovery", milliseconds{30000});
  const auto refused_after_recovery = ledger.refusals();
  LoadPlan after;
  after.key_prefix = "after";
  after.max_duration = milliseconds{2000};
  run_load(site, after, ledger);
  verdict.require(ledger.refusals() == refused_after_recovery,
                  std::to_string(ledger.refusals() - refused_after_recovery) +
                      " writes refused after space returned");
  verdict.require(read_child(site, reader, ledger) == 200,
                  "the child's record could not be read after space returned");
  verdict.require(ledger.refused_writes().empty(), "refused writes never acknowledged on retry");
  verdict.add_problems(ledger.problems());

  const auto final = final_check(server, plain, site, ledger, verdict, store.open);
  std::ostringstream summary;
  summary << store.name << " (" << store.engine << " on " << store.medium << ", " << plan.writers
          << " writers and a reader over HTTP): writes attempted " << ledger.attempted()
          << ", acknowledged " << final.acknowledged << " (present after a restart; lost "
          << final.lost << "), refused with 503 and Retry-After " << ledger.refusals()
          << " (each acknowledged once when retried with its Idempotency-Key after space "
             "returned); disk filled after "
          << load.took.count() << " ms of load; with the disk full, writes refused " << refused_full
          << " of 3, reads of a child's record refused " << child_refused_full
          << " (never served unaudited; served and audited " << ledger.child_reads_served()
          << " in all, audit entries " << final.child_views_audited
          << "), reads of other pages served " << other_full << " of 3; writes acknowledged again "
          << recovery.count() << " ms after space returned, without restarting Frontdoor"
          << (note.empty() ? "" : " (" + note + ")")
          << "; replies neither 2xx nor a proper 503: " << ledger.problems().size()
          << "; hash chains (frontdoor verify) " << (final.chains_intact ? "intact" : "BROKEN")
          << "; " << (verdict.passed() ? "PASSED" : "FAILED");
  write_summary(store.name, summary.str());
  verdict.print(store.name);
  if (!verdict.passed()) {
    std::cerr << store.name << ": the server's log is " << store.log << "\n";
    return 1;
  }
  return 0;
}

int sqlite_disk_full(const std::filesystem::path& frontdoor, bool try_tmpfs) {
  enter_private_mount_namespace();
  const auto scratch = scratch_folder("frontdoor-diskfull-");
  const auto data = scratch / "data";
  std::filesystem::create_directories(data);
  Store store;
  store.name = "diskfull";
  store.engine = "SQLite";
  store.medium = mount_small_file_system(data, scratch, 24, try_tmpfs);
  store.disk = data;
  store.data = data;
  store.log = scratch / "serve.log";
  store.open = [data] { return open_sqlite_store(data); };
  const int status = fill_the_disk(frontdoor, store);
  if (status == 0) {
    ::umount2(data.c_str(), MNT_DETACH);
    std::filesystem::remove_all(scratch);
  }
  return status;
}

// Outside: the small file system, then scripts/with-postgres.sh with its
// temporary folder (the cluster) on it, running this program inside.
int postgres_disk_full(const std::filesystem::path& frontdoor, const std::string& with_postgres) {
  if (with_postgres.empty()) throw std::runtime_error("diskfull-postgres needs --with-postgres");
  enter_private_mount_namespace();
  const auto scratch = scratch_folder("frontdoor-diskfull-pg-");
  const auto disk = scratch / "disk";
  std::filesystem::create_directories(disk);
  // PostgreSQL runs as its own user (when this is root): let it reach the disk.
  std::filesystem::permissions(scratch, std::filesystem::perms::owner_all |
                                            std::filesystem::perms::group_exec |
                                            std::filesystem::perms::others_exec);
  const std::string medium = mount_small_file_system(disk, scratch, 160, true);
  ::setenv("TMPDIR", disk.c_str(), 1);
  const int status =
      run_command({"bash", with_postgres, std::filesystem::read_symlink("/proc/self/exe").string(),
                   "diskfull-postgres-inner", "--frontdoor", frontdoor.string(), "--disk",
                   disk.string(), "--scratch", scratch.string(), "--described", medium});
  ::unsetenv("TMPDIR");
  if (status == 0) {
    ::umount2(disk.c_str(), MNT_DETACH);
    std::filesystem::remove_all(scratch);
  }
  return status;
}

// Inside with-postgres.sh: its cluster is on the small file system.
int postgres_disk_full_inner(const std::filesystem::path& frontdoor,
                             const std::filesystem::path& disk,
                             const std::filesystem::path& scratch, const std::string& medium) {
  const char* url = std::getenv("FRONTDOOR_TEST_POSTGRES_URL");
  if (url == nullptr || disk.empty() || scratch.empty()) {
    throw std::runtime_error("diskfull-postgres-inner runs inside scripts/with-postgres.sh");
  }
  Store store;
  store.name = "diskfull-postgres";
  store.engine = "PostgreSQL";
  store.medium = medium;
  store.disk = disk;
  store.data = scratch / "data";
  std::filesystem::create_directories(store.data);
  store.log = scratch / "serve.log";
  store.database_url = url;
  store.every_write_refused_when_full = false;
  store.left_free = 512 * 1024;
  store.open = [url = store.database_url] {
    storage::PostgresOptions options;
    options.url = url;
    options.pool_size = 1;
    auto db = storage::PostgresDatabase::open(options);
    if (!db.ok())
      throw std::runtime_error("cannot open the PostgreSQL store: " + db.error().message);
    return std::unique_ptr<storage::Database>(std::move(db).value());
  };
  store.space_returned = [] { return restart_postgres_if_stopped(); };
  return fill_the_disk(frontdoor, store);
}

}  // namespace
}  // namespace frontdoor::reliability

int main(int argc, char** argv) {
  using namespace frontdoor::reliability;
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    const std::filesystem::path frontdoor = option_value(argc, argv, "--frontdoor");
    const std::string medium = option_value(argc, argv, "--medium");
    if (!frontdoor.empty() && (medium.empty() || medium == "loop")) {
      if (mode == "diskfull") return sqlite_disk_full(frontdoor, medium.empty());
      if (mode == "diskfull-postgres") {
        return postgres_disk_full(frontdoor, option_value(argc, argv, "--with-postgres"));
      }
      if (mode == "diskfull-postgres-inner") {
        return postgres_disk_full_inner(frontdoor, option_value(argc, argv, "--disk"),
                                        option_value(argc, argv, "--scratch"),
                                        option_value(argc, argv, "--described"));
      }
      if (mode == "ioerror") return io_errors(frontdoor);
    }
    std::cerr << "usage: " << argv[0]
              << " diskfull|diskfull-postgres|ioerror --frontdoor PATH [--medium loop] "
                 "[--with-postgres SCRIPT]\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "diskfull battery: FAILED: " << e.what() << "\n";
    return 1;
  }
}
