#include "diskfull_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace frontdoor::reliability {

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

std::string tail(const std::string& text, std::size_t lines) {
  std::size_t at = text.size();
  for (std::size_t n = 0; n <= lines && at > 0; ++n) {
    at = text.rfind('\n', at - 1);
    if (at == std::string::npos) return text;
  }
  return text.substr(at + 1);
}

std::string sanitizer_report(const std::string& log) {
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                             "runtime error:", "ERROR: ThreadSanitizer"}) {
    const auto at = log.find(marker);
    if (at == std::string::npos) continue;
    const auto start = log.rfind('\n', at);
    const auto from = start == std::string::npos ? 0 : start + 1;
    return log.substr(from, log.find('\n', at) - from);
  }
  return "";
}

ServedFrontdoor::ServedFrontdoor(const ServeCommand& command) : log_path_(command.log) {
  std::vector<std::string> argv = command.prefix;
  argv.insert(argv.end(), {command.frontdoor.string(), "serve", "--port", "0", "--threads", "4",
                           "--data", command.data.string()});
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  for (const auto& extra : command.env) {
    const std::string name = extra.substr(0, extra.find('=') + 1);
    std::erase_if(env, [&](const std::string& e) { return e.rfind(name, 0) == 0; });
    env.push_back(extra);
  }
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::vector<char*> cenv;
  for (auto& e : env) cenv.push_back(e.data());
  cenv.push_back(nullptr);

  const std::size_t log_start =
      std::filesystem::exists(log_path_) ? std::filesystem::file_size(log_path_) : std::size_t{0};
  const int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open " + log_path_.string());
  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(fd);
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::execvpe(cargv[0], cargv.data(), cenv.data());
    std::fprintf(stderr, "cannot run %s: %s\n", cargv[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(fd);

  static const std::regex listening(R"(listening on http://[^:\s]+:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = log().substr(log_start);
    std::smatch m;
    if (std::regex_search(text, m, listening)) {
      port_ = static_cast<unsigned short>(std::stoi(m[1].str()));
      return;
    }
    if (!alive()) {
      throw std::runtime_error("frontdoor serve exited before listening (status " +
                               std::to_string(stop()) + "):\n" + tail(text, 30));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  stop();
  throw std::runtime_error("frontdoor serve did not listen within 60 s:\n" +
                           tail(log().substr(log_start), 30));
}

ServedFrontdoor::~ServedFrontdoor() {
  if (status_ < 0 && pid_ > 0) stop();
}

bool ServedFrontdoor::alive() {
  if (status_ >= 0) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return false;
}

int ServedFrontdoor::stop() {
  if (!alive()) return status_;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
  while (alive()) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      status_ = 128 + SIGKILL;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return status_;
}

std::string ServedFrontdoor::log() const {
  return read_file(log_path_);
}

}  // namespace frontdoor::reliability
