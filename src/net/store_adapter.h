// StoreAdapter: the sync protocol's view (sync::SyncStore) of a real store.
//
// Received blobs are verified against their item hashes and received changes are
// decoded and re-hashed before anything is written; a message that fails either
// check is rejected whole (kProtocol) and the store is untouched. Everything a
// message brings is written in one transaction (Ledger::Append). A received change
// of one of our own actors that clashes with one we hold means this store was
// restored from a backup: it re-issues its side (fold/reissue.h) and says so.
#pragma once

#include "fold/ledger.h"
#include "store/store.h"
#include "sync/sync_store.h"

namespace weft::net {

class StoreAdapter : public sync::SyncStore {
 public:
  explicit StoreAdapter(Store& store) : store_(store) {}
  // Ends bulk receiving: the WAL is checkpointed once, here.
  ~StoreAdapter() override;
  StoreAdapter(const StoreAdapter&) = delete;
  StoreAdapter& operator=(const StoreAdapter&) = delete;

  Result<std::vector<ChangeHash>> Heads() override;
  Result<bool> HasChange(const ChangeHash& h) override;
  Result<std::vector<ChangeHash>> ChangesNotBelow(const std::vector<ChangeHash>& heads) override;
  Result<std::vector<ChangeHash>> MissingDeps(const std::vector<ChangeHash>& heads) override;
  Result<std::vector<ChangeHash>> DepsOf(const ChangeHash& h) override;
  Result<Bytes> ChangeBytes(const ChangeHash& h) override;
  Result<std::vector<sync::BlobRecord>> BlobsOf(const ChangeHash& h) override;
  Result<std::optional<sync::BlobRecord>> Blob(const ItemHash& h) override;
  // One read of the change and of each blob it adds; nothing re-hashed or
  // re-encoded (the receiver verifies all of it).
  Result<sync::Outgoing> ChangeForSending(const ChangeHash& h) override;
  Status Snapshot(const std::function<Status()>& read) override;
  Result<sync::ApplyReport> Apply(const std::vector<sync::BlobRecord>& blobs,
                                  const std::vector<Bytes>& changes) override;

  // This store's hello: instance, actor, change count and clock.
  Result<sync::Hello> Hello();

 private:
  // The least (actor, seq) at which a received change of our own actors was
  // refused for reusing a seq we hold: the point our actor forked.
  Result<std::optional<std::pair<ActorId, std::uint64_t>>> ForkOfOurs(
      const std::vector<EncodedChange>& batch, const AppendReport& report);
  // The first batch received switches the store to bulk receiving for the rest
  // of the session: no checkpoint after every commit (each copies the pages a
  // batch dirtied into the database again), one when the session ends instead.
  Status BeginReceiving();
  Store& store_;
  bool receiving_ = false;
};

}  // namespace weft::net
