// An in-memory SyncStore: the protocol's view of a store, with no SQLite, for
// testing the sans-IO protocol on its own. Changes are applied when all their deps
// are held (else kept pending), in arrival order, which is a causal order.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/change.h"
#include "sync/sync_store.h"

namespace weft::sync::testing {

class MemoryStore final : public SyncStore {
 public:
  // Adds a change authored here. REQUIRES: its deps are held.
  void Author(const EncodedChange& c) { Hold(c); }
  void AddBlob(BlobRecord b) { blobs_[b.hash] = std::move(b); }

  const std::vector<ChangeHash>& order() const { return order_; }
  std::set<ChangeHash> held() const { return {order_.begin(), order_.end()}; }
  std::size_t pending() const { return pending_.size(); }
  int apply_calls = 0;

  Result<std::vector<ChangeHash>> Heads() override {
    std::set<ChangeHash> covered;
    for (const auto& [h, c] : changes_) covered.insert(c.change.deps.begin(), c.change.deps.end());
    std::vector<ChangeHash> out;
    for (const auto& h : order_) {
      if (!covered.contains(h)) out.push_back(h);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  Result<bool> HasChange(const ChangeHash& h) override { return changes_.contains(h); }
  Result<std::vector<ChangeHash>> ChangesNotBelow(const std::vector<ChangeHash>& heads) override {
    std::set<ChangeHash> below;
    std::vector<ChangeHash> todo;
    for (const auto& h : heads) {
      if (changes_.contains(h)) todo.push_back(h);
    }
    while (!todo.empty()) {
      ChangeHash h = todo.back();
      todo.pop_back();
      if (!below.insert(h).second) continue;
      for (const auto& d : changes_.at(h).change.deps) todo.push_back(d);
    }
    std::vector<ChangeHash> out;
    for (const auto& h : order_) {
      if (!below.contains(h)) out.push_back(h);
    }
    return out;
  }
  Result<std::vector<ChangeHash>> MissingDeps(const std::vector<ChangeHash>& heads) override {
    std::set<ChangeHash> seen, missing;
    std::vector<ChangeHash> todo(heads.begin(), heads.end());
    while (!todo.empty()) {
      ChangeHash h = todo.back();
      todo.pop_back();
      if (!seen.insert(h).second || changes_.contains(h)) continue;
      auto p = pending_.find(h);
      if (p == pending_.end()) {
        missing.insert(h);
        continue;
      }
      for (const auto& d : p->second.change.deps) todo.push_back(d);
    }
    return std::vector<ChangeHash>(missing.begin(), missing.end());
  }
  Result<std::vector<ChangeHash>> DepsOf(const ChangeHash& h) override {
    auto it = changes_.find(h);
    if (it == changes_.end()) return Fail(ErrorCode::kNotFound, "no change {}", h.Short());
    return it->second.change.deps;
  }
  Result<Bytes> ChangeBytes(const ChangeHash& h) override {
    auto it = changes_.find(h);
    if (it == changes_.end()) return Fail(ErrorCode::kNotFound, "no change {}", h.Short());
    return it->second.bytes;
  }
  Result<std::vector<BlobRecord>> BlobsOf(const ChangeHash& h) override {
    std::vector<BlobRecord> out;
    for (const auto& op : changes_.at(h).change.ops) {
      if (const auto* add = std::get_if<AddItem>(&op)) {
        if (auto b = blobs_.find(add->item); b != blobs_.end()) out.push_back(b->second);
      }
    }
    return out;
  }
  Result<std::optional<BlobRecord>> Blob(const ItemHash& h) override {
    auto it = blobs_.find(h);
    if (it == blobs_.end()) return std::optional<BlobRecord>();
    return std::optional<BlobRecord>(it->second);
  }
  Result<ApplyReport> Apply(const std::vector<BlobRecord>& blobs,
                            const std::vector<Bytes>& changes) override {
    ++apply_calls;
    ApplyReport report;
    for (const auto& b : blobs) blobs_[b.hash] = b;
    for (const auto& bytes : changes) {
      auto c = EncodedChange::FromBytes(bytes);
      if (!c)
        return Fail(ErrorCode::kProtocol, "a change does not decode: {}", c.error().message());
      if (changes_.contains(c->hash)) continue;
      pending_[c->hash] = std::move(*c);
    }
    // Apply whatever is ready, repeatedly: arrival order need not be causal.
    for (bool progress = true; progress;) {
      progress = false;
      for (auto it = pending_.begin(); it != pending_.end();) {
        const EncodedChange& c = it->second;
        const bool ready = std::all_of(c.change.deps.begin(), c.change.deps.end(),
                                       [&](const auto& d) { return changes_.contains(d); });
        if (!ready) {
          ++it;
          continue;
        }
        if (auto missing = MissingBlob(c)) {
          report.rejected.push_back({c.hash, "its blob never arrived"});
          report.missing_blobs.push_back(*missing);
          it = pending_.erase(it);
          continue;
        }
        report.applied.push_back(c.hash);
        Hold(c);
        it = pending_.erase(it);
        progress = true;
      }
    }
    for (const auto& [h, c] : pending_) report.pending.push_back(h);
    return report;
  }

 private:
  std::optional<ItemHash> MissingBlob(const EncodedChange& c) const {
    for (const auto& op : c.change.ops) {
      if (const auto* add = std::get_if<AddItem>(&op); add && !blobs_.contains(add->item))
        return add->item;
    }
    return std::nullopt;
  }
  void Hold(const EncodedChange& c) {
    if (changes_.emplace(c.hash, c).second) order_.push_back(c.hash);
  }

  std::map<ChangeHash, EncodedChange> changes_;
  std::vector<ChangeHash> order_;  // arrival order: causal
  std::map<ChangeHash, EncodedChange> pending_;
  std::map<ItemHash, BlobRecord> blobs_;
};

}  // namespace weft::sync::testing
