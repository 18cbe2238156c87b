// Frontier entries: one slot edit as the fold keeps it, and the two questions the
// fold asks of a set of them (who wins, and do they disagree).
#pragma once

#include <algorithm>
#include <compare>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "core/hlc.h"
#include "fold/outcome.h"
#include "model/ids.h"

namespace weft {

struct FrontierEntry {
  ChangeHash change;
  std::uint32_t op_index = 0;
  ActorId actor;
  std::uint64_t seq = 0;
  Hlc hlc;
  Bytes outcome;
  bool SameEdit(const FrontierEntry& o) const {
    return change == o.change && op_index == o.op_index;
  }
};

struct SlotKey {
  std::string branch;
  Slot slot;
  std::string location;
  auto operator<=>(const SlotKey&) const = default;
};

// The entry that wins a set of concurrent edits: greatest (hlc, change hash).
// Entries of one change never coexist in a frontier, so op_index takes no part.
// REQUIRES: !entries.empty().
inline const FrontierEntry& Winner(const std::vector<FrontierEntry>& entries) {
  return *std::max_element(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return std::tie(a.hlc, a.change) < std::tie(b.hlc, b.change);
  });
}

// True when the entries do not all carry the same outcome: a race worth recording.
inline bool HasDistinctOutcomes(const std::vector<FrontierEntry>& entries) {
  return std::any_of(entries.begin(), entries.end(),
                     [&](const auto& e) { return e.outcome != entries.front().outcome; });
}

}  // namespace weft
