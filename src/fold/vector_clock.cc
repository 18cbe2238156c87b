#include "fold/vector_clock.h"

#include <algorithm>

namespace weft {
namespace {

bool ActorLess(const std::pair<ActorId, std::uint64_t>& e, const ActorId& a) { return e.first < a; }

}  // namespace

std::uint64_t VectorClock::Get(const ActorId& actor) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), actor, ActorLess);
  return (it != entries_.end() && it->first == actor) ? it->second : 0;
}

void VectorClock::Raise(const ActorId& actor, std::uint64_t seq) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), actor, ActorLess);
  if (it != entries_.end() && it->first == actor) {
    it->second = std::max(it->second, seq);
  } else {
    entries_.insert(it, {actor, seq});
  }
}

void VectorClock::Merge(const VectorClock& other) {
  if (entries_.empty()) {
    entries_ = other.entries_;
    return;
  }
  for (const auto& [actor, seq] : other.entries_) Raise(actor, seq);
}

std::uint64_t VectorClock::Total() const {
  std::uint64_t total = 0;
  for (const auto& [actor, seq] : entries_) total += seq;
  return total;
}

Bytes VectorClock::Encode() const {
  Writer w;
  w.PutVarint(entries_.size());
  for (const auto& [actor, seq] : entries_) {
    w.PutRaw(actor.bytes());
    w.PutVarint(seq);
  }
  return w.Take();
}

Result<VectorClock> VectorClock::Decode(ByteView bytes) {
  Reader r(bytes);
  WEFT_ASSIGN_OR_RETURN(std::uint64_t n,
                        r.GetVarintAtMost(bytes.size() / (ActorId::kSize + 1), "clock size"));
  VectorClock vc;
  for (std::uint64_t i = 0; i < n; ++i) {
    WEFT_ASSIGN_OR_RETURN(ByteView raw, r.GetRaw(ActorId::kSize));
    WEFT_ASSIGN_OR_RETURN(ActorId actor, ActorId::FromBytes(raw));
    WEFT_ASSIGN_OR_RETURN(std::uint64_t seq, r.GetVarint());
    if (!vc.entries_.empty() && !(vc.entries_.back().first < actor)) {
      return Fail(ErrorCode::kCorruption, "clock actors are not ascending");
    }
    vc.entries_.emplace_back(actor, seq);
  }
  WEFT_TRY(r.ExpectEnd("clock"));
  return vc;
}

}  // namespace weft
