#include "core/file_clock.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace frontdoor {
namespace {

const Clock& system_clock_instance() {
  static const SystemClock clock;
  return clock;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

}  // namespace

FileClock::FileClock(std::filesystem::path path, const Clock& real, Reading first)
    : path_(std::move(path)), real_(real), reading_(first) {}

Result<std::unique_ptr<FileClock>> FileClock::open(std::filesystem::path path) {
  return open(std::move(path), system_clock_instance());
}

Result<std::unique_ptr<FileClock>> FileClock::open(std::filesystem::path path, const Clock& real) {
  FD_ASSIGN_OR_RETURN(Reading first, read(path));
  return std::unique_ptr<FileClock>(new FileClock(std::move(path), real, first));
}

std::optional<FileClock::Stamp> FileClock::stamp_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  Stamp s;
  s.mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
  s.inode = static_cast<unsigned long long>(st.st_ino);
  s.size = static_cast<long long>(st.st_size);
  return s;
}

Result<FileClock::Reading> FileClock::read(const std::filesystem::path& path) {
  const auto before = stamp_of(path);
  if (!before) return Error::validation("Cannot read the clock file " + path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::validation("Cannot read the clock file " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = trimmed(ss.str());
  // Changed while we read it: the caller tries again later.
  if (stamp_of(path) != before) {
    return Error::unavailable("The clock file " + path.string() + " changed while being read");
  }
  const auto written = parse_utc(text);
  if (!written) {
    return Error::validation("The clock file " + path.string() +
                             " must hold a UTC instant such as 2026-11-28T02:10:00Z, not \"" +
                             text.substr(0, 40) + "\"");
  }
  Reading r;
  r.stamp = *before;
  r.written = *written;
  r.changed_at = Instant{std::chrono::milliseconds{before->mtime_ns / 1'000'000}};
  return r;
}

Instant FileClock::now() const {
  std::lock_guard lock(mutex_);
  const auto stamp = stamp_of(path_);
  if (stamp && *stamp != reading_.stamp) {
    auto fresh = read(path_);
    if (fresh.ok()) reading_ = *fresh;
  }
  const auto elapsed = real_.now() - reading_.changed_at;
  return reading_.written + std::max(elapsed, std::chrono::milliseconds{0});
}

}  // namespace frontdoor
