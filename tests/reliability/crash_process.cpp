// Running the commands the crash battery needs: the frontdoor CLI (with a
// password on standard input, the token read from standard output) and
// pg_ctl. posix_spawn rather than fork, because the battery has client
// threads running when it restarts the database. (`frontdoor serve` itself
// is run by diskfull_server.cpp's ServedFrontdoor.)
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "crash_battery.hpp"

extern char** environ;

namespace frontdoor::crash {
namespace {

// The child's pid; its standard output is the read end returned in `out_fd`,
// its standard input is `input_fd` (or /dev/null), its standard error is `log`.
pid_t spawn(const std::vector<std::string>& argv, int input_fd, int& out_fd,
            const std::filesystem::path& log) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe: " + std::string(strerror(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (input_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, input_fd, STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (rc != 0) {
    ::close(out[0]);
    throw std::runtime_error("cannot start " + argv[0] + ": " + strerror(rc));
  }
  out_fd = out[0];
  return pid;
}

int wait_status(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::string& input,
                          const std::filesystem::path& log) {
  int in[2];
  if (::pipe2(in, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe: " + std::string(strerror(errno)));
  int out_fd = -1;
  pid_t pid = -1;
  try {
    pid = spawn(argv, in[0], out_fd, log);
  } catch (...) {
    ::close(in[0]);
    ::close(in[1]);
    throw;
  }
  ::close(in[0]);
  // The inputs are a line or two: far below a pipe's buffer.
  if (!input.empty() && ::write(in[1], input.data(), input.size()) < 0) {
    ::close(in[1]);
    ::close(out_fd);
    (void)wait_status(pid);
    throw std::runtime_error("cannot write to " + argv[0]);
  }
  ::close(in[1]);
  CommandResult result;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(out_fd, buf, sizeof buf);
    if (n > 0) {
      result.out.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(out_fd);
  result.exit_status = wait_status(pid);
  return result;
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

}  // namespace frontdoor::crash
