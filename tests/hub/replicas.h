// Real `weft hub serve` replicas for the hub's slow tests and benchmarks: started
// on a free loopback port with their output in a log file, stopped with SIGTERM
// (or killed), and their own peak RSS read from /proc.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace weft::hub::testing {

// Runs `cmd` with sh and returns its stdout, trailing newlines cut.
inline std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

struct Replica {
  pid_t pid = -1;
  std::string url;
};

// Starts `weft hub serve` on `port` (0: any free one); its stdout and stderr go
// to DIR/replicaN.log. The replica dies with the process that started it
// (PR_SET_PDEATHSIG), so a test that fails midway leaves none behind. `url` is
// empty when it did not start.
inline Replica StartReplica(const std::string& weft, const std::string& db, const std::string& dir,
                            int n, const std::vector<std::string>& extra = {}, int port = 0) {
  const std::string log = dir + "/replica" + std::to_string(n) + ".log";
  std::vector<std::string> args = {
      weft, "hub", "serve", "--db", db, "--listen", "127.0.0.1:" + std::to_string(port), "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  Replica r;
  ::unlink(log.c_str());  // an earlier run's "serving at" line is not this one's
  const pid_t parent = getpid();
  r.pid = fork();
  if (r.pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    execv(weft.c_str(), argv.data());
    _exit(127);
  }
  for (int i = 0; i < 250 && r.url.empty(); ++i) {
    std::ifstream in(log);
    std::string line;
    while (std::getline(in, line)) {
      if (line.starts_with("hub serving at ")) r.url = line.substr(15);
    }
    if (r.url.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return r;
}

// SIGTERM, or SIGKILL when `hard` (a crash).
inline void StopReplica(Replica& r, bool hard = false) {
  if (r.pid <= 0) return;
  kill(r.pid, hard ? SIGKILL : SIGTERM);
  waitpid(r.pid, nullptr, 0);
  r.pid = -1;
}

inline long PeakRssKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace weft::hub::testing
