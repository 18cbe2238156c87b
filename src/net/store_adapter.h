// StoreAdapter: the sync protocol's view (sync::SyncStore) of a real store.
//
// Received blobs are verified against their item hashes and received changes are
// decoded and re-hashed before anything is written; a message that fails either
// check is rejected whole (kProtocol) and the store is untouched. Everything a
// message brings is written in one transaction (Ledger::Append).
#pragma once

#include "store/store.h"
#include "sync/sync_store.h"

namespace weft::net {

class StoreAdapter : public sync::SyncStore {
 public:
  explicit StoreAdapter(Store& store) : store_(store) {}

  Result<std::vector<ChangeHash>> Heads() override;
  Result<bool> HasChange(const ChangeHash& h) override;
  Result<std::vector<ChangeHash>> ChangesNotBelow(const std::vector<ChangeHash>& heads) override;
  Result<std::vector<ChangeHash>> MissingDeps(const std::vector<ChangeHash>& heads) override;
  Result<std::vector<ChangeHash>> DepsOf(const ChangeHash& h) override;
  Result<Bytes> ChangeBytes(const ChangeHash& h) override;
  Result<std::vector<sync::BlobRecord>> BlobsOf(const ChangeHash& h) override;
  Result<std::optional<sync::BlobRecord>> Blob(const ItemHash& h) override;
  Result<sync::ApplyReport> Apply(const std::vector<sync::BlobRecord>& blobs,
                                  const std::vector<Bytes>& changes) override;

 private:
  Store& store_;
};

}  // namespace weft::net
