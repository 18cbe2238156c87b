#include "daemon/daemon_lock.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/hlc.h"

namespace weft::daemon {
namespace {

Result<int> OpenPidfile(const std::string& path, bool create) {
  int fd = ::open(path.c_str(),
                  O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | (create ? O_CREAT : 0), 0644);
  if (fd < 0) {
    if (errno == ENOENT && !create) return -1;
    if (errno == ELOOP) {
      return Fail(ErrorCode::kIo, "{} is a symbolic link; the daemon's pidfile must be a file",
                  path);
    }
    return Fail(ErrorCode::kIo, "cannot open {}: {}", path, std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Fail(ErrorCode::kIo, "{} is not a regular file; remove it to run the daemon", path);
  }
  return fd;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  off_t at = 0;
  while (out.size() < 64 * 1024) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, at);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    at += n;
  }
  return out;
}

DaemonInfo Parse(const std::string& text) {
  DaemonInfo info;
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object()) return info;
  auto num = [&](const char* k) -> std::int64_t {
    return doc.contains(k) && doc[k].is_number_integer() ? doc[k].get<std::int64_t>() : 0;
  };
  auto str = [&](const char* k) -> std::string {
    return doc.contains(k) && doc[k].is_string() ? doc[k].get<std::string>() : "";
  };
  info.pid = num("pid");
  info.started_ms = num("started_ms");
  info.url = str("url");
  info.device_id = str("device_id");
  return info;
}

std::string Describe(const DaemonInfo& d) {
  std::string s = fmt::format("pid {}", d.pid);
  if (!d.url.empty()) s += fmt::format(", serving {}", d.url);
  return s;
}

}  // namespace

std::string PidfilePath(const std::string& store_dir) {
  return (std::filesystem::path(store_dir) / "daemon.pid").string();
}
std::string LogPath(const std::string& store_dir) {
  return (std::filesystem::path(store_dir) / "daemon.log").string();
}

Result<DaemonLock> DaemonLock::Acquire(const std::string& store_dir) {
  const std::string path = PidfilePath(store_dir);
  WEFT_ASSIGN_OR_RETURN(int fd, OpenPidfile(path, true));
  // An open file description's lock (OFD), not a process's: closing another
  // descriptor of the pidfile in this process (RunningDaemon, asked by the
  // dashboard inside the daemon) would release a process-associated lock.
  struct flock want {};
  want.l_type = F_WRLCK;
  want.l_whence = SEEK_SET;
  if (::fcntl(fd, F_OFD_SETLK, &want) != 0) {
    const int err = errno;
    DaemonInfo running = Parse(ReadAll(fd));
    ::close(fd);
    if (err == EACCES || err == EAGAIN) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "a weft daemon is already running on {} ({}); stop it first: weft daemon stop",
                  store_dir, Describe(running));
    }
    return Fail(ErrorCode::kIo, "cannot lock {}: {}", path, std::strerror(err));
  }
  DaemonLock lock(fd);
  WEFT_TRY(lock.Write(DaemonInfo{static_cast<std::int64_t>(::getpid()), 0, "", ""}));
  return lock;
}

DaemonLock::DaemonLock(DaemonLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

DaemonLock::~DaemonLock() {
  if (fd_ < 0) return;
  // Emptied, not removed: removing it would let a new daemon lock a fresh file
  // while another still holds the old one.
  (void)::ftruncate(fd_, 0);
  ::close(fd_);
}

Status DaemonLock::Write(const DaemonInfo& info) {
  const std::string text = nlohmann::json({{"pid", info.pid},
                                           {"started_ms", info.started_ms},
                                           {"url", info.url},
                                           {"device_id", info.device_id}})
                               .dump() +
                           "\n";
  if (::ftruncate(fd_, 0) != 0 ||
      ::pwrite(fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    return Fail(ErrorCode::kIo, "cannot write the daemon's pidfile: {}", std::strerror(errno));
  }
  return {};
}

Result<std::optional<DaemonInfo>> RunningDaemon(const std::string& store_dir) {
  WEFT_ASSIGN_OR_RETURN(int fd, OpenPidfile(PidfilePath(store_dir), false));
  if (fd < 0) return std::optional<DaemonInfo>();
  // F_OFD_GETLK asks without taking the lock, so asking never gets in a starting
  // daemon's way, and it sees the daemon's lock from the daemon's own process too.
  struct flock probe {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  if (::fcntl(fd, F_OFD_GETLK, &probe) != 0 || probe.l_type == F_UNLCK) {
    ::close(fd);
    return std::optional<DaemonInfo>();
  }
  DaemonInfo info = Parse(ReadAll(fd));
  if (info.pid == 0 && probe.l_pid > 0) info.pid = probe.l_pid;  // OFD locks report -1
  ::close(fd);
  return std::optional<DaemonInfo>(info);
}

nlohmann::json DaemonJson(const std::optional<DaemonInfo>& running) {
  nlohmann::json d = {{"running", running.has_value()}};
  if (running) {
    d["pid"] = running->pid;
    d["url"] = running->url;
    d["since"] = IsoFromMillis(static_cast<std::uint64_t>(running->started_ms));
  }
  return d;
}

}  // namespace weft::daemon
