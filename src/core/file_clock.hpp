#pragma once
// A clock for end-to-end tests (`frontdoor serve --clock-file PATH`): now()
// is the UTC instant written in a file plus the real time that has passed
// since the file was last changed. A test moves time by rewriting the file
// (best atomically: write a temporary file, then rename it over the old one).
//
// The file holds one ISO-8601 UTC instant, e.g. "2026-11-28T02:10:00Z"
// (anything parse_utc accepts; surrounding white space is ignored). Each
// now() looks at the file's modification time, inode and size, and reads it
// again only when one of them changed. If a changed file cannot be read or
// parsed (say, caught half-written), the clock keeps the last good reading
// and tries again on the next call.
//
// Never for production: time must come from the system clock there.
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>

#include "core/result.hpp"
#include "core/time.hpp"

namespace frontdoor {

class FileClock final : public Clock {
 public:
  // Reads the file once; a file that is missing or holds no instant is a
  // validation error. `real` measures elapsed time (tests pass a ManualClock)
  // and must outlive the FileClock.
  static Result<std::unique_ptr<FileClock>> open(std::filesystem::path path);
  static Result<std::unique_ptr<FileClock>> open(std::filesystem::path path, const Clock& real);

  Instant now() const override;
  const std::filesystem::path& path() const { return path_; }

 private:
  struct Stamp {
    long long mtime_ns = 0;
    unsigned long long inode = 0;
    long long size = -1;
    friend bool operator==(const Stamp&, const Stamp&) = default;
  };
  struct Reading {
    Stamp stamp;
    Instant written;     // the instant in the file
    Instant changed_at;  // the file's modification time, as a real instant
  };

  FileClock(std::filesystem::path path, const Clock& real, Reading first);
  // The file's stamp, or nullopt if it cannot be examined.
  static std::optional<Stamp> stamp_of(const std::filesystem::path& path);
  static Result<Reading> read(const std::filesystem::path& path);

  std::filesystem::path path_;
  const Clock& real_;
  mutable std::mutex mutex_;
  mutable Reading reading_;
};

}  // namespace frontdoor
