// Ledger: the only way changes enter a store. Validates, stores and folds, one
// SQLite transaction per call.
//
// Append checks each change before it touches anything: its hash is computed here
// from its bytes (EncodedChange), every dep must be present (otherwise the change
// waits in the pending queue and is applied when its deps arrive), its actor's seq
// must follow on from a change it depends on, no other change may hold the same
// (actor, seq), and every item it adds must have its blob in the store. A change
// that is already stored is reported as already present and changes nothing.
#pragma once

#include <functional>
#include <vector>

#include "fold/projection_cache.h"
#include "model/change.h"
#include "store/store.h"

namespace weft {

// The most a change may weigh with the item blobs it adds: it must travel in one
// sync message, whose payload is capped at sync's kMaxDecompressedBytes (64 MiB).
inline constexpr std::size_t kMaxChangeBytes = 32u << 20;

struct RejectedChange {
  ChangeHash hash;
  Error error;
};

struct AppendReport {
  std::vector<ChangeHash> applied;  // in the order they were folded
  std::vector<ChangeHash> already_present;
  std::vector<ChangeHash> pending;  // waiting for deps (newly queued or still queued)
  std::vector<RejectedChange> rejected;
};

// An item blob verified where it arrived (its hash and its encoding), with what
// the fold needs of it; it travels down the write path as it is, so nothing is
// hashed, decoded or encoded again. The bytes are the caller's.
struct VerifiedBlob {
  ItemHash hash;
  ItemKind kind = ItemKind::kVal;
  ByteView canonical;
  ByteView display;
  std::vector<ItemHash> refs;
};

class Ledger {
 public:
  explicit Ledger(Store& store) : store_(store) {}

  // Appends a batch, and the item blobs it brings, in one transaction. Per-change
  // problems are reported in `rejected`; an Error means nothing was written.
  // REQUIRES: every blob was verified against its hash by the caller.
  Result<AppendReport> Append(const std::vector<EncodedChange>& batch,
                              const std::vector<Item>& blobs = {});
  // The same, for blobs verified on arrival (sorted by hash, they go into their
  // table's pages in order).
  Result<AppendReport> Append(const std::vector<EncodedChange>& batch,
                              const std::vector<VerifiedBlob>& blobs);

  // Turns the current branch's staged ops into one change, in one transaction that
  // also reads them and removes exactly the rows it committed. A staged edit whose
  // slot a sync moved since it was staged is committed with a Base op (model/op.h),
  // so the overwrite is a recorded race. kFailedPrecondition when nothing is staged.
  Result<EncodedChange> Commit(const std::string& message);

  // Builds, appends and returns one change authored here on the current branch.
  // Used by Commit and by commands that commit directly (branch create, merge,
  // conflict resolution). Its deps are the branch heads, the author's previous
  // change and `extra_deps`. Staged ops are left alone.
  struct Authoring {
    std::vector<Op> ops;
    std::vector<ChangeHash> extra_deps;
  };
  // `plan` runs inside the write transaction, so what it reads cannot change
  // before the change is appended. kFailedPrecondition with no ops.
  Result<EncodedChange> AuthorChange(const std::function<Result<Authoring>()>& plan,
                                     const std::string& message);
  Result<EncodedChange> AuthorChange(std::vector<Op> ops, const std::string& message) {
    return AuthorChange(
        [&]() -> Result<Authoring> {
          return Authoring{std::move(ops), {}};
        },
        message);
  }

  // Drops every projection table and re-folds the whole log, in one transaction.
  // The index columns of `changes` are checked against the changes' bytes on the
  // way and rewritten where they disagree (repaired_columns() says how many).
  Status Rebuild();
  std::int64_t repaired_columns() const { return repaired_columns_; }
  // The same inside the caller's write transaction.
  Status RefoldInTransaction();

  // Runs just before each COMMIT; crash tests use it to die mid-transaction.
  void SetBeforeCommitHookForTesting(std::function<void()> hook) {
    before_commit_ = std::move(hook);
  }

 private:
  Status CommitTx(Transaction& tx);
  Status ApplyOne(ProjectionCache& cache, const EncodedChange& c, AppendReport& report);
  Result<std::optional<Error>> Check(ProjectionCache& cache, const EncodedChange& c);
  // Builds and appends a change authored here. REQUIRES: inside a write transaction.
  Result<EncodedChange> AuthorInTransaction(Authoring how, const std::string& message);
  Result<EncodedChange> BuildChange(std::vector<Op> ops, const std::string& message,
                                    const std::vector<ChangeHash>& extra_deps);

  Store& store_;
  std::function<void()> before_commit_;
  std::int64_t repaired_columns_ = 0;
};

// Heads of one branch's view (the current branch when authoring).
Result<std::vector<ChangeHash>> BranchHeads(Db& db, const std::string& branch);
// Heads of the whole log.
Result<std::vector<ChangeHash>> LogHeads(Db& db);

}  // namespace weft
