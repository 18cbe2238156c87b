// Changes and blobs for the hub's tests, built through the model's API.
#pragma once

#include <optional>

#include "model/change.h"
#include "sync/message.h"
#include "test_util.h"

namespace weft::hub::testing {

struct Built {
  EncodedChange change;
  sync::BlobRecord blob;
};

// A change of `actor` at `seq` over `deps` that adds one item whose text is `text`.
// `hlc`: its stamp (default: 1000 + seq ms), which must exceed its deps' for a
// store to accept it.
inline Built MakeChange(const ActorId& actor, std::uint64_t seq, std::vector<ChangeHash> deps,
                        const std::string& text, std::optional<Hlc> hlc = std::nullopt) {
  Item item = weft::testing::TextItem(text);
  Change c;
  c.actor = actor;
  c.seq = seq;
  c.hlc = hlc.value_or(Hlc::From(1000 + seq, 0));
  c.branch = "main";
  std::sort(deps.begin(), deps.end());
  c.deps = std::move(deps);
  c.ops = {AddItem{item.Hash()}};
  return {EncodedChange::FromChange(std::move(c)),
          sync::BlobRecord{item.Hash(), item.kind, item.Canonical(), item.display}};
}

inline sync::Message PushOf(const std::vector<Built>& changes) {
  sync::Message m;
  m.release = 2;
  for (const auto& b : changes) {
    m.changes.push_back(b.change.bytes);
    m.blobs.push_back(b.blob);
  }
  return m;
}

}  // namespace weft::hub::testing
