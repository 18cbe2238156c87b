// The narrow view of a store that the sync protocol needs. The protocol does no
// I/O; a carrier implements this over a real store (net/store_adapter.h) or a
// test implements it in memory.
#pragma once

#include <functional>
#include <vector>

#include "model/ids.h"
#include "sync/message.h"

namespace weft::sync {

struct Rejection {
  ChangeHash hash;
  std::string reason;  // one line
};

struct ApplyReport {
  std::vector<ChangeHash> applied;
  std::vector<ChangeHash> pending;  // waiting for missing deps
  std::vector<Rejection> rejected;
  std::vector<ItemHash> missing_blobs;  // changes rejected because these blobs never arrived
  std::vector<std::string> notices;     // one sentence each, for the person (a re-issue)
};

// A change as it goes out: its bytes and the blobs of the items it adds.
struct Outgoing {
  Bytes bytes;
  std::vector<BlobRecord> blobs;
};

class SyncStore {
 public:
  virtual ~SyncStore() = default;
  virtual Result<std::vector<ChangeHash>> Heads() = 0;
  // True when the change is stored and applied (not merely pending).
  virtual Result<bool> HasChange(const ChangeHash& h) = 0;
  // Every applied change that is not an ancestor-or-self of one of `heads`
  // (heads we do not hold are ignored), in causal order.
  virtual Result<std::vector<ChangeHash>> ChangesNotBelow(const std::vector<ChangeHash>& heads) = 0;
  // The hashes reachable from `heads` that we neither hold nor have pending,
  // walking through pending changes' deps. Sorted.
  virtual Result<std::vector<ChangeHash>> MissingDeps(const std::vector<ChangeHash>& heads) = 0;
  virtual Result<std::vector<ChangeHash>> DepsOf(const ChangeHash& h) = 0;
  virtual Result<Bytes> ChangeBytes(const ChangeHash& h) = 0;
  // Blobs of the items a change adds.
  virtual Result<std::vector<BlobRecord>> BlobsOf(const ChangeHash& h) = 0;
  virtual Result<std::optional<BlobRecord>> Blob(const ItemHash& h) = 0;
  // Runs `read` (which only reads) against one snapshot of the store; a store
  // that can, takes its locks once for all of it.
  virtual Status Snapshot(const std::function<Status()>& read) { return read(); }
  // ChangeBytes and BlobsOf together; a store may read both in one pass.
  virtual Result<Outgoing> ChangeForSending(const ChangeHash& h) {
    Outgoing out;
    WEFT_ASSIGN_OR_RETURN(out.bytes, ChangeBytes(h));
    WEFT_ASSIGN_OR_RETURN(out.blobs, BlobsOf(h));
    return out;
  }
  // Verifies and applies blobs and changes in one transaction.
  virtual Result<ApplyReport> Apply(const std::vector<BlobRecord>& blobs,
                                    const std::vector<Bytes>& changes) = 0;
};

}  // namespace weft::sync
