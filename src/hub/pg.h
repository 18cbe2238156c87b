// A small RAII wrapper over libpq: one connection, parameters and results in
// binary format, errors as Result. The hub's SQL lives in hub/ only.
//
// Not thread-safe: one connection serves one thread at a time (PgPool hands
// them out).
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"

namespace weft::hub {

// One parameter, already in PostgreSQL's binary format.
struct PgParam {
  Oid type = 0;
  std::string data;
  bool null = false;
};
PgParam PgInt8(std::int64_t v);
PgParam PgText(std::string_view v);
PgParam PgBytea(ByteView v);
PgParam PgByteaArray(const std::vector<ByteView>& v);
PgParam PgInt8Array(const std::vector<std::int64_t>& v);

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* r) : r_(r, &PQclear) {}
  int rows() const { return r_ ? PQntuples(r_.get()) : 0; }
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  // Columns in binary format: bigint, text, bytea (cast counts to bigint in SQL).
  std::int64_t Int8(int row, int col) const;
  std::string Text(int row, int col) const;
  Bytes Blob(int row, int col) const;
  ByteView View(int row, int col) const;
  bool Bool(int row, int col) const;

 private:
  std::shared_ptr<PGresult> r_;
};

// One statement of a pipeline.
struct PgStatement {
  std::string sql;
  std::vector<PgParam> params;
  // Sent unprepared, so PostgreSQL plans it for its values each time: for a
  // statement whose best plan depends on a table's size. A prepared statement's
  // plan turns generic after five runs, and one made while a tenant was small
  // (a sequential scan for `hash = ANY($n)`) slowed a 5,000-change push on the
  // grown table to 1,700 changes/s until the table was analyzed again.
  bool plan_each_time = false;
};

class PgConn {
 public:
  // `url`: a libpq connection string or URI. kUnavailable when it cannot connect.
  static Result<PgConn> Connect(const std::string& url);
  PgConn(PgConn&&) = default;
  PgConn& operator=(PgConn&&) = default;

  // One statement with binary parameters and binary results, prepared on its
  // first use on this connection. A failed statement is
  // kUnavailable when the connection is gone, kConflict on a serialization or
  // unique-key failure, else kIo; the message names `what`.
  Result<PgResult> Exec(std::string_view sql, const std::vector<PgParam>& params = {});
  // Statements without parameters (several, separated by `;`) in one round trip;
  // the last statement's result, in text format (PgResult::Text).
  Result<PgResult> ExecSimple(std::string_view sql);
  Status Run(std::string_view sql) {
    auto r = ExecSimple(sql);
    if (!r) return Fail(r.error());
    return {};
  }
  // Statements sent back to back and their results read after: one round trip.
  // They run in order, each with its own snapshot; the first failure is the
  // error and the statements after it do not run. Inside a transaction (a
  // "BEGIN" among them, or before) a failure leaves it aborted: roll it back.
  Result<std::vector<PgResult>> Pipeline(const std::vector<PgStatement>& statements);
  // The same, keeping the results of the statements that ran before a failure.
  struct PipelineRun {
    std::vector<PgResult> results;
    std::optional<Error> error;
  };
  PipelineRun PipelineUpTo(const std::vector<PgStatement>& statements);
  bool ok() const;
  int socket() const;
  // Reads what arrived on the socket; returns the NOTIFY payloads received.
  Result<std::vector<std::string>> TakeNotifies();
  // The SQLSTATE of the last failure ("" when none).
  const std::string& last_state() const { return last_state_; }

 private:
  explicit PgConn(PGconn* c) : c_(c, &PQfinish) {}
  Error Failure(PGresult* r, std::string_view sql);
  // `r` as a result, or the error it carries (freed).
  Result<PgResult> Take(PGresult* r, std::string_view sql);
  std::unique_ptr<PGconn, decltype(&PQfinish)> c_{nullptr, &PQfinish};
  // The name a statement is prepared under on this connection, and whether it
  // must be prepared first ("" when the cache is full: sent unnamed).
  std::pair<std::string, bool> Prepared(const std::string& sql);
  std::string last_state_;
  bool broken_ = false;  // a pipeline left in a state no statement can follow
  // Statements parsed and planned once per connection, by their text (the hub
  // sends a few dozen distinct texts; parameters carry every value).
  std::map<std::string, std::string, std::less<>> prepared_;
};

// A fixed set of connections shared by a server's threads. A connection that
// broke is replaced on its next lease.
class PgPool {
 public:
  PgPool(std::string url, std::size_t size) : url_(std::move(url)), size_(size) {}
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConn> c) : pool_(pool), c_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease();
    PgConn& operator*() { return *c_; }
    PgConn* operator->() { return c_.get(); }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConn> c_;
  };
  // Waits up to `wait` for a free connection (kBusy after).
  Result<Lease> Acquire(std::chrono::milliseconds wait = std::chrono::seconds(10));

 private:
  void Return(std::unique_ptr<PgConn> c);
  std::string url_;
  std::size_t size_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<PgConn>> idle_;
  std::size_t out_ = 0;  // leased now
};

// Runs `body` between BEGIN and COMMIT on `c`; a failure rolls back.
template <typename F>
auto InPgTransaction(PgConn& c, F&& body) -> decltype(body()) {
  if (auto s = c.Run("BEGIN"); !s) return Fail(s.error());
  auto r = body();
  if (!r) {
    (void)c.Run("ROLLBACK");
    return r;
  }
  if (auto s = c.Run("COMMIT"); !s) return Fail(s.error());
  return r;
}

}  // namespace weft::hub
