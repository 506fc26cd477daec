// Battery 2 of docs/RELIABILITY.md: disk full and I/O errors.
//
//   diskfull_battery diskfull --frontdoor PATH [--medium loop]
//       the database on a small file system, filled (--medium loop: skip the
//       tmpfs and use the loop-device fallback, to check that it works)
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
// Mounting needs CAP_SYS_ADMIN: root, or (for another user) unprivileged
// user namespaces. Where neither a tmpfs nor a loop device can be mounted,
// the battery fails and says what is missing; it never passes without
// filling a disk.
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "diskfull_ioerror.hpp"
#include "diskfull_site.hpp"

namespace frontdoor::reliability {
namespace {

using std::chrono::milliseconds;
using testing::HttpClient;

constexpr const char* kTmpfsSize = "24m";
constexpr const char* kTmpfsSizeText = "24 MiB";
constexpr std::uintmax_t kLeftFree = 4 * 1024 * 1024;

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// A mount namespace of this process's own, whose mounts are private: they
// vanish with the process and its children, even when it is killed. Must run
// before any thread starts. Throws with what is missing.
void enter_private_mount_namespace() {
  if (::unshare(CLONE_NEWNS) != 0) {
    const std::string denied = std::strerror(errno);
    // Without CAP_SYS_ADMIN: a user namespace in which this user is root,
    // where the kernel allows unprivileged user namespaces.
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
      throw std::runtime_error(
          "cannot mount a file system for the database: no private mount namespace (" + denied +
          ") and no user namespace (" + std::strerror(errno) +
          "). The disk-full battery needs CAP_SYS_ADMIN (run it as root) or unprivileged user "
          "namespaces (sysctl user.max_user_namespaces > 0)");
    }
    write_text("/proc/self/setgroups", "deny");
    write_text("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
    write_text("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
  }
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    throw std::runtime_error(std::string("cannot make the mounts private: ") +
                             std::strerror(errno));
  }
}

// Mounts a small file system on `where`: a tmpfs, or else an ext4 image on a
// loop device. Returns what was mounted; throws saying why neither could be.
std::string mount_small_file_system(const std::filesystem::path& where,
                                    const std::filesystem::path& scratch, bool try_tmpfs) {
  const std::string options = std::string("size=") + kTmpfsSize + ",mode=0755";
  if (try_tmpfs && ::mount("frontdoor-diskfull", where.c_str(), "tmpfs", 0, options.c_str()) == 0) {
    return std::string("a ") + kTmpfsSizeText + " tmpfs";
  }
  const std::string tmpfs_error = try_tmpfs ? std::strerror(errno) : "not tried: --medium loop";
  const auto image = scratch / "small.ext4";
  std::ostringstream why;
  why << "a tmpfs could not be mounted (" << tmpfs_error << ")";
  if (run_command({"truncate", "-s", kTmpfsSize, image.string()}) == 0 &&
      run_command({"mkfs.ext4", "-q", "-F", "-m", "0", image.string()}) == 0) {
    if (run_command({"mount", "-o", "loop", image.string(), where.string()}) == 0) {
      return std::string("a ") + kTmpfsSizeText + " ext4 image on a loop device";
    }
    why << ", nor an ext4 image on a loop device (mount -o loop failed: no loop device, or no "
           "CAP_SYS_ADMIN)";
  } else {
    why << ", and no ext4 image could be made for a loop device (truncate and mkfs.ext4 from "
           "coreutils and e2fsprogs)";
  }
  throw std::runtime_error(why.str() +
                           ". The disk-full battery needs to mount a small file system: run it as "
                           "root (or with CAP_SYS_ADMIN)");
}

std::uintmax_t free_bytes(const std::filesystem::path& where) {
  struct statvfs s {};
  if (::statvfs(where.c_str(), &s) != 0) throw std::runtime_error("statvfs failed");
  return static_cast<std::uintmax_t>(s.f_bavail) * s.f_frsize;
}

// Writes zeros to `path` until `bytes` are written or the disk is full;
// returns how many were written.
std::uintmax_t fill(const std::filesystem::path& path, std::uintmax_t bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  static const std::string block(64 * 1024, '\0');
  std::uintmax_t written = 0;
  while (written < bytes) {
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uintmax_t>(block.size(), bytes - written));
    const std::size_t put = std::fwrite(block.data(), 1, n, f);
    written += put;
    if (put < n || std::fflush(f) != 0) break;
  }
  std::fclose(f);
  return written;
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

int disk_full(const std::filesystem::path& frontdoor, bool try_tmpfs) {
  enter_private_mount_namespace();
  const auto scratch = scratch_folder("frontdoor-diskfull-");
  const auto data = scratch / "data";
  std::filesystem::create_directories(data);
  const std::string medium = mount_small_file_system(data, scratch, try_tmpfs);
  Verdict verdict;
  Site site = prepare_site(data);
  const ServeCommand plain{frontdoor, data, scratch / "serve.log", {}, {"FRONTDOOR_DATABASE_URL="}};
  ServedFrontdoor server(plain);
  site.port = server.port();
  create_child(site, verdict);
  Ledger ledger;

  // Most of the space taken at once; the load fills the rest.
  const auto filler = data / "filler-1";
  const auto available = free_bytes(data);
  fill(filler, available > kLeftFree ? available - kLeftFree : 0);
  LoadPlan plan;
  plan.key_prefix = "full";
  plan.max_duration = milliseconds{40000};
  plan.stop_after_refusals_in_a_row = 5;
  const auto load = run_load(site, plan, ledger);
  verdict.require(load.every_writer_saw_its_refusals,
                  "the disk did not fill within 40 s (no writer was refused 5 times in a row)");
  const auto top_off = data / "filler-2";
  fill(top_off, free_bytes(data) + (1U << 20));

  // With the disk full.
  verdict.require(server.alive(),
                  "frontdoor serve died when the disk filled:\n" + tail(server.log(), 30));
  HttpClient writer(site.port);
  writer.set_default_header("Authorization", "Bearer " + site.writer_token);
  const auto refused_before = ledger.refusals();
  for (int i = 0; i < 3; ++i) write_contact(site, writer, "full-more-" + std::to_string(i), ledger);
  verdict.require(ledger.refusals() - refused_before == 3,
                  "writes to a full disk were not all refused with 503");
  HttpClient reader(site.port);
  reader.set_default_header("Authorization", "Bearer " + site.reader_token);
  const auto child_refused_before = ledger.child_reads_refused();
  // A read whose audit entry fits in space the log already holds is served
  // (and audited); the log cannot grow, so the refusal comes within a few.
  for (int i = 0; i < 40 && ledger.child_reads_refused() == child_refused_before; ++i) {
    read_child(site, reader, ledger);
  }
  const auto child_refused_full = ledger.child_reads_refused() - child_refused_before;
  verdict.require(child_refused_full > 0,
                  "a read of the child's record was served 40 times while no audit entry could "
                  "be written");
  const auto other_before = ledger.other_reads_served();
  expect_status(site, "", "/healthz", ledger, verdict, 200);
  expect_status(site, site.reader_token, "/api/v1/queue", ledger, verdict, 200);
  expect_status(site, site.reader_token, "/api/v1/people?q=Diskfull", ledger, verdict, 200);
  const auto other_full = ledger.other_reads_served() - other_before;
  verdict.require(server.alive(),
                  "frontdoor serve died with the disk full:\n" + tail(server.log(), 30));

  // Space returns; no restart.
  std::filesystem::remove(filler);
  std::filesystem::remove(top_off);
  const auto recovery = retry_refused(site, ledger, "full-recovery", milliseconds{20000});
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

  const auto final = final_check(server, plain, site, ledger, verdict);
  std::ostringstream summary;
  summary << "diskfull (SQLite on " << medium << ", " << plan.writers
          << " writers and a reader over HTTP): writes attempted " << ledger.attempted()
          << ", acknowledged " << final.acknowledged << " (present after a restart; lost "
          << final.lost << "), refused with 503 and Retry-After " << ledger.refusals()
          << " (each acknowledged once when retried with its Idempotency-Key after space "
             "returned); disk filled after "
          << load.took.count() << " ms of load; reads of a child's record with the disk full "
          << "refused " << child_refused_full << " (never served unaudited; served and audited "
          << ledger.child_reads_served() << " in all, audit entries " << final.child_views_audited
          << "); reads of other pages served with the disk full " << other_full
          << " of 3; writes acknowledged again " << recovery.count()
          << " ms after space returned, without a restart; replies neither 2xx nor a proper 503: "
          << ledger.problems().size() << "; hash chains (frontdoor verify) "
          << (final.chains_intact ? "intact" : "BROKEN") << "; "
          << (verdict.passed() ? "PASSED" : "FAILED");
  write_summary("diskfull", summary.str());
  verdict.print("diskfull");
  if (!verdict.passed()) {
    std::cerr << "diskfull: the server's log is " << plain.log << "\n";
    return 1;
  }
  ::umount2(data.c_str(), MNT_DETACH);
  std::filesystem::remove_all(scratch);
  return 0;
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
      if (mode == "diskfull") return disk_full(frontdoor, medium.empty());
      if (mode == "ioerror") return io_errors(frontdoor);
    }
    std::cerr << "usage: " << argv[0] << " diskfull|ioerror --frontdoor PATH [--medium loop]\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "diskfull battery: FAILED: " << e.what() << "\n";
    return 1;
  }
}
