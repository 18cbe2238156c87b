#include "fold/outcome.h"

namespace weft {

std::optional<SlotEdit> SlotEditOf(const Op& op) {
  Writer w;
  if (const auto* o = std::get_if<SetName>(&op)) {
    w.PutU8(1);
    w.PutDigest(o->item.digest());
    return SlotEdit{SlotOf(o->ns), o->location, w.Take()};
  }
  if (const auto* o = std::get_if<Repoint>(&op)) {
    w.PutU8(1);
    w.PutDigest(o->item.digest());
    return SlotEdit{SlotOf(o->ns), o->location, w.Take()};
  }
  if (const auto* o = std::get_if<Unname>(&op)) {
    w.PutU8(0);
    return SlotEdit{SlotOf(o->ns), o->location, w.Take()};
  }
  if (const auto* o = std::get_if<Deprecate>(&op)) {
    w.PutU8(2);
    w.PutString(o->reason);
    w.PutU8(o->replacement ? 1 : 0);
    if (o->replacement) w.PutString(*o->replacement);
    return SlotEdit{Slot::kDeprecation, o->location, w.Take()};
  }
  if (const auto* o = std::get_if<Undeprecate>(&op)) {
    w.PutU8(3);
    return SlotEdit{Slot::kDeprecation, o->location, w.Take()};
  }
  return std::nullopt;
}

Result<DecodedOutcome> DecodeOutcome(ByteView bytes) {
  Reader r(bytes);
  DecodedOutcome out;
  WEFT_ASSIGN_OR_RETURN(std::uint8_t tag, r.GetU8());
  switch (tag) {
    case 0:
      out.kind = DecodedOutcome::Kind::kUnbound;
      break;
    case 1: {
      out.kind = DecodedOutcome::Kind::kBound;
      WEFT_ASSIGN_OR_RETURN(Digest d, r.GetDigest());
      out.item = ItemHash(d);
      break;
    }
    case 2: {
      out.kind = DecodedOutcome::Kind::kDeprecated;
      WEFT_ASSIGN_OR_RETURN(out.reason, r.GetString());
      WEFT_ASSIGN_OR_RETURN(std::uint8_t has, r.GetU8());
      if (has == 1) {
        WEFT_ASSIGN_OR_RETURN(std::string rep, r.GetString());
        out.replacement = std::move(rep);
      }
      break;
    }
    case 3:
      out.kind = DecodedOutcome::Kind::kUndeprecated;
      break;
    default:
      return Fail(ErrorCode::kCorruption, "unknown outcome tag {}", tag);
  }
  WEFT_TRY(r.ExpectEnd("outcome"));
  return out;
}

Op OpForOutcome(Slot slot, const std::string& location, const DecodedOutcome& outcome) {
  const Namespace ns = slot == Slot::kType ? Namespace::kType : Namespace::kTerm;
  switch (outcome.kind) {
    case DecodedOutcome::Kind::kBound:
      return SetName{ns, location, outcome.item};
    case DecodedOutcome::Kind::kUnbound:
      return Unname{ns, location};
    case DecodedOutcome::Kind::kDeprecated:
      return Deprecate{location, outcome.reason, outcome.replacement};
    case DecodedOutcome::Kind::kUndeprecated:
      break;
  }
  return Undeprecate{location};
}

std::string DescribeOutcome(const DecodedOutcome& outcome) {
  switch (outcome.kind) {
    case DecodedOutcome::Kind::kBound:
      return outcome.item.Short();
    case DecodedOutcome::Kind::kUnbound:
      return "unbound";
    case DecodedOutcome::Kind::kDeprecated:
      return "deprecated";
    case DecodedOutcome::Kind::kUndeprecated:
      break;
  }
  return "undeprecated";
}

}  // namespace weft
