#include "fold/ledger.h"

#include <algorithm>
#include <set>

#include "fold/folder.h"
#include "store/blob_store.h"
#include "store/change_log.h"
#include "store/schema.h"
#include "store/wip.h"

namespace weft {
namespace {

Result<std::vector<ChangeHash>> HashColumn(Db& db, const char* sql, const std::string* arg) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare(sql));
  if (arg != nullptr) q.Bind(*arg);
  return CollectHashes<ChangeHash>(q);
}

}  // namespace

Result<std::vector<ChangeHash>> BranchHeads(Db& db, const std::string& branch) {
  return HashColumn(db, "SELECT change FROM branch_heads WHERE branch = ? ORDER BY change",
                    &branch);
}

Result<std::vector<ChangeHash>> LogHeads(Db& db) {
  return HashColumn(db, "SELECT change FROM heads ORDER BY change", nullptr);
}

// Semantic checks that need the store. Returns the reason to reject, if any.
Result<std::optional<Error>> Ledger::Check(const EncodedChange& c) {
  Db& db = store_.db();
  const Change& ch = c.change;
  for (const Op& op : ch.ops) {
    if (const auto* cb = std::get_if<CreateBranch>(&op)) {
      if (cb->name == ch.branch || cb->name == kMainBranch) {
        return std::optional<Error>(Error(
            ErrorCode::kCorruption,
            fmt::format("change {} creates branch '{}' from itself", c.hash.Short(), cb->name)));
      }
    }
    if (const auto* m = std::get_if<MergeBranch>(&op); m && m->name == ch.branch) {
      return std::optional<Error>(
          Error(ErrorCode::kCorruption,
                fmt::format("change {} merges branch '{}' into itself", c.hash.Short(), m->name)));
    }
    if (const auto* a = std::get_if<ArchiveBranch>(&op); a && a->name == kMainBranch) {
      return std::optional<Error>(Error(
          ErrorCode::kCorruption, fmt::format("change {} archives branch main", c.hash.Short())));
    }
    if (const auto* add = std::get_if<AddItem>(&op)) {
      WEFT_ASSIGN_OR_RETURN(bool has, HasBlob(db, add->item));
      if (!has) {
        return std::optional<Error>(Error(
            ErrorCode::kNotFound, fmt::format("change {} adds item {} but its blob was not sent",
                                              c.hash.Short(), add->item.Short())));
      }
    }
  }
  WEFT_ASSIGN_OR_RETURN(auto same_seq, ChangeAtSeq(db, ch.actor, ch.seq));
  if (same_seq) {
    return std::optional<Error>(
        Error(ErrorCode::kConflict,
              fmt::format("change {} reuses seq {} of actor {}, already held by {}", c.hash.Short(),
                          ch.seq, ch.actor.Hex().substr(0, 8), same_seq->Short())));
  }
  if (ch.seq > 1) {
    WEFT_ASSIGN_OR_RETURN(auto prev, ChangeAtSeq(db, ch.actor, ch.seq - 1));
    if (!prev || !std::binary_search(ch.deps.begin(), ch.deps.end(), *prev)) {
      return std::optional<Error>(
          Error(ErrorCode::kCorruption,
                fmt::format("change {} (seq {}) does not depend on its author's previous change",
                            c.hash.Short(), ch.seq)));
    }
  }
  return std::optional<Error>();
}

Status Ledger::ApplyOne(ProjectionCache& cache, const EncodedChange& first, AppendReport& report) {
  Db& db = store_.db();
  std::vector<EncodedChange> work;
  work.push_back(first);
  while (!work.empty()) {
    EncodedChange c = std::move(work.back());
    work.pop_back();
    WEFT_ASSIGN_OR_RETURN(bool present, HasChange(db, c.hash));
    if (present) {
      report.already_present.push_back(c.hash);
      continue;
    }
    std::vector<ChangeHash> missing;
    for (const ChangeHash& d : c.change.deps) {
      WEFT_ASSIGN_OR_RETURN(bool has, HasChange(db, d));
      if (!has) missing.push_back(d);
    }
    if (!missing.empty()) {
      WEFT_TRY(AddPending(db, c, missing));
      report.pending.push_back(c.hash);
      continue;
    }
    WEFT_ASSIGN_OR_RETURN(auto problem, Check(c));
    if (problem) {
      report.rejected.push_back(RejectedChange{c.hash, std::move(*problem)});
      continue;
    }
    WEFT_TRY(InsertChange(db, c));
    WEFT_TRY(FoldChange(cache, db, c));
    store_.clock().Observe(c.change.hlc);
    report.applied.push_back(c.hash);
    WEFT_ASSIGN_OR_RETURN(auto ready, TakeUnblockedPending(db, c.hash));
    for (auto& r : ready) work.push_back(std::move(r));
  }
  return {};
}

Status Ledger::CommitTx(Transaction& tx) {
  if (before_commit_) before_commit_();
  return tx.Commit();
}

Result<AppendReport> Ledger::Append(const std::vector<EncodedChange>& batch,
                                    const std::vector<Item>& blobs) {
  Db& db = store_.db();
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  for (const Item& item : blobs) WEFT_TRY(PutBlob(db, item));
  ProjectionCache cache(db, false);
  AppendReport report;
  for (const EncodedChange& c : batch) WEFT_TRY(ApplyOne(cache, c, report));
  WEFT_TRY(FlushFold(cache, db));
  WEFT_TRY(store_.SaveClock());
  WEFT_TRY(CommitTx(tx));
  // A change reported pending earlier in the batch may have been applied later on.
  const std::set<ChangeHash> applied(report.applied.begin(), report.applied.end());
  std::erase_if(report.pending, [&](const ChangeHash& h) { return applied.contains(h); });
  return report;
}

Result<EncodedChange> Ledger::BuildChange(std::vector<Op> ops, const std::string& message,
                                          const std::vector<ChangeHash>& extra_deps) {
  Db& db = store_.db();
  Change ch;
  WEFT_ASSIGN_OR_RETURN(ch.deps, BranchHeads(db, store_.branch()));
  ch.deps.insert(ch.deps.end(), extra_deps.begin(), extra_deps.end());
  WEFT_ASSIGN_OR_RETURN(std::uint64_t max_seq, MaxSeq(db, store_.actor()));
  if (max_seq > 0) {
    WEFT_ASSIGN_OR_RETURN(auto prev, ChangeAtSeq(db, store_.actor(), max_seq));
    if (prev) ch.deps.push_back(*prev);
  }
  ch.actor = store_.actor();
  ch.seq = max_seq + 1;
  ch.hlc = store_.clock().Now();
  ch.branch = store_.branch();
  ch.message = message;
  ch.ops = std::move(ops);
  if (ch.message.size() > Change::kMaxMessage) {
    return Fail(ErrorCode::kInvalidArgument, "a message may be at most {} bytes",
                Change::kMaxMessage);
  }
  return EncodedChange::FromChange(std::move(ch));
}

Result<EncodedChange> Ledger::AuthorChange(std::vector<Op> ops, const std::string& message,
                                           const Authoring& how) {
  Db& db = store_.db();
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  WEFT_ASSIGN_OR_RETURN(EncodedChange c, BuildChange(std::move(ops), message, how.extra_deps));
  ProjectionCache cache(db, false);
  AppendReport report;
  WEFT_TRY(ApplyOne(cache, c, report));
  if (!report.rejected.empty()) return Fail(std::move(report.rejected.front().error));
  if (report.applied.empty())
    return Fail(ErrorCode::kFailedPrecondition, "the new change could not be applied");
  WEFT_TRY(FlushFold(cache, db));
  if (how.consumes_staged) WEFT_TRY(ClearStaged(db, store_.branch()));
  WEFT_TRY(store_.SaveClock());
  WEFT_TRY(CommitTx(tx));
  return c;
}

Result<EncodedChange> Ledger::Commit(const std::string& message) {
  WEFT_ASSIGN_OR_RETURN(std::vector<Op> ops, LoadStaged(store_.db(), store_.branch()));
  if (ops.empty()) return Fail(ErrorCode::kFailedPrecondition, "nothing is staged to commit");
  return AuthorChange(std::move(ops), message, Authoring{{}, /*consumes_staged=*/true});
}

Status Ledger::Rebuild() {
  Db& db = store_.db();
  // A rebuild rewrites every projection in one transaction: give it a larger page
  // cache than the everyday one (kept small so two open stores fit in memory
  // during a sync), then hand the memory back.
  WEFT_TRY(db.Exec("PRAGMA cache_size=-65536"));
  Status st = RebuildInTransaction();
  WEFT_TRY(db.Exec(fmt::format("PRAGMA cache_size={}", kDefaultCacheKiB)));
  return st;
}

Status Ledger::RebuildInTransaction() {
  Db& db = store_.db();
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  WEFT_TRY(DropProjectionTables(db));
  WEFT_TRY(CreateProjectionTables(db));
  ProjectionCache cache(db, true);
  WEFT_TRY(ForEachChange(db, [&](const EncodedChange& c) { return FoldChange(cache, db, c); }));
  WEFT_TRY(FlushFold(cache, db));
  return CommitTx(tx);
}

}  // namespace weft
