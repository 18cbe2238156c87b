// VectorClock: for one change, the highest seq of every actor among its ancestors
// (itself included). Change a is an ancestor-or-self of change b exactly when
// clock(b)[a.actor] >= a.seq, because an actor's changes form a chain (each depends
// on the previous one). This answers causality questions without walking the DAG.
//
// Encoding (clocks projection): varint(count) { actor(16 bytes) varint(seq) }, actors
// strictly ascending.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "core/codec.h"
#include "model/ids.h"

namespace weft {

class VectorClock {
 public:
  std::uint64_t Get(const ActorId& actor) const;
  // True when the change (actor, seq) is an ancestor-or-self of this clock's change.
  bool Covers(const ActorId& actor, std::uint64_t seq) const { return Get(actor) >= seq; }
  void Merge(const VectorClock& other);
  // How many changes are ancestors-or-self of this clock's change. A change's
  // total exceeds every ancestor's, so sorting by it is a causal order.
  std::uint64_t Total() const;
  void Raise(const ActorId& actor, std::uint64_t seq);

  Bytes Encode() const;
  static Result<VectorClock> Decode(ByteView bytes);

  bool operator==(const VectorClock&) const = default;

 private:
  std::vector<std::pair<ActorId, std::uint64_t>> entries_;  // sorted by actor
};

}  // namespace weft
