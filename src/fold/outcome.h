// Slots and outcomes: what the fold tracks per (branch, slot, location).
//
// A slot is a namespace for names (term, type) or the deprecation state of a
// location. An outcome is what one op says about its slot. Two frontier entries
// "differ" exactly when their outcome bytes differ.
//   outcome := u8(0)                          unbound      (Unname)
//            | u8(1) hash(item)               bound        (SetName, Repoint)
//            | u8(2) string(reason) u8(has) [string(replacement)]   deprecated
//            | u8(3)                          undeprecated
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/op.h"

namespace weft {

struct SlotEdit {
  Slot slot;
  std::string location;
  Bytes outcome;
};

// The slot edit an op makes, if it edits a slot (AddItem and CreateBranch do not).
std::optional<SlotEdit> SlotEditOf(const Op& op);

struct DecodedOutcome {
  enum class Kind : std::uint8_t { kUnbound = 0, kBound = 1, kDeprecated = 2, kUndeprecated = 3 };
  Kind kind = Kind::kUnbound;
  ItemHash item;
  std::string reason;
  std::optional<std::string> replacement;
};
Result<DecodedOutcome> DecodeOutcome(ByteView bytes);

// The op that puts `location`'s slot into `outcome` (the inverse of SlotEditOf).
Op OpForOutcome(Slot slot, const std::string& location, const DecodedOutcome& outcome);
// A few words for output: the item's short hash, "unbound", "deprecated" or
// "undeprecated".
std::string DescribeOutcome(const DecodedOutcome& outcome);

}  // namespace weft
