#include "fold/ledger.h"

#include <algorithm>
#include <set>

#include "core/progress.h"
#include "fold/folder.h"
#include "fold/staging.h"
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
namespace {
// "2026-11-29T17:00:00Z (1764435600123.4)": the time, and the exact stamp.
std::string Stamp(const Hlc& h) {
  return fmt::format("{} ({}.{})", h.ToIso(), h.millis(), h.counter());
}
}  // namespace

Result<std::optional<Error>> Ledger::Check(ProjectionCache& cache, const EncodedChange& c) {
  Db& db = store_.db();
  const Change& ch = c.change;
  for (const Op& op : ch.ops) {
    if (const auto* b = std::get_if<Base>(&op)) {
      // A base names what the edit saw: it must lie in the change's past.
      for (const ChangeHash& seen : b->frontier) {
        WEFT_ASSIGN_OR_RETURN(bool covered, InPastOf(cache, db, ch.deps, seen));
        if (!covered) {
          return std::optional<Error>(Error(
              ErrorCode::kCorruption, fmt::format("change {} gives {} a base {} outside its past",
                                                  c.hash.Short(), b->location, seen.Short())));
        }
      }
    }
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
      bool has = cache.KnownItem(add->item) != nullptr;
      if (!has) {
        WEFT_ASSIGN_OR_RETURN(has, HasBlob(db, add->item));
      }
      if (!has) {
        return std::optional<Error>(Error(
            ErrorCode::kNotFound, fmt::format("change {} adds item {} but its blob was not sent",
                                              c.hash.Short(), add->item.Short())));
      }
    }
  }
  // Stamps grow along every edge of the graph: a change is stamped after all it saw.
  for (const ChangeHash& d : ch.deps) {
    WEFT_ASSIGN_OR_RETURN(const ChangeMeta* dep, cache.Meta(d));
    if (!(dep->hlc < ch.hlc)) {
      return std::optional<Error>(Error(
          ErrorCode::kCorruption,
          fmt::format("change {} is stamped {} but depends on {}, stamped {}: a change must be "
                      "stamped after what it depends on",
                      c.hash.Short(), Stamp(ch.hlc), d.Short(), Stamp(dep->hlc))));
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
    WEFT_ASSIGN_OR_RETURN(auto problem, Check(cache, c));
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
  std::vector<Bytes> canonical;
  canonical.reserve(blobs.size());
  std::vector<VerifiedBlob> verified;
  for (const Item& item : blobs) {
    canonical.push_back(item.Canonical());
    verified.push_back(
        VerifiedBlob{item.Hash(), item.kind, canonical.back(), item.display, item.refs});
  }
  return Append(batch, verified);
}

Result<AppendReport> Ledger::Append(const std::vector<EncodedChange>& batch,
                                    const std::vector<VerifiedBlob>& blobs) {
  Db& db = store_.db();
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  ProjectionCache cache(db, false);
  for (const VerifiedBlob& b : blobs) {
    WEFT_TRY(PutBlobBytes(db, b.hash, b.kind, b.canonical, b.display));
    cache.KnowItem(b.hash, b.kind, b.refs);
  }
  AppendReport report;
  for (const EncodedChange& c : batch) {
    WEFT_TRY(ApplyOne(cache, c, report));
    progress::Advance(1, c.bytes.size());
  }
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
  if (message.size() > Change::kMaxMessage) {
    return Fail(ErrorCode::kInvalidArgument, "a message may be at most {} bytes",
                Change::kMaxMessage);
  }
  Change ch;
  WEFT_ASSIGN_OR_RETURN(ch.deps, BranchHeads(db, store_.branch()));
  ch.deps.insert(ch.deps.end(), extra_deps.begin(), extra_deps.end());
  WEFT_ASSIGN_OR_RETURN(std::uint64_t max_seq, MaxSeq(db, store_.actor()));
  if (max_seq > 0) {
    WEFT_ASSIGN_OR_RETURN(auto prev, ChangeAtSeq(db, store_.actor(), max_seq));
    if (prev) ch.deps.push_back(*prev);
  }
  // Another connection may have stamped or observed a later change since we opened;
  // and the new change is stamped after every change it depends on.
  WEFT_TRY(store_.RefreshClock());
  for (const ChangeHash& d : ch.deps) {
    WEFT_ASSIGN_OR_RETURN(auto meta, LoadChangeMeta(db, d));
    if (meta) store_.clock().Observe(meta->hlc);
  }
  ch.actor = store_.actor();
  ch.seq = max_seq + 1;
  ch.hlc = store_.clock().Now();
  ch.branch = store_.branch();
  ch.message = message;
  ch.ops = std::move(ops);
  EncodedChange c = EncodedChange::FromChange(std::move(ch));
  // It must fit in one sync message with its blobs, or no peer could receive it.
  std::size_t weight = c.bytes.size();
  for (const Op& op : c.change.ops) {
    const auto* add = std::get_if<AddItem>(&op);
    if (add == nullptr) continue;
    WEFT_ASSIGN_OR_RETURN(std::size_t size, BlobWireSize(db, add->item));
    weight += size + kHashSize + 16;  // the blob record's framing
  }
  if (weight > kMaxChangeBytes) {
    return Fail(ErrorCode::kInvalidArgument,
                "this change with its items is {:.1f} MiB; one change may carry at most {} MiB "
                "so that it fits in one sync message: commit it in smaller parts",
                static_cast<double>(weight) / (1 << 20), kMaxChangeBytes >> 20);
  }
  return c;
}

Result<EncodedChange> Ledger::AuthorInTransaction(Authoring how, const std::string& message) {
  Db& db = store_.db();
  if (how.ops.empty()) return Fail(ErrorCode::kFailedPrecondition, "nothing to commit");
  WEFT_ASSIGN_OR_RETURN(EncodedChange c, BuildChange(std::move(how.ops), message, how.extra_deps));
  ProjectionCache cache(db, false);
  AppendReport report;
  WEFT_TRY(ApplyOne(cache, c, report));
  if (!report.rejected.empty()) return Fail(std::move(report.rejected.front().error));
  if (report.applied.empty())
    return Fail(ErrorCode::kFailedPrecondition, "the new change could not be applied");
  WEFT_TRY(FlushFold(cache, db));
  WEFT_TRY(store_.SaveClock());
  return c;
}

Result<EncodedChange> Ledger::AuthorChange(const std::function<Result<Authoring>()>& plan,
                                           const std::string& message) {
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(store_.db()));
  WEFT_ASSIGN_OR_RETURN(Authoring how, plan());
  WEFT_ASSIGN_OR_RETURN(EncodedChange c, AuthorInTransaction(std::move(how), message));
  WEFT_TRY(CommitTx(tx));
  return c;
}

Result<EncodedChange> Ledger::Commit(const std::string& message) {
  Db& db = store_.db();
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  WEFT_ASSIGN_OR_RETURN(std::vector<StagedOp> staged, LoadStagedOps(db, store_.branch()));
  if (staged.empty()) return Fail(ErrorCode::kFailedPrecondition, "nothing is staged to commit");
  Authoring how;
  WEFT_ASSIGN_OR_RETURN(auto stale, StaleStagedEdits(db, store_.branch(), staged));
  for (auto& s : stale) how.ops.push_back(Base{s.slot, s.location, std::move(s.base)});
  std::vector<std::int64_t> ids;
  for (auto& s : staged) {
    how.ops.push_back(std::move(s.op));
    ids.push_back(s.id);
  }
  WEFT_ASSIGN_OR_RETURN(EncodedChange c, AuthorInTransaction(std::move(how), message));
  WEFT_TRY(DeleteStaged(db, ids));
  WEFT_TRY(CommitTx(tx));
  return c;
}

Status Ledger::Rebuild() {
  Db& db = store_.db();
  // A rebuild rewrites every projection in one transaction: give it a larger page
  // cache than the everyday one (kept small so two open stores fit in memory
  // during a sync), then hand the memory back.
  WEFT_TRY(db.Exec("PRAGMA cache_size=-65536"));
  Status st = [&]() -> Status {
    WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    WEFT_TRY(RefoldInTransaction());
    return CommitTx(tx);
  }();
  WEFT_TRY(db.Exec(fmt::format("PRAGMA cache_size={}", kDefaultCacheKiB)));
  return st;
}

Status Ledger::RefoldInTransaction() {
  Db& db = store_.db();
  // The fold walks branch histories through the deps column, so the columns must
  // say what the bytes say: rows that disagree are rewritten after the pass, and
  // then the pass runs again over the repaired log.
  const std::int64_t before = repaired_columns_;
  WEFT_ASSIGN_OR_RETURN(std::int64_t count, CountChanges(db));
  progress::Scope phase("re-folding the log", static_cast<std::uint64_t>(count), "changes");
  for (int pass = 0; pass < 2; ++pass) {
    WEFT_TRY(DropProjectionTables(db));
    WEFT_TRY(CreateProjectionTables(db));
    ProjectionCache cache(db, true);
    WEFT_TRY(ForEachChangeRepairingColumns(
        db,
        [&](const EncodedChange& c) {
          progress::Advance(1, c.bytes.size());
          return FoldChange(cache, db, c);
        },
        &repaired_columns_));
    WEFT_TRY(FlushFold(cache, db));
    if (repaired_columns_ == before) break;
  }
  return store_.PutMeta("projection_version", std::to_string(kProjectionVersion));
}

}  // namespace weft
