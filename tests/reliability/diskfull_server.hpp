#pragma once
// The disk-full and I/O-error battery's handle on a real `frontdoor serve`
// process: started with extra environment variables and an optional command
// prefix (fiu-run), its standard output and error in one log file, stopped
// with SIGTERM. Also the check that its log holds no sanitizer report.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace frontdoor::reliability {

struct ServeCommand {
  std::filesystem::path frontdoor;  // the binary
  std::filesystem::path data;       // --data
  std::filesystem::path log;        // standard output and error (appended)
  std::vector<std::string> prefix;  // run through this first (e.g. fiu-run -x ...)
  std::vector<std::string> env;     // NAME=VALUE added to this process's environment
};

class ServedFrontdoor {
 public:
  // Starts the server on a free port and waits (up to a minute) for its
  // "listening on" line. Throws std::runtime_error, with the log's tail, if
  // it exits or does not listen.
  explicit ServedFrontdoor(const ServeCommand& command);
  ~ServedFrontdoor();
  ServedFrontdoor(const ServedFrontdoor&) = delete;
  ServedFrontdoor& operator=(const ServedFrontdoor&) = delete;

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Still running (not exited, not killed by a signal)?
  bool alive();
  // SIGTERM, then waits up to 30 s (SIGKILL after that). Returns the exit
  // status, or 128 + the signal that ended it.
  int stop();
  // What the process has written so far.
  std::string log() const;

 private:
  std::filesystem::path log_path_;
  pid_t pid_ = -1;
  int status_ = -1;  // once reaped
  unsigned short port_ = 0;
};

// The first line of an AddressSanitizer, LeakSanitizer or UndefinedBehavior
// Sanitizer report in `log`, or "" when there is none.
std::string sanitizer_report(const std::string& log);

// The last `lines` lines of `text`.
std::string tail(const std::string& text, std::size_t lines);

}  // namespace frontdoor::reliability
