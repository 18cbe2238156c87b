#include "store/sqlite.h"

#include <sqlite3.h>
#include <sys/statvfs.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <thread>

namespace weft {

Query::~Query() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

void Query::BindInt(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
void Query::BindOne(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void Query::BindOne(int i, ByteView v) {
  // A zero-length blob must still bind as a blob, not NULL.
  static const std::uint8_t kEmpty = 0;
  sqlite3_bind_blob(stmt_, i, v.empty() ? &kEmpty : v.data(), static_cast<int>(v.size()),
                    SQLITE_TRANSIENT);
}
void Query::BindOne(int i, std::nullopt_t) { sqlite3_bind_null(stmt_, i); }

Result<bool> Query::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Fail(db_->LastError("running a query"));
}

Status Query::Run() {
  WEFT_ASSIGN_OR_RETURN(bool row, Step());
  (void)row;
  return {};
}

Status Query::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return {};
}

std::int64_t Query::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
ByteView Query::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return {static_cast<const std::uint8_t*>(p), static_cast<std::size_t>(n)};
}
std::string Query::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), n);
}
int Query::ColumnCount() const { return sqlite3_column_count(stmt_); }
int Query::ColumnType(int col) const { return sqlite3_column_type(stmt_, col); }
bool Query::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

namespace {

// A file: URI for `path` (RFC 3986 percent-encoding of anything unusual).
std::string FileUri(const std::string& path, std::string_view query) {
  std::string out = "file:";
  for (unsigned char ch : path) {
    if (std::isalnum(ch) || ch == '/' || ch == '.' || ch == '-' || ch == '_' || ch == '~') {
      out.push_back(static_cast<char>(ch));
    } else {
      out += fmt::format("%{:02X}", ch);
    }
  }
  out += "?";
  out += query;
  return out;
}

}  // namespace

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, Mode mode,
                                     std::chrono::milliseconds busy_timeout) {
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
  std::string name = path;
  switch (mode) {
    case Mode::kReadOnly:
      flags |= SQLITE_OPEN_READONLY;
      break;
    case Mode::kImmutable:
      flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
      name = FileUri(path, "immutable=1");
      break;
    case Mode::kReadWrite:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case Mode::kReadWriteCreate:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Db> db(new Db(raw));
  if (rc != SQLITE_OK) {
    if (raw == nullptr) return Fail(ErrorCode::kIo, "cannot open {}: out of memory", path);
    return Fail(db->LastError(fmt::format("opening {}", path)));
  }
  sqlite3_busy_timeout(raw,
                       static_cast<int>(std::min<std::int64_t>(busy_timeout.count(), INT32_MAX)));
  sqlite3_extended_result_codes(raw, 0);
  return db;
}

// SQLite's own busy timeout sleeps up to 100 ms between attempts, so under steady
// contention (a daemon and CLI commands committing) a waiter can lose the lock to
// the others again and again until its time runs out. Polling every millisecond
// or two gives every waiter a fair chance at the next release.
int Db::OnBusy(void* self, int attempts) {
  auto* db = static_cast<Db*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (attempts == 0) db->busy_since_ = now;
  if (now - db->busy_since_ >= db->busy_timeout_) return 0;  // give up: SQLITE_BUSY
  std::this_thread::sleep_for(std::chrono::microseconds(attempts < 50 ? 500 : 2000));
  return 1;
}

Db::~Db() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Status Db::Exec(std::string_view sql) {
  std::string s(sql);
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Fail(LastError("updating the store"));
  }
  return {};
}

Result<Query> Db::Prepare(const char* sql) {
  auto it = cache_.find(std::string_view(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      return Fail(LastError("preparing a query"));
    }
    it = cache_.emplace(sql, stmt).first;
  }
  return Query(this, it->second);
}

namespace {

// Whether the file system holding the connection's main database is mounted
// read-only.
bool OnReadOnlyMount(sqlite3* db) {
  const char* file = sqlite3_db_filename(db, "main");
  if (file == nullptr || *file == '\0') return false;
  struct statvfs fs {};
  return statvfs(file, &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0;
}

}  // namespace

Error Db::LastError(std::string_view doing) const {
  const int rc = sqlite3_errcode(db_);
  const int sys = sqlite3_system_errno(db_);
  std::string msg = sqlite3_errmsg(db_);
  // SQLite reports some out-of-space failures as a generic I/O error; errno tells.
  if (rc == SQLITE_FULL || ((rc == SQLITE_IOERR || rc == SQLITE_CANTOPEN) && sys == ENOSPC)) {
    return Error(ErrorCode::kIo, "the disk is full; nothing was written");
  }
  // A read-only mount (or a store we may not write) shows up as whichever call
  // failed first, often the -wal file that could not be made: say what it is.
  if ((rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN || rc == SQLITE_IOERR) &&
      (sys == EROFS || sys == EACCES || sys == EPERM || OnReadOnlyMount(db_))) {
    return Error(ErrorCode::kIo,
                 "the store is read-only here (a read-only mount or no write "
                 "permission); nothing was written");
  }
  switch (rc) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error(ErrorCode::kBusy,
                   "the store is busy: another weft process holds its lock (try again)");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error(ErrorCode::kCorruption,
                   fmt::format("the store file is damaged or not a weft store ({})", msg));
    case SQLITE_READONLY:
      return Error(ErrorCode::kIo, "the store is read-only here");
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      if (sys != 0) {
        return Error(ErrorCode::kIo,
                     fmt::format("store I/O error while {}: {}", doing, std::strerror(sys)));
      }
      [[fallthrough]];
    default:
      return Error(ErrorCode::kIo, fmt::format("store error while {}: {}", doing, msg));
  }
}

std::int64_t Db::Changes() const { return sqlite3_changes64(db_); }

Result<bool> Db::TableExists(std::string_view name) {
  WEFT_ASSIGN_OR_RETURN(Query q,
                        Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"));
  q.Bind(name);
  return q.Step();
}

Result<std::int64_t> Db::QueryInt(const char* sql) {
  WEFT_ASSIGN_OR_RETURN(Query q, Prepare(sql));
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? q.Int(0) : 0;
}

Result<std::optional<Bytes>> FirstBlob(Query& q) {
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<Bytes>();
  ByteView b = q.Blob(0);
  return std::optional<Bytes>(Bytes(b.begin(), b.end()));
}

std::string HexPrefixPattern(std::string_view prefix) {
  std::string upper;  // SQLite's hex() is uppercase
  for (char ch : prefix)
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  return upper + "%";
}

Result<Transaction> Transaction::Begin(Db& db) {
  WEFT_TRY(db.Exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Result<Transaction> Transaction::BeginRead(Db& db) {
  WEFT_TRY(db.Exec("BEGIN DEFERRED"));
  return Transaction(&db);
}

Status InReadSnapshot(Db& db, const std::function<Status()>& read) {
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::BeginRead(db));
  WEFT_TRY(read());
  return tx.Commit();
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Db* db = db_;
  auto st = db->Exec("COMMIT");
  if (!st) return st;  // destructor rolls back
  db_ = nullptr;
  return {};
}

}  // namespace weft
