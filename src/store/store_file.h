// The store's files on disk, looked at before SQLite touches them.
//
// A store directory holds `weft.db` and, while a connection is open in WAL mode,
// `weft.db-wal` and `weft.db-shm`. Each must be a regular file, never a symlink:
// SQLite would otherwise write into whatever the link points at (another program's
// database), and a FIFO or device would hang or fail in ways no sentence explains.
// The header of `weft.db` is read with plain read(2) (non-blocking, no symlinks
// followed), so a foreign file is recognised without being opened by SQLite.
#pragma once

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <string>

#include "core/error.h"

namespace weft {

enum class StoreFileKind : std::uint8_t {
  kWeft,       // SQLite, application_id "weft"
  kUnstamped,  // SQLite without an application_id (a store made before it was stamped,
               // or another program's database): the meta table decides
  kForeign,    // SQLite with another program's application_id
};

std::string StoreFilePath(const std::string& dir);

// kNotFound when `dir/weft.db` does not exist; kIo when it, or an
// existing -wal or -shm beside it, is a symlink or not a regular file; kCorruption
// when weft.db is empty or not an SQLite database. Reads, never writes.
Result<StoreFileKind> InspectStoreFiles(const std::string& dir);

// POSIX advisory locks belong to a process, not to a descriptor: closing any
// descriptor of a file drops every lock this process holds on it, SQLite's
// included (sqlite.org/howtocorrupt.html, section 2.2). A process with several
// connections to one store (`weft serve`, a test with threads) must never open
// and close weft.db by hand while one of them is open: a writer would lose its
// lock mid-transaction and another process could write over it. A StoreFileHold
// marks weft.db as open through SQLite in this process; InspectStoreFiles does
// not read a held file (this process recognised it when it first opened it).
class StoreFileHold {
 public:
  StoreFileHold(dev_t dev, ino_t ino) : dev_(dev), ino_(ino) {}
  ~StoreFileHold();
  StoreFileHold(const StoreFileHold&) = delete;
  StoreFileHold& operator=(const StoreFileHold&) = delete;

 private:
  dev_t dev_;
  ino_t ino_;
};
// Holds `dir`/weft.db while the returned object lives.
Result<std::unique_ptr<StoreFileHold>> HoldStoreFile(const std::string& dir);
// Serialises opening stores in this process: inspecting a file, opening it through
// SQLite and holding it happen under this lock, so no thread reads a file by hand
// while another has just opened it.
std::mutex& StoreOpeningMutex();

// True when this process may create and write files in `dir` and write `file`.
bool CanWrite(const std::string& dir, const std::string& file);
bool FileExists(const std::string& path);
// Flushes a file (flags O_RDONLY) or a directory (O_RDONLY | O_DIRECTORY) to
// disk; a full disk is said in those words.
Status FlushPath(const std::string& path, int flags);
// True when `db_file`-wal exists and is not empty (it may hold committed pages).
bool WalHoldsData(const std::string& db_file);

}  // namespace weft
