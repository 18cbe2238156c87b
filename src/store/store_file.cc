#include "store/store_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

#include "store/schema.h"
#include "store/store.h"

namespace weft {
namespace {

constexpr std::size_t kHeaderSize = 100;
constexpr char kMagic[] = "SQLite format 3";  // 16 bytes with its NUL

// Refuses anything but a regular file at `path` (absent is fine unless `required`).
Status CheckRegular(const std::string& path, bool required) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT && !required) return {};
    if (errno == ENOENT) return Fail(ErrorCode::kNotFound, "{} does not exist", path);
    return Fail(ErrorCode::kIo, "cannot look at {}: {}", path, std::strerror(errno));
  }
  if (S_ISLNK(st.st_mode)) {
    return Fail(ErrorCode::kIo, "{} is a symlink; weft refuses to open a store through one", path);
  }
  if (!S_ISREG(st.st_mode)) {
    return Fail(ErrorCode::kIo, "{} is not a regular file; refusing to open it", path);
  }
  return {};
}

struct FileKey {
  dev_t dev;
  ino_t ino;
  auto operator<=>(const FileKey&) const = default;
};

std::mutex& HeldMutex() {
  static std::mutex mu;
  return mu;
}
std::map<FileKey, int>& Held() {
  static std::map<FileKey, int> held;
  return held;
}

bool IsHeld(const struct stat& st) {
  std::lock_guard lock(HeldMutex());
  return Held().contains(FileKey{st.st_dev, st.st_ino});
}

}  // namespace

StoreFileHold::~StoreFileHold() {
  std::lock_guard lock(HeldMutex());
  auto it = Held().find(FileKey{dev_, ino_});
  if (it != Held().end() && --it->second == 0) Held().erase(it);
}

Result<std::unique_ptr<StoreFileHold>> HoldStoreFile(const std::string& dir) {
  const std::string file = StoreFilePath(dir);
  struct stat st {};
  if (lstat(file.c_str(), &st) != 0) {
    return Fail(ErrorCode::kIo, "cannot look at {}: {}", file, std::strerror(errno));
  }
  std::lock_guard lock(HeldMutex());
  ++Held()[FileKey{st.st_dev, st.st_ino}];
  return std::make_unique<StoreFileHold>(st.st_dev, st.st_ino);
}

std::mutex& StoreOpeningMutex() {
  static std::mutex mu;
  return mu;
}

std::string StoreFilePath(const std::string& dir) {
  return (std::filesystem::path(dir) / kStoreFileName).string();
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0;
}

bool WalHoldsData(const std::string& db_file) {
  struct stat st {};
  return lstat((db_file + "-wal").c_str(), &st) == 0 && st.st_size > 0;
}

bool CanWrite(const std::string& dir, const std::string& file) {
  return access(dir.c_str(), W_OK | X_OK) == 0 && access(file.c_str(), W_OK) == 0;
}

Result<StoreFileKind> InspectStoreFiles(const std::string& dir) {
  const std::string file = StoreFilePath(dir);
  struct stat st {};
  if (lstat(file.c_str(), &st) != 0 && errno == ENOENT) {
    return Fail(ErrorCode::kNotFound, "no weft store at {} (run `weft init` first)", dir);
  }
  WEFT_TRY(CheckRegular(file, true));
  WEFT_TRY(CheckRegular(file + "-wal", false));
  WEFT_TRY(CheckRegular(file + "-shm", false));
  // Opened through SQLite in this process already: never open and close it by hand.
  if (IsHeld(st)) return StoreFileKind::kWeft;
  int fd = open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return Fail(ErrorCode::kIo, "cannot read {}: {}", file, std::strerror(errno));
  unsigned char header[kHeaderSize] = {};
  ssize_t got = 0;
  while (got < static_cast<ssize_t>(kHeaderSize)) {
    ssize_t n = read(fd, header + got, kHeaderSize - static_cast<std::size_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += n;
  }
  close(fd);
  if (got == 0) {
    return Fail(ErrorCode::kCorruption,
                "{} is empty, not a weft store (left by a failed `weft init`? remove it and run "
                "`weft init` again)",
                file);
  }
  if (got < static_cast<ssize_t>(kHeaderSize) || std::memcmp(header, kMagic, sizeof(kMagic)) != 0) {
    return Fail(ErrorCode::kCorruption, "{} is not a weft store", file);
  }
  const std::uint32_t app = (std::uint32_t{header[68]} << 24) | (std::uint32_t{header[69]} << 16) |
                            (std::uint32_t{header[70]} << 8) | std::uint32_t{header[71]};
  if (app == kApplicationId) return StoreFileKind::kWeft;
  if (app == 0) return StoreFileKind::kUnstamped;
  return StoreFileKind::kForeign;
}

// Flushes a file or directory to disk; errors are reported, not ignored.
Status FlushPath(const std::string& path, int flags) {
  int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Fail(ErrorCode::kIo, "cannot open {}: {}", path, std::strerror(errno));
  int rc = fsync(fd);
  int err = errno;
  close(fd);
  if (rc != 0) {
    if (err == ENOSPC) return Fail(ErrorCode::kIo, "the disk is full; nothing was written");
    return Fail(ErrorCode::kIo, "cannot flush {}: {}", path, std::strerror(err));
  }
  return {};
}

}  // namespace weft
