#include "diskfull_disk.hpp"

#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "diskfull_site.hpp"

namespace frontdoor::reliability {
namespace {

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

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

std::string mount_small_file_system(const std::filesystem::path& where,
                                    const std::filesystem::path& scratch, int size_mib,
                                    bool try_tmpfs) {
  const std::string size = std::to_string(size_mib) + "m";
  const std::string described = std::to_string(size_mib) + " MiB";
  const std::string options = "size=" + size + ",mode=0777";
  if (try_tmpfs && ::mount("frontdoor-diskfull", where.c_str(), "tmpfs", 0, options.c_str()) == 0) {
    return "a " + described + " tmpfs";
  }
  const std::string tmpfs_error = try_tmpfs ? std::strerror(errno) : "not tried: --medium loop";
  const auto image = scratch / "small.ext4";
  std::ostringstream why;
  why << "a tmpfs could not be mounted (" << tmpfs_error << ")";
  if (run_command({"truncate", "-s", size, image.string()}) == 0 &&
      run_command({"mkfs.ext4", "-q", "-F", "-m", "0", image.string()}) == 0) {
    if (run_command({"mount", "-o", "loop", image.string(), where.string()}) == 0) {
      std::filesystem::permissions(where, std::filesystem::perms::all);
      return "a " + described + " ext4 image on a loop device";
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

}  // namespace frontdoor::reliability
