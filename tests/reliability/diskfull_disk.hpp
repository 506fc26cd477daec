#pragma once
// The disk of the disk-full battery: a mount namespace of the battery's own,
// a small file system mounted in it, and filler files that take its space.
#include <cstdint>
#include <filesystem>
#include <string>

namespace frontdoor::reliability {

// A mount namespace of this process's own, whose mounts are private: they
// vanish with the process and its children, even when it is killed. Without
// CAP_SYS_ADMIN, a user namespace in which this user is root (where the
// kernel allows them). Must run before any thread starts. Throws saying
// what is missing.
void enter_private_mount_namespace();

// Mounts a file system of `size_mib` MiB on `where` (mode 0777, so that a
// server running as another user can work in it): a tmpfs, or (when a tmpfs
// cannot be mounted, or `try_tmpfs` is false) an ext4 image in `scratch` on
// a loop device. Returns what was mounted; throws saying why neither could be.
std::string mount_small_file_system(const std::filesystem::path& where,
                                    const std::filesystem::path& scratch, int size_mib,
                                    bool try_tmpfs);

// Bytes an unprivileged writer may still use on the file system of `where`.
std::uintmax_t free_bytes(const std::filesystem::path& where);

// Writes zeros to `path` until `bytes` are written or the disk is full;
// returns how many were written.
std::uintmax_t fill(const std::filesystem::path& path, std::uintmax_t bytes);

}  // namespace frontdoor::reliability
