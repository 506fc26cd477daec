// I/O errors injected into a real `frontdoor serve` with libfiu (Debian's
// fiu-utils): the server runs under `fiu-run -x` (the POSIX preload library,
// remote control on through a named pipe) and `fiu-ctrl` turns failure
// points on and off while it serves.
//
// 1. Random faults under load: pwrite fails with EIO 3% of the time,
//    fdatasync and fsync 10%, pread 1%, for six seconds of four writers and
//    a reader. Every reply must be 2xx or 503 with Retry-After and a JSON
//    error without internal detail.
// 2. Faults every time: pwrite fails with ENOSPC (the disk is full), then
//    fdatasync and fsync fail with EIO (the fsync that must never be taken
//    for a success). Writes are refused with 503, and so is a read of a
//    child's record, whose audit entry cannot be written; /healthz and the
//    queue still answer 200 while only writes fail.
// 3. Faults off: writes are acknowledged again without a restart (the
//    recovery time), each refused write is acknowledged when retried with
//    its Idempotency-Key, and two seconds of load see no 503.
// Then the common final check (diskfull_site.hpp): a clean stop, a restart
// without fiu, every acknowledged write read back, every served read of the
// child audited, no sanitizer report.
//
// AddressSanitizer and the preload: ASan insists that its runtime comes
// first among the libraries loaded, and fiu-run puts its own two libraries
// in LD_PRELOAD, so an ASan build started by fiu-run alone aborts ("ASan
// runtime does not come first in initial library list"). The battery runs
// fiu-run with an LD_PRELOAD that names the ASan runtime the binary links
// (found with ldd) ahead of fiu's: then ASan's interceptors wrap fiu's
// wrappers, which wrap libc, and both work. A build without ASan needs
// nothing more.
#include "diskfull_ioerror.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "diskfull_site.hpp"

namespace frontdoor::reliability {
namespace {

using std::chrono::milliseconds;
using testing::HttpClient;

constexpr const char* kEio = "5";
constexpr const char* kEnospc = "28";

// The ASan runtime `binary` is linked with, or "" when it has none.
std::string asan_runtime(const std::filesystem::path& binary) {
  const std::string command = "ldd '" + binary.string() + "' 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string found;
  char line[1024];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    std::istringstream words(line);
    std::string name, arrow, path;
    words >> name >> arrow >> path;
    if (name.rfind("libasan.so", 0) == 0 && arrow == "=>") found = path;
  }
  ::pclose(pipe);
  return found;
}

// The failure points of one fiu-run'd process, driven with fiu-ctrl.
class Faults {
 public:
  Faults(std::filesystem::path fifo, pid_t pid) : fifo_(std::move(fifo)), pid_(pid) {}

  // enable name=POINT,failinfo=ERRNO[,probability=P]
  void enable(const std::string& point, const char* errno_value, double probability = 1.0) {
    std::string command = probability < 1.0 ? "enable_random" : "enable";
    command += " name=" + point + ",failinfo=" + errno_value;
    if (probability < 1.0) command += ",probability=" + std::to_string(probability);
    send(command);
    enabled_.insert(point);
  }
  void disable_all() {
    for (const auto& point : enabled_) send("disable name=" + point);
    enabled_.clear();
  }

 private:
  void send(const std::string& command) {
    const int status =
        run_command({"fiu-ctrl", "-f", fifo_.string(), "-c", command, std::to_string(pid_)});
    if (status != 0) {
      throw std::runtime_error("fiu-ctrl -c '" + command + "' failed (status " +
                               std::to_string(status) + ")");
    }
  }

  std::filesystem::path fifo_;
  pid_t pid_;
  std::set<std::string> enabled_;
};

// While every write fails: a write and a read of the child are refused with
// 503; with `reads_work`, /healthz and the queue still answer 200.
void expect_refusals(const Site& site, Ledger& ledger, Verdict& verdict, const std::string& what,
                     bool reads_work) {
  HttpClient writer(site.port);
  writer.set_default_header("Authorization", "Bearer " + site.writer_token);
  HttpClient reader(site.port);
  reader.set_default_header("Authorization", "Bearer " + site.reader_token);
  verdict.require(write_contact(site, writer, "io-" + what, ledger) == 503,
                  "a write was not refused with 503 when " + what);
  verdict.require(read_child(site, reader, ledger) == 503,
                  "a read of the child's record was not refused with 503 when " + what +
                      " (its audit entry cannot be written)");
  if (!reads_work) return;
  HttpClient anonymous(site.port);
  verdict.require(read_other(site, anonymous, "/healthz", ledger) == 200,
                  "/healthz did not answer 200 when " + what);
  verdict.require(read_other(site, reader, "/api/v1/queue", ledger) == 200,
                  "the queue could not be read when " + what);
}

}  // namespace

int io_errors(const std::filesystem::path& frontdoor) {
  const auto scratch = scratch_folder("frontdoor-ioerror-");
  const auto data = scratch / "data";
  std::filesystem::create_directories(data);
  ::setenv("FRONTDOOR_DATABASE_URL", "", 1);  // SQLite, also for frontdoor verify
  Verdict verdict;
  Site site = prepare_site(data, "");
  const ServeCommand plain{frontdoor, data, scratch / "serve.log", {}, {"FRONTDOOR_DATABASE_URL="}};
  ServeCommand faulty = plain;
  const auto fifo = scratch / "fiu";
  faulty.prefix = {"fiu-run", "-x", "-f", fifo.string()};
  if (const auto asan = asan_runtime(frontdoor); !asan.empty()) {
    // fiu-run sets LD_PRELOAD to its two libraries; `env` puts ASan's first.
    faulty.prefix.insert(faulty.prefix.end(),
                         {"sh", "-c", "LD_PRELOAD=\"" + asan + " $LD_PRELOAD\" exec \"$@\"", "sh"});
  }
  ServedFrontdoor server(faulty);
  site.port = server.port();
  create_child(site, verdict);
  Faults faults(fifo, server.pid());
  Ledger ledger;

  // 1. Random faults under load.
  faults.enable("posix/io/rw/pwrite", kEio, 0.03);
  faults.enable("posix/io/sync/fdatasync", kEio, 0.10);
  faults.enable("posix/io/sync/fsync", kEio, 0.10);
  faults.enable("posix/io/rw/pread", kEio, 0.01);
  LoadPlan plan;
  plan.key_prefix = "io";
  plan.max_duration = milliseconds{6000};
  const auto load = run_load(site, plan, ledger);
  faults.disable_all();
  const auto random_refusals = ledger.refusals();
  verdict.require(random_refusals > 0,
                  "no write was refused while faults were injected: is the fiu preload working?");
  verdict.require(server.alive(),
                  "frontdoor serve died under injected I/O errors:\n" + tail(server.log(), 30));

  // 2. Faults every time.
  const auto child_refused_before = ledger.child_reads_refused();
  faults.enable("posix/io/rw/pwrite", kEnospc);
  expect_refusals(site, ledger, verdict, "every pwrite fails with ENOSPC", true);
  faults.disable_all();
  faults.enable("posix/io/sync/fdatasync", kEio);
  faults.enable("posix/io/sync/fsync", kEio);
  expect_refusals(site, ledger, verdict, "every fsync fails with EIO", true);
  faults.disable_all();
  const auto child_refused_always = ledger.child_reads_refused() - child_refused_before;
  verdict.require(server.alive(),
                  "frontdoor serve died under injected I/O errors:\n" + tail(server.log(), 30));

  // 3. Faults off.
  const auto recovery = retry_refused(site, ledger, "io-recovery", milliseconds{20000});
  const auto refused_after_recovery = ledger.refusals();
  LoadPlan after;
  after.key_prefix = "io-after";
  after.max_duration = milliseconds{2000};
  run_load(site, after, ledger);
  verdict.require(ledger.refusals() == refused_after_recovery,
                  std::to_string(ledger.refusals() - refused_after_recovery) +
                      " writes refused after the faults ended");
  verdict.require(ledger.refused_writes().empty(), "refused writes never acknowledged on retry");
  verdict.add_problems(ledger.problems());

  const auto final = final_check(server, plain, site, ledger, verdict,
                                 [&data] { return open_sqlite_store(data); });
  std::ostringstream summary;
  summary << "ioerror (SQLite under fiu-run: pwrite EIO 3%, fdatasync/fsync EIO 10%, pread EIO "
             "1% for "
          << load.took.count() << " ms of " << plan.writers
          << " writers and a reader; then every pwrite ENOSPC, every fsync EIO): writes "
             "attempted "
          << ledger.attempted() << ", acknowledged " << final.acknowledged
          << " (present after a restart; lost " << final.lost << "), refused with 503 and "
          << "Retry-After " << ledger.refusals() << " (" << random_refusals
          << " under random faults; each acknowledged once when retried with its "
             "Idempotency-Key); reads of a child's record refused "
          << ledger.child_reads_refused() << " (" << child_refused_always
          << " while no audit entry could be written), served and audited "
          << ledger.child_reads_served() << " (audit entries " << final.child_views_audited
          << "); writes acknowledged again " << recovery.count()
          << " ms after the faults ended, without a restart; replies neither 2xx nor a proper "
             "503: "
          << ledger.problems().size() << "; hash chains (frontdoor verify) "
          << (final.chains_intact ? "intact" : "BROKEN") << "; "
          << (verdict.passed() ? "PASSED" : "FAILED");
  write_summary("ioerror", summary.str());
  verdict.print("ioerror");
  if (!verdict.passed()) {
    std::cerr << "ioerror: the server's log is " << plain.log << "\n";
    return 1;
  }
  std::filesystem::remove_all(scratch);
  return 0;
}

}  // namespace frontdoor::reliability
