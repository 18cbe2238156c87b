// The store's files on disk, looked at before SQLite touches them.
//
// A store directory holds `weft.db` and, while a connection is open in WAL mode,
// `weft.db-wal` and `weft.db-shm`. Each must be a regular file, never a symlink:
// SQLite would otherwise write into whatever the link points at (another program's
// database), and a FIFO or device would hang or fail in ways no sentence explains.
// The header of `weft.db` is read with plain read(2) (non-blocking, no symlinks
// followed), so a foreign file is recognised without being opened by SQLite.
#pragma once

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

// True when this process may create and write files in `dir` and write `file`.
bool CanWrite(const std::string& dir, const std::string& file);
bool FileExists(const std::string& path);
// True when `db_file`-wal exists and is not empty (it may hold committed pages).
bool WalHoldsData(const std::string& db_file);

}  // namespace weft
