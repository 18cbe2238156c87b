#include "model/op.h"

#include "core/overloaded.h"

namespace weft {
namespace {

constexpr std::size_t kMaxReason = 4096;

Result<std::string> GetLocation(Reader& r) {
  WEFT_ASSIGN_OR_RETURN(std::string loc, r.GetString());
  if (auto ok = ValidateLocation(loc); !ok) {
    return Fail(ErrorCode::kCorruption, "op names an invalid location: {}", ok.error().message());
  }
  return loc;
}

Result<std::string> GetBranch(Reader& r) {
  WEFT_ASSIGN_OR_RETURN(std::string name, r.GetString());
  if (auto ok = ValidateBranchName(name); !ok) {
    return Fail(ErrorCode::kCorruption, "op names an invalid branch: {}", ok.error().message());
  }
  return name;
}

Result<Namespace> GetNamespace(Reader& r) {
  WEFT_ASSIGN_OR_RETURN(std::uint8_t b, r.GetU8());
  return NamespaceFromByte(b);
}

}  // namespace

Result<Slot> SlotFromByte(std::uint8_t b) {
  if (b >= 1 && b <= 3) return static_cast<Slot>(b);
  return Fail(ErrorCode::kCorruption, "unknown slot {}", b);
}

OpKind KindOf(const Op& op) { return static_cast<OpKind>(op.index() + 1); }

void EncodeOp(const Op& op, Writer& w) {
  w.PutU8(static_cast<std::uint8_t>(KindOf(op)));
  std::visit(Overloaded{
                 [&](const AddItem& o) { w.PutDigest(o.item.digest()); },
                 [&](const SetName& o) {
                   w.PutU8(static_cast<std::uint8_t>(o.ns));
                   w.PutString(o.location);
                   w.PutDigest(o.item.digest());
                 },
                 [&](const Unname& o) {
                   w.PutU8(static_cast<std::uint8_t>(o.ns));
                   w.PutString(o.location);
                 },
                 [&](const Deprecate& o) {
                   w.PutString(o.location);
                   w.PutString(o.reason);
                   w.PutU8(o.replacement ? 1 : 0);
                   if (o.replacement) w.PutString(*o.replacement);
                 },
                 [&](const Undeprecate& o) { w.PutString(o.location); },
                 [&](const CreateBranch& o) { w.PutString(o.name); },
                 [&](const Resolve& o) { w.PutDigest(o.id.digest()); },
                 [&](const MergeBranch& o) { w.PutString(o.name); },
                 [&](const ArchiveBranch& o) { w.PutString(o.name); },
                 [&](const Base& o) {
                   w.PutU8(static_cast<std::uint8_t>(o.slot));
                   w.PutString(o.location);
                   w.PutVarint(o.frontier.size());
                   for (const ChangeHash& h : o.frontier) w.PutDigest(h.digest());
                 },
                 [&](const Repoint& o) {
                   w.PutU8(static_cast<std::uint8_t>(o.ns));
                   w.PutString(o.location);
                   w.PutDigest(o.item.digest());
                   w.PutU8(static_cast<std::uint8_t>(o.cause_ns));
                   w.PutString(o.cause);
                 },
             },
             op);
}

Result<Op> DecodeOp(Reader& r) {
  WEFT_ASSIGN_OR_RETURN(std::uint8_t kind, r.GetU8());
  switch (static_cast<OpKind>(kind)) {
    case OpKind::kAddItem: {
      WEFT_ASSIGN_OR_RETURN(Digest d, r.GetDigest());
      return AddItem{ItemHash(d)};
    }
    case OpKind::kSetName: {
      WEFT_ASSIGN_OR_RETURN(Namespace ns, GetNamespace(r));
      WEFT_ASSIGN_OR_RETURN(std::string loc, GetLocation(r));
      WEFT_ASSIGN_OR_RETURN(Digest d, r.GetDigest());
      return SetName{ns, std::move(loc), ItemHash(d)};
    }
    case OpKind::kUnname: {
      WEFT_ASSIGN_OR_RETURN(Namespace ns, GetNamespace(r));
      WEFT_ASSIGN_OR_RETURN(std::string loc, GetLocation(r));
      return Unname{ns, std::move(loc)};
    }
    case OpKind::kDeprecate: {
      Deprecate o;
      WEFT_ASSIGN_OR_RETURN(o.location, GetLocation(r));
      WEFT_ASSIGN_OR_RETURN(o.reason, r.GetString());
      if (o.reason.size() > kMaxReason) {
        return Fail(ErrorCode::kCorruption, "deprecation reason is longer than {} bytes",
                    kMaxReason);
      }
      WEFT_ASSIGN_OR_RETURN(std::uint8_t has, r.GetU8());
      if (has > 1) return Fail(ErrorCode::kCorruption, "bad replacement flag {}", has);
      if (has == 1) {
        WEFT_ASSIGN_OR_RETURN(std::string rep, GetLocation(r));
        o.replacement = std::move(rep);
      }
      return o;
    }
    case OpKind::kUndeprecate: {
      WEFT_ASSIGN_OR_RETURN(std::string loc, GetLocation(r));
      return Undeprecate{std::move(loc)};
    }
    case OpKind::kCreateBranch: {
      WEFT_ASSIGN_OR_RETURN(std::string name, GetBranch(r));
      return CreateBranch{std::move(name)};
    }
    case OpKind::kResolve: {
      WEFT_ASSIGN_OR_RETURN(Digest d, r.GetDigest());
      return Resolve{ConflictId(d)};
    }
    case OpKind::kMergeBranch: {
      WEFT_ASSIGN_OR_RETURN(std::string name, GetBranch(r));
      return MergeBranch{std::move(name)};
    }
    case OpKind::kArchiveBranch: {
      WEFT_ASSIGN_OR_RETURN(std::string name, GetBranch(r));
      return ArchiveBranch{std::move(name)};
    }
    case OpKind::kBase: {
      Base o;
      WEFT_ASSIGN_OR_RETURN(std::uint8_t slot, r.GetU8());
      WEFT_ASSIGN_OR_RETURN(o.slot, SlotFromByte(slot));
      WEFT_ASSIGN_OR_RETURN(o.location, GetLocation(r));
      WEFT_ASSIGN_OR_RETURN(std::vector<Digest> frontier, r.GetDigestList());
      for (const Digest& d : frontier) o.frontier.emplace_back(d);
      return o;
    }
    case OpKind::kRepoint: {
      Repoint o;
      WEFT_ASSIGN_OR_RETURN(o.ns, GetNamespace(r));
      WEFT_ASSIGN_OR_RETURN(o.location, GetLocation(r));
      WEFT_ASSIGN_OR_RETURN(Digest d, r.GetDigest());
      o.item = ItemHash(d);
      WEFT_ASSIGN_OR_RETURN(o.cause_ns, GetNamespace(r));
      WEFT_ASSIGN_OR_RETURN(o.cause, GetLocation(r));
      return o;
    }
  }
  return Fail(ErrorCode::kCorruption, "unknown op kind {}", kind);
}

Bytes EncodeOpBytes(const Op& op) {
  Writer w;
  EncodeOp(op, w);
  return w.Take();
}

Result<Op> DecodeOpBytes(ByteView b) {
  Reader r(b);
  WEFT_ASSIGN_OR_RETURN(Op op, DecodeOp(r));
  WEFT_TRY(r.ExpectEnd("op"));
  return op;
}

std::string DescribeOp(const Op& op) {
  return std::visit(
      Overloaded{
          [](const AddItem& o) { return fmt::format("add item {}", o.item.Short()); },
          [](const SetName& o) {
            return fmt::format("bind {} {} {}", NamespaceName(o.ns), o.location, o.item.Short());
          },
          [](const Unname& o) {
            return fmt::format("unbind {} {}", NamespaceName(o.ns), o.location);
          },
          [](const Deprecate& o) { return fmt::format("deprecate {}", o.location); },
          [](const Undeprecate& o) { return fmt::format("undeprecate {}", o.location); },
          [](const CreateBranch& o) { return fmt::format("create branch {}", o.name); },
          [](const Resolve& o) { return fmt::format("resolve conflict {}", o.id.Short()); },
          [](const MergeBranch& o) { return fmt::format("merge branch {}", o.name); },
          [](const ArchiveBranch& o) { return fmt::format("archive branch {}", o.name); },
          [](const Base& o) {
            return fmt::format("{} was edited against an older binding", o.location);
          },
          [](const Repoint& o) {
            return fmt::format("bind {} {} {} (re-pointed after {})", NamespaceName(o.ns),
                               o.location, o.item.Short(), o.cause);
          },
      },
      op);
}

}  // namespace weft
