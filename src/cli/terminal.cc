#include "cli/terminal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

namespace weft::cli {

namespace {

bool Set(const char* var) {
  const char* v = std::getenv(var);
  return v != nullptr && *v != '\0';
}

// Whether `program` (a path, or a name looked up on $PATH) can be run.
bool Runnable(const std::string& program) {
  if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    struct stat st {};
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(candidate.c_str(), X_OK) == 0)
      return true;
  }
  return false;
}

}  // namespace

bool ColorFor(int fd) {
  if (Set("NO_COLOR")) return false;
  const char* term = std::getenv("TERM");
  if (term == nullptr || std::string_view(term) == "dumb") return false;
  return isatty(fd) != 0;
}

std::string Paint(bool on, Color color, std::string_view text) {
  if (!on || text.empty()) return std::string(text);
  const char* code = "";
  switch (color) {
    case Color::kRed:
      code = "31";
      break;
    case Color::kGreen:
      code = "32";
      break;
    case Color::kYellow:
      code = "33";
      break;
    case Color::kCyan:
      code = "36";
      break;
    case Color::kBold:
      code = "1";
      break;
    case Color::kDim:
      code = "2";
      break;
  }
  return "\033[" + std::string(code) + "m" + std::string(text) + "\033[0m";
}

std::string PagerCommand() {
  if (const char* pager = std::getenv("PAGER"); pager != nullptr) {
    const std::string p = pager;
    if (p.find_first_not_of(" \t") == std::string::npos || p == "cat") return "";
    // The first word must run; a pager that is not there would swallow the output.
    const std::string first = p.substr(p.find_first_not_of(" \t"));
    if (!Runnable(first.substr(0, first.find_first_of(" \t")))) return "";
    return p;
  }
  return Runnable("less") ? "less -FRX" : "";
}

std::unique_ptr<Pager> Pager::Start(const std::string& command) {
  if (command.empty()) return nullptr;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return nullptr;
  std::cout.flush();
  std::fflush(stdout);
  // less without LESS set: quit when it fits one screen, keep colours, no screen
  // clearing (git's default). Set here, not in the child: between fork and exec
  // only async-signal-safe calls are safe (the progress line's thread may hold
  // the allocator's lock at the fork).
  if (std::getenv("LESS") == nullptr) setenv("LESS", "FRX", 1);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return nullptr;
  }
  if (pid == 0) {
    dup2(fds[0], STDIN_FILENO);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[0]);
  dup2(fds[1], STDOUT_FILENO);
  close(fds[1]);
  // Ctrl-C and Ctrl-\ belong to the pager now (less uses them); weft finishes
  // its output and waits, rather than dying under it and leaving the terminal to
  // a pager without a parent.
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGQUIT, SIG_IGN);
  return std::unique_ptr<Pager>(new Pager(pid));
}

Pager::~Pager() {
  std::cout.flush();
  std::fflush(stdout);
  close(STDOUT_FILENO);  // the pager sees the end of its input
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace weft::cli
