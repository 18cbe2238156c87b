#include "net/store_adapter.h"

#include <algorithm>
#include <set>

#include "fold/ledger.h"
#include "fold/queries.h"
#include "fold/reissue.h"
#include "fold/vector_clock.h"
#include "store/blob_store.h"
#include "store/change_log.h"
#include "store/peers.h"

namespace weft::net {

StoreAdapter::~StoreAdapter() {
  if (!receiving_) return;
  Db& db = store_.db();
  // Errors here cost nothing durable: every batch was committed, and the next
  // commit checkpoints as usual.
  (void)db.Exec("PRAGMA wal_autocheckpoint=1000");
  (void)db.Exec("PRAGMA wal_checkpoint(PASSIVE)");
}

Status StoreAdapter::BeginReceiving() {
  if (receiving_) return {};
  // Measured: a larger page cache made receiving slower here (more memory to
  // manage, the same reads), so the everyday one stays.
  WEFT_TRY(store_.db().Exec("PRAGMA wal_autocheckpoint=0"));
  receiving_ = true;
  return {};
}

Result<std::vector<ChangeHash>> StoreAdapter::Heads() { return LogHeads(store_.db()); }

Result<bool> StoreAdapter::HasChange(const ChangeHash& h) {
  return weft::HasChange(store_.db(), h);
}

Result<std::vector<ChangeHash>> StoreAdapter::ChangesNotBelow(
    const std::vector<ChangeHash>& heads) {
  return weft::ChangesNotBelow(store_.db(), heads);
}

Result<sync::Hello> StoreAdapter::Hello() {
  sync::Hello h;
  h.instance = store_.instance_name();
  h.actor = store_.actor();
  WEFT_ASSIGN_OR_RETURN(h.clock, MaxSeqPerActor(store_.db()));
  // Each actor's changes form an unbroken chain from seq 1 (a change is applied
  // only with its deps, and each depends on its actor's previous one), so the
  // count is the sum of the clock: no scan of the log.
  for (const auto& [actor, seq] : h.clock) h.changes += seq;
  return h;
}

Result<std::vector<ChangeHash>> StoreAdapter::MissingDeps(const std::vector<ChangeHash>& heads) {
  Db& db = store_.db();
  std::set<ChangeHash> seen;
  std::set<ChangeHash> missing;
  std::vector<ChangeHash> todo(heads.begin(), heads.end());
  while (!todo.empty()) {
    ChangeHash h = todo.back();
    todo.pop_back();
    if (!seen.insert(h).second) continue;
    WEFT_ASSIGN_OR_RETURN(bool has, weft::HasChange(db, h));
    if (has) continue;
    WEFT_ASSIGN_OR_RETURN(auto pending, LoadPendingBytes(db, h));
    if (!pending) {
      missing.insert(h);
      continue;
    }
    auto decoded = DecodeChange(*pending);
    if (!decoded) continue;
    for (const auto& d : decoded->deps) todo.push_back(d);
  }
  return std::vector<ChangeHash>(missing.begin(), missing.end());
}

Result<std::vector<ChangeHash>> StoreAdapter::DepsOf(const ChangeHash& h) {
  return LoadDeps(store_.db(), h);
}

Result<Bytes> StoreAdapter::ChangeBytes(const ChangeHash& h) {
  WEFT_ASSIGN_OR_RETURN(auto bytes, LoadChangeBytes(store_.db(), h));
  if (!bytes) return Fail(ErrorCode::kNotFound, "change {} is not in this store", h.Short());
  return std::move(*bytes);
}

Result<std::optional<sync::BlobRecord>> StoreAdapter::Blob(const ItemHash& h) {
  WEFT_ASSIGN_OR_RETURN(auto item, LoadItem(store_.db(), h));
  if (!item) return std::optional<sync::BlobRecord>();
  return std::optional<sync::BlobRecord>(
      sync::BlobRecord{h, item->kind, item->Canonical(), item->display});
}

Result<std::vector<sync::BlobRecord>> StoreAdapter::BlobsOf(const ChangeHash& h) {
  WEFT_ASSIGN_OR_RETURN(sync::Outgoing out, ChangeForSending(h));
  return std::move(out.blobs);
}

Status StoreAdapter::Snapshot(const std::function<Status()>& read) {
  return InReadSnapshot(store_.db(), read);
}

Result<sync::Outgoing> StoreAdapter::ChangeForSending(const ChangeHash& h) {
  sync::Outgoing out;
  WEFT_ASSIGN_OR_RETURN(out.bytes, ChangeBytes(h));
  auto c = DecodeChange(out.bytes);
  if (!c) return Fail(ErrorCode::kCorruption, "stored change {} is damaged", h.Short());
  for (const Op& op : c->ops) {
    const auto* add = std::get_if<AddItem>(&op);
    if (add == nullptr) continue;
    WEFT_ASSIGN_OR_RETURN(auto blob, LoadStoredBlob(store_.db(), add->item));
    if (!blob) continue;
    out.blobs.push_back(sync::BlobRecord{add->item, blob->kind, std::move(blob->canonical),
                                         std::move(blob->display)});
  }
  return out;
}

Result<sync::ApplyReport> StoreAdapter::Apply(const std::vector<sync::BlobRecord>& blobs,
                                              const std::vector<Bytes>& changes) {
  // Each blob is verified once, here, and goes down the write path as it came.
  std::vector<VerifiedBlob> items;
  items.reserve(blobs.size());
  for (const auto& b : blobs) {
    if (HashItem(b.kind, b.canonical) != b.hash) {
      return Fail(ErrorCode::kProtocol, "blob {} does not match its hash", b.hash.Short());
    }
    auto item = DecodeItem(b.kind, b.canonical, b.display);
    if (!item) return Fail(ErrorCode::kProtocol, "blob {} is malformed", b.hash.Short());
    items.push_back(VerifiedBlob{b.hash, b.kind, b.canonical, b.display, std::move(item->refs)});
  }
  // In key order, the blobs go into their table's pages one after another.
  std::sort(items.begin(), items.end(),
            [](const VerifiedBlob& x, const VerifiedBlob& y) { return x.hash < y.hash; });
  std::vector<EncodedChange> batch;
  for (const auto& bytes : changes) {
    auto c = EncodedChange::FromBytes(bytes);
    if (!c)
      return Fail(ErrorCode::kProtocol, "a received change is malformed: {}", c.error().message());
    batch.push_back(std::move(*c));
  }
  if (!changes.empty()) WEFT_TRY(BeginReceiving());
  WEFT_ASSIGN_OR_RETURN(AppendReport r, Ledger(store_).Append(batch, items));
  sync::ApplyReport out;
  WEFT_ASSIGN_OR_RETURN(auto fork, ForkOfOurs(batch, r));
  if (fork) {
    // One of our actors authored the peer's copy too: we were restored from a
    // backup. Re-issue our side under a new actor, then take the peer's.
    const ActorId old_actor = fork->first;
    WEFT_ASSIGN_OR_RETURN(Reissue re, ReissueForkedChanges(store_, old_actor, fork->second));
    out.notices.push_back(fmt::format(
        "this store's changes from seq {} of actor {} clash with ones the peer holds (was it "
        "restored from a backup?): it now authors as actor {} and re-issued {} change{} with the "
        "same ops and deps",
        fork->second, old_actor.Hex().substr(0, 8), re.actor.Hex().substr(0, 8), re.renamed.size(),
        re.renamed.size() == 1 ? "" : "s"));
    AppendReport again;
    WEFT_ASSIGN_OR_RETURN(again, Ledger(store_).Append(batch, items));
    r = std::move(again);
  }
  out.applied = std::move(r.applied);
  out.pending = std::move(r.pending);
  for (const auto& rej : r.rejected) {
    out.rejected.push_back(
        sync::Rejection{rej.hash, fmt::format("{}: {}", rej.hash.Short(), rej.error.message())});
    if (rej.error.code() != ErrorCode::kNotFound) continue;
    for (const auto& c : batch) {
      if (c.hash != rej.hash) continue;
      for (const Op& op : c.change.ops) {
        const auto* add = std::get_if<AddItem>(&op);
        if (add == nullptr) continue;
        WEFT_ASSIGN_OR_RETURN(bool has, HasBlob(store_.db(), add->item));
        if (!has) out.missing_blobs.push_back(add->item);
      }
    }
  }
  return out;
}

Result<std::optional<std::pair<ActorId, std::uint64_t>>> StoreAdapter::ForkOfOurs(
    const std::vector<EncodedChange>& batch, const AppendReport& report) {
  std::optional<std::pair<ActorId, std::uint64_t>> fork;
  for (const auto& rej : report.rejected) {
    if (rej.error.code() != ErrorCode::kConflict) continue;  // "reuses seq"
    for (const auto& c : batch) {
      if (c.hash != rej.hash) continue;
      WEFT_ASSIGN_OR_RETURN(bool ours, IsOwnActor(store_.db(), c.change.actor));
      if (!ours) continue;
      if (!fork || c.change.seq < fork->second) fork.emplace(c.change.actor, c.change.seq);
    }
  }
  return fork;
}

}  // namespace weft::net
