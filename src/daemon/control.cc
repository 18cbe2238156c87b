#include "daemon/control.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <thread>

namespace weft::daemon {
namespace {

std::string LastLines(const std::string& store_dir, std::size_t n) {
  auto lines = TailLog(store_dir, n);
  if (!lines || lines->empty()) return "(the log is empty)";
  std::string out;
  for (const auto& l : *lines) out += (out.empty() ? "" : " | ") + l;
  return out;
}

}  // namespace

void RotateLog(const std::string& store_dir, std::uintmax_t limit) {
  std::error_code ec;
  const std::string log = LogPath(store_dir);
  if (std::filesystem::is_regular_file(log, ec) && std::filesystem::file_size(log, ec) > limit) {
    std::filesystem::rename(log, log + ".1", ec);
  }
}

Result<DaemonInfo> StartDetached(const std::string& exe, const std::string& store_dir,
                                 const std::vector<std::string>& run_args,
                                 std::chrono::milliseconds wait) {
  WEFT_ASSIGN_OR_RETURN(auto running, RunningDaemon(store_dir));
  if (running) {
    return Fail(ErrorCode::kFailedPrecondition, "a weft daemon is already running on {} (pid {}{})",
                store_dir, running->pid, running->url.empty() ? "" : ", serving " + running->url);
  }
  RotateLog(store_dir);
  const std::string log = LogPath(store_dir);
  const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (out < 0) return Fail(ErrorCode::kIo, "cannot open {}: {}", log, std::strerror(errno));
  std::vector<std::string> argv = {exe, "--store", store_dir, "daemon", "run"};
  argv.insert(argv.end(), run_args.begin(), run_args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(out);
    return Fail(ErrorCode::kIo, "cannot start the daemon: {}", std::strerror(errno));
  }
  if (child == 0) {
    ::setsid();
    const int in = ::open("/dev/null", O_RDONLY);
    if (in >= 0) ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execv(exe.c_str(), cargv.data());
    _exit(127);
  }
  ::close(out);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(child, &status, WNOHANG) == child) {
      return Fail(ErrorCode::kUnavailable, "the daemon exited at once; its log ({}) says: {}", log,
                  LastLines(store_dir, 3));
    }
    auto now = RunningDaemon(store_dir);
    if (now && *now && (*now)->pid == child && !(*now)->url.empty()) return **now;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(child, SIGTERM);
  return Fail(ErrorCode::kUnavailable,
              "the daemon did not start listening within {} s; its log "
              "({}) says: {}",
              wait.count() / 1000, log, LastLines(store_dir, 3));
}

Result<DaemonInfo> StopRunning(const std::string& store_dir, std::chrono::milliseconds wait) {
  WEFT_ASSIGN_OR_RETURN(auto running, RunningDaemon(store_dir));
  if (!running) return Fail(ErrorCode::kNotFound, "no weft daemon is running on {}", store_dir);
  if (running->pid <= 1 || ::kill(static_cast<pid_t>(running->pid), SIGTERM) != 0) {
    return Fail(ErrorCode::kIo, "cannot signal the daemon (pid {}): {}", running->pid,
                std::strerror(errno));
  }
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline) {
    auto now = RunningDaemon(store_dir);
    if (now && !*now) return *running;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Fail(ErrorCode::kTimeout,
              "the daemon (pid {}) did not stop within {} s; to end it: kill -9 {}", running->pid,
              wait.count() / 1000, running->pid);
}

Result<std::vector<std::string>> TailLog(const std::string& store_dir, std::size_t lines) {
  const std::string log = LogPath(store_dir);
  std::error_code ec;
  if (!std::filesystem::exists(log, ec)) return std::vector<std::string>();
  if (!std::filesystem::is_regular_file(log, ec)) {
    return Fail(ErrorCode::kIo, "{} is not a regular file", log);
  }
  std::ifstream in(log);
  if (!in) return Fail(ErrorCode::kIo, "cannot read {}", log);
  std::deque<std::string> kept;
  std::string line;
  while (std::getline(in, line)) {
    kept.push_back(std::move(line));
    if (kept.size() > lines) kept.pop_front();
  }
  return std::vector<std::string>(kept.begin(), kept.end());
}

}  // namespace weft::daemon
