// A thin RAII layer over SQLite: a connection, cached prepared statements and
// transactions. Only store/ and fold/ include this; nothing above them sees SQLite.
//
// Ownership: Db owns the connection and every statement it prepared. A Query
// borrows one cached statement and resets it when it goes out of scope, so a Query
// must not outlive its Db. Not thread-safe: one Db per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/bytes.h"
#include "core/error.h"
#include "core/hash.h"

struct sqlite3;
struct sqlite3_stmt;

namespace weft {

// How long an operation waits for another process's write lock on the store
// before it fails with kBusy ("the store is busy", exit 4) and writes nothing. The
// policy: every write is one short transaction (a commit takes milliseconds, a
// sync applies each message in its own), so 5 s rides out any ordinary neighbour
// (a daemon syncing, another CLI command) and still never leaves a person facing
// a hang. `weft --busy-timeout` changes it per command; docs/design/concurrency.md.
inline constexpr std::chrono::milliseconds kDefaultBusyTimeout{5000};

class Db;

class Query {
 public:
  Query(Db* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Query(Query&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Query& operator=(Query&&) = delete;
  ~Query();

  // Binds parameters 1..n in order. Supported: integers, string_view, ByteView,
  // Bytes, std::nullopt.
  template <typename... Args>
  Query& Bind(const Args&... args) {
    int i = 0;
    (BindOne(++i, args), ...);
    return *this;
  }

  // Advances to the next row: true when a row is available, false when done.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();
  // Makes the statement ready to bind and run again.
  Status Reset();

  std::int64_t Int(int col) const;
  ByteView Blob(int col) const;
  std::string Text(int col) const;
  bool IsNull(int col) const;
  int ColumnCount() const;
  // SQLite's storage class of a column in the current row (SQLITE_INTEGER etc.).
  int ColumnType(int col) const;

 private:
  template <typename T>
  requires std::is_integral_v<T>
  void BindOne(int i, T v) { BindInt(i, static_cast<std::int64_t>(v)); }
  void BindInt(int i, std::int64_t v);
  void BindOne(int i, std::string_view v);
  void BindOne(int i, const std::string& v) { BindOne(i, std::string_view(v)); }
  void BindOne(int i, const char* v) { BindOne(i, std::string_view(v)); }
  void BindOne(int i, ByteView v);
  void BindOne(int i, const Bytes& v) { BindOne(i, ByteView(v)); }
  void BindOne(int i, std::nullopt_t);

  Db* db_;
  sqlite3_stmt* stmt_;
};

class Db {
 public:
  // kImmutable reads a file that no process may be writing (SQLite's immutable=1):
  // no locks, and no -wal or -shm file is created.
  enum class Mode { kReadWrite, kReadWriteCreate, kReadOnly, kImmutable };

  // Never follows a symlink at `path` (SQLITE_OPEN_NOFOLLOW). A statement that
  // finds the file locked by another connection retries for up to `busy_timeout`,
  // then fails with kBusy.
  static Result<std::unique_ptr<Db>> Open(
      const std::string& path, Mode mode,
      std::chrono::milliseconds busy_timeout = kDefaultBusyTimeout);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Executes one or more statements with no parameters.
  Status Exec(std::string_view sql);
  // A cached prepared statement. Requires: `sql` is a valid statement (a
  // programming error otherwise, reported as kIo).
  Result<Query> Prepare(const char* sql);

  // Rows changed by the last statement.
  std::int64_t Changes() const;
  // Whether the schema has a table of this name (a read-only open of an older
  // store may lack one added since).
  Result<bool> TableExists(std::string_view name);
  // Runs a query without parameters that yields one integer (e.g. COUNT(*)).
  Result<std::int64_t> QueryInt(const char* sql);
  // SQLite's data_version: it changes when another connection (in any process)
  // commits to the database, so polling it is how a process learns of commits.
  Result<std::int64_t> DataVersion() { return QueryInt("PRAGMA data_version"); }

  // Turns the last SQLite failure into an Error with a plain message.
  Error LastError(std::string_view doing) const;
  sqlite3* raw() { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
  // The busy handler's state: how long to keep retrying, and since when.
  static int OnBusy(void* self, int attempts);
  std::chrono::milliseconds busy_timeout_{0};
  std::chrono::steady_clock::time_point busy_since_;
};

// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless Commit() ran.
// Every write to a store happens inside exactly one Transaction.
class Transaction {
 public:
  static Result<Transaction> Begin(Db& db);
  // A read snapshot (a deferred transaction that only reads): every query in it
  // sees one state of the store and the locks are taken once, not per query.
  static Result<Transaction> BeginRead(Db& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_;
};

// Runs `read` (which only reads) in one read snapshot (Transaction::BeginRead).
Status InReadSnapshot(Db& db, const std::function<Status()>& read);

// Reads the first column of every remaining row as a hash.
template <typename H>
Result<std::vector<H>> CollectHashes(Query& q) {
  std::vector<H> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    out.push_back(H::FromBytes(q.Blob(0)));
  }
}

// The first column of the first row as bytes, if there is a row.
Result<std::optional<Bytes>> FirstBlob(Query& q);

// The LIKE pattern matching hex(hash) values that start with a lowercase hex prefix.
std::string HexPrefixPattern(std::string_view prefix);

}  // namespace weft
