#include "hub/pg.h"

#include <fmt/format.h>

#include <cstring>
#include <optional>

namespace weft::hub {
namespace {

// Type oids (pg_type.dat): stable across PostgreSQL versions.
constexpr Oid kInt8 = 20, kText = 25, kBytea = 17, kByteaArray = 1001, kInt8Array = 1016;

// The SQL name of a parameter type this wrapper makes.
const char* TypeName(Oid type) {
  switch (type) {
    case kInt8:
      return "int8";
    case kText:
      return "text";
    case kBytea:
      return "bytea";
    case kByteaArray:
      return "bytea[]";
    case kInt8Array:
      return "int8[]";
    default:
      return "unknown";
  }
}

// `PREPARE name (types) AS sql`: the statement parsed once on this connection,
// then run by name with binary parameters (PQsendQueryPrepared).
std::string PrepareSql(const std::string& name, const std::string& sql,
                       const std::vector<PgParam>& params) {
  std::string types;
  for (const auto& p : params) types += std::string(types.empty() ? "" : ", ") + TypeName(p.type);
  return "PREPARE " + name + (types.empty() ? "" : " (" + types + ")") + " AS " + sql;
}

void PutBe32(std::string& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((v >> s) & 0xff));
}
void PutBe64(std::string& out, std::uint64_t v) {
  for (int s = 56; s >= 0; s -= 8) out.push_back(static_cast<char>((v >> s) & 0xff));
}

// A one-dimensional array in binary format: ndim, has-null, element type, then
// (length, lower bound) and each element as (length, bytes).
template <typename Each>
std::string BinaryArray(Oid element, std::size_t n, Each each) {
  std::string out;
  PutBe32(out, n == 0 ? 0 : 1);
  PutBe32(out, 0);
  PutBe32(out, element);
  if (n == 0) return out;
  PutBe32(out, static_cast<std::uint32_t>(n));
  PutBe32(out, 1);
  for (std::size_t i = 0; i < n; ++i) each(out, i);
  return out;
}

}  // namespace

PgParam PgInt8(std::int64_t v) {
  PgParam p{kInt8, {}, false};
  PutBe64(p.data, static_cast<std::uint64_t>(v));
  return p;
}
PgParam PgText(std::string_view v) { return {kText, std::string(v), false}; }
PgParam PgBytea(ByteView v) {
  return {kBytea, std::string(reinterpret_cast<const char*>(v.data()), v.size()), false};
}
PgParam PgByteaArray(const std::vector<ByteView>& v) {
  return {kByteaArray,
          BinaryArray(kBytea, v.size(),
                      [&](std::string& out, std::size_t i) {
                        PutBe32(out, static_cast<std::uint32_t>(v[i].size()));
                        out.append(reinterpret_cast<const char*>(v[i].data()), v[i].size());
                      }),
          false};
}
PgParam PgInt8Array(const std::vector<std::int64_t>& v) {
  return {kInt8Array,
          BinaryArray(kInt8, v.size(),
                      [&](std::string& out, std::size_t i) {
                        PutBe32(out, 8);
                        PutBe64(out, static_cast<std::uint64_t>(v[i]));
                      }),
          false};
}

std::int64_t PgResult::Int8(int row, int col) const {
  const char* p = PQgetvalue(r_.get(), row, col);
  const int len = PQgetlength(r_.get(), row, col);
  std::uint64_t v = 0;
  for (int i = 0; i < len; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  if (len == 4 && (v & 0x80000000u)) v |= 0xffffffff00000000ull;  // an int4, sign-extended
  return static_cast<std::int64_t>(v);
}
std::string PgResult::Text(int row, int col) const {
  return std::string(PQgetvalue(r_.get(), row, col),
                     static_cast<std::size_t>(PQgetlength(r_.get(), row, col)));
}
ByteView PgResult::View(int row, int col) const {
  return ByteView(reinterpret_cast<const std::uint8_t*>(PQgetvalue(r_.get(), row, col)),
                  static_cast<std::size_t>(PQgetlength(r_.get(), row, col)));
}
Bytes PgResult::Blob(int row, int col) const {
  ByteView v = View(row, col);
  return Bytes(v.begin(), v.end());
}
bool PgResult::Bool(int row, int col) const { return PQgetvalue(r_.get(), row, col)[0] != 0; }

Result<PgConn> PgConn::Connect(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  if (c == nullptr) return Fail(ErrorCode::kUnavailable, "cannot reach PostgreSQL: out of memory");
  PgConn conn(c);
  if (PQstatus(c) != CONNECTION_OK) {
    std::string why = PQerrorMessage(c);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    if (auto nl = why.find('\n'); nl != std::string::npos) why = why.substr(0, nl);
    return Fail(ErrorCode::kUnavailable, "cannot reach PostgreSQL: {}", why);
  }
  // Notices ("relation already exists, skipping") are not for the person.
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);
  return conn;
}

bool PgConn::ok() const { return c_ && !broken_ && PQstatus(c_.get()) == CONNECTION_OK; }
int PgConn::socket() const { return PQsocket(c_.get()); }

Error PgConn::Failure(PGresult* r, std::string_view sql) {
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  last_state_ = state != nullptr ? state : "";
  std::string why = r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(c_.get());
  if (why.empty()) why = PQerrorMessage(c_.get());
  if (auto nl = why.find('\n'); nl != std::string::npos) why = why.substr(0, nl);
  const std::string what(sql.substr(0, std::min<std::size_t>(sql.size(), 40)));
  if (!ok()) return Error(ErrorCode::kUnavailable, fmt::format("PostgreSQL went away: {}", why));
  // 40001 serialization, 40P01 deadlock, 23505 unique violation: try again.
  if (last_state_ == "40001" || last_state_ == "40P01" || last_state_ == "23505") {
    return Error(ErrorCode::kConflict, fmt::format("PostgreSQL: {} ({})", why, what));
  }
  if (last_state_.starts_with("08") || last_state_.starts_with("57P")) {
    return Error(ErrorCode::kUnavailable, fmt::format("PostgreSQL went away: {}", why));
  }
  return Error(ErrorCode::kIo, fmt::format("PostgreSQL: {} ({})", why, what));
}

namespace {

// libpq's view of a statement's parameters, all in binary format.
struct Params {
  explicit Params(const std::vector<PgParam>& params) {
    for (const auto& p : params) {
      types.push_back(p.type);
      values.push_back(p.null ? nullptr : p.data.data());
      lengths.push_back(static_cast<int>(p.data.size()));
      formats.push_back(1);
    }
  }
  int count() const { return static_cast<int>(types.size()); }
  std::vector<Oid> types;
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
};

}  // namespace

std::pair<std::string, bool> PgConn::Prepared(const std::string& sql) {
  constexpr std::size_t kMaxPrepared = 64;
  if (auto it = prepared_.find(sql); it != prepared_.end()) return {it->second, false};
  if (prepared_.size() >= kMaxPrepared) return {"", false};
  std::string name = "weft_" + std::to_string(prepared_.size());
  prepared_.emplace(sql, name);
  return {name, true};
}

Result<PgResult> PgConn::Exec(std::string_view sql, const std::vector<PgParam>& params) {
  auto r = Pipeline({{std::string(sql), params}});
  if (!r) return Fail(r.error());
  return std::move(r->front());
}

Result<std::vector<PgResult>> PgConn::Pipeline(const std::vector<PgStatement>& statements) {
  PipelineRun run = PipelineUpTo(statements);
  if (run.error) return Fail(std::move(*run.error));
  return std::move(run.results);
}

PgConn::PipelineRun PgConn::PipelineUpTo(const std::vector<PgStatement>& statements) {
  PGconn* c = c_.get();
  if (PQenterPipelineMode(c) == 0) return {{}, Failure(nullptr, "pipeline")};
  bool sent = true;
  std::vector<bool> prepares;  // per statement: a PREPARE goes before it
  for (const auto& s : statements) {
    const Params p(s.params);
    // Only statements with parameters are prepared: SQL's PREPARE takes no
    // BEGIN or COMMIT, and those cost nothing to parse.
    auto [name, prepare] = s.plan_each_time || s.params.empty()
                               ? std::pair<std::string, bool>{"", false}
                               : Prepared(s.sql);
    prepares.push_back(prepare);
    if (prepare && PQsendQueryParams(c, PrepareSql(name, s.sql, s.params).c_str(), 0, nullptr,
                                     nullptr, nullptr, nullptr, 1) == 0) {
      sent = false;
      break;
    }
    const int queued =
        name.empty() ? PQsendQueryParams(c, s.sql.c_str(), p.count(), p.types.data(),
                                         p.values.data(), p.lengths.data(), p.formats.data(), 1)
                     : PQsendQueryPrepared(c, name.c_str(), p.count(), p.values.data(),
                                           p.lengths.data(), p.formats.data(), 1);
    if (queued == 0) {
      sent = false;
      break;
    }
  }
  if (!sent || PQpipelineSync(c) == 0) {
    Error e = Failure(nullptr, "pipeline");
    for (std::size_t i = 0; i < prepares.size(); ++i) {
      if (prepares[i]) prepared_.erase(statements[i].sql);  // never reached the server
    }
    if (PQexitPipelineMode(c) == 0) broken_ = true;
    return {{}, std::move(e)};
  }
  // Each statement's result, then a null between statements; the sync's last.
  std::vector<PgResult> out;
  std::optional<Error> first;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (prepares[i]) {  // the PREPARE's own result, then its null
      PGresult* parsed = PQgetResult(c);
      if (parsed == nullptr) {
        if (!first) first = Failure(nullptr, statements[i].sql);
        break;
      }
      const auto status = PQresultStatus(parsed);
      if (status != PGRES_COMMAND_OK) {
        prepared_.erase(statements[i].sql);  // not prepared: the next use tries again
        if (!first && status != PGRES_PIPELINE_ABORTED) first = Failure(parsed, statements[i].sql);
      }
      PQclear(parsed);
      while (PGresult* rest = PQgetResult(c)) PQclear(rest);
    }
    PGresult* r = PQgetResult(c);
    if (r == nullptr) {
      if (!first) first = Failure(nullptr, statements[i].sql);
      break;
    }
    const auto status = PQresultStatus(r);
    if (status == PGRES_PIPELINE_ABORTED) {
      PQclear(r);
    } else if (!first) {
      auto taken = Take(r, statements[i].sql);
      if (taken) {
        out.push_back(std::move(*taken));
      } else {
        first = taken.error();
      }
    } else {
      PQclear(r);
    }
    while (PGresult* rest = PQgetResult(c)) PQclear(rest);  // up to the null
  }
  // Read up to the sync, so the connection is ready for the next statement.
  for (int spins = 0; spins < 1000; ++spins) {
    PGresult* r = PQgetResult(c);
    if (r == nullptr) {
      if (!ok()) break;
      continue;
    }
    const bool synced = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    PQclear(r);
    if (synced) break;
  }
  if (PQexitPipelineMode(c) == 0) broken_ = true;  // results left unread: not reusable
  if (!first && !ok()) first = Failure(nullptr, "pipeline");
  return {std::move(out), std::move(first)};
}

Result<PgResult> PgConn::ExecSimple(std::string_view sql) {
  const std::string text(sql);
  return Take(PQexec(c_.get(), text.c_str()), sql);
}

Result<PgResult> PgConn::Take(PGresult* r, std::string_view sql) {
  const auto status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    Error e = Failure(r, sql);
    if (r != nullptr) PQclear(r);
    return Fail(std::move(e));
  }
  last_state_.clear();
  return PgResult(r);
}

Result<std::vector<std::string>> PgConn::TakeNotifies() {
  if (PQconsumeInput(c_.get()) == 0) {
    return Fail(ErrorCode::kUnavailable, "PostgreSQL went away: {}", PQerrorMessage(c_.get()));
  }
  std::vector<std::string> out;
  while (PGnotify* n = PQnotifies(c_.get())) {
    out.emplace_back(n->extra != nullptr ? n->extra : "");
    PQfreemem(n);
  }
  return out;
}

PgPool::Lease::~Lease() {
  if (pool_ != nullptr && c_) pool_->Return(std::move(c_));
}

Result<PgPool::Lease> PgPool::Acquire(std::chrono::milliseconds wait) {
  std::unique_ptr<PgConn> c;
  {
    std::unique_lock lock(mu_);
    if (!freed_.wait_for(lock, wait, [&] { return !idle_.empty() || out_ < size_; })) {
      return Fail(ErrorCode::kBusy, "every database connection stayed busy for {} ms",
                  wait.count());
    }
    ++out_;
    if (!idle_.empty()) {
      c = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!c || !c->ok()) {
    auto fresh = PgConn::Connect(url_);
    if (!fresh) {
      std::lock_guard lock(mu_);
      --out_;
      freed_.notify_one();
      return Fail(fresh.error());
    }
    c = std::make_unique<PgConn>(std::move(*fresh));
  }
  return Lease(this, std::move(c));
}

void PgPool::Return(std::unique_ptr<PgConn> c) {
  std::lock_guard lock(mu_);
  --out_;
  if (c->ok()) idle_.push_back(std::move(c));
  freed_.notify_one();
}

}  // namespace weft::hub
