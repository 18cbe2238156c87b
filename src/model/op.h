// Op: one package edit. A change carries a list of ops, applied in order.
//
// Encoding (docs/formats.md):
//   op := u8(kind) body
//   AddItem      (1): hash(item)
//   SetName      (2): u8(namespace) string(location) hash(item)
//   Unname       (3): u8(namespace) string(location)
//   Deprecate    (4): string(location) string(reason) u8(has_replacement) [string(replacement)]
//   Undeprecate  (5): string(location)
//   CreateBranch (6): string(name)
//   Resolve      (7): hash(conflict id)
//   MergeBranch  (8): string(name)
//   ArchiveBranch(9): string(name)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "core/codec.h"
#include "model/ids.h"
#include "model/names.h"

namespace weft {

enum class OpKind : std::uint8_t {
  kAddItem = 1,
  kSetName = 2,
  kUnname = 3,
  kDeprecate = 4,
  kUndeprecate = 5,
  kCreateBranch = 6,
  kResolve = 7,
  kMergeBranch = 8,
  kArchiveBranch = 9,
};

struct AddItem {
  ItemHash item;
  bool operator==(const AddItem&) const = default;
};
struct SetName {
  Namespace ns;
  std::string location;
  ItemHash item;
  bool operator==(const SetName&) const = default;
};
struct Unname {
  Namespace ns;
  std::string location;
  bool operator==(const Unname&) const = default;
};
struct Deprecate {
  std::string location;
  std::string reason;
  std::optional<std::string> replacement;
  bool operator==(const Deprecate&) const = default;
};
struct Undeprecate {
  std::string location;
  bool operator==(const Undeprecate&) const = default;
};
struct CreateBranch {
  std::string name;
  bool operator==(const CreateBranch&) const = default;
};

// Marks the slot edits of its change that supersede conflict `id` as a person's
// resolution of it (`weft conflicts resolve`).
struct Resolve {
  ConflictId id;
  bool operator==(const Resolve&) const = default;
};
// The change's branch takes in branch `name`'s view up to this change; the
// change's slot edits settle the locations both sides changed (`weft branch merge`).
struct MergeBranch {
  std::string name;
  bool operator==(const MergeBranch&) const = default;
};
// Hides branch `name` from listings and refuses further work on it.
struct ArchiveBranch {
  std::string name;
  bool operator==(const ArchiveBranch&) const = default;
};

using Op = std::variant<AddItem, SetName, Unname, Deprecate, Undeprecate, CreateBranch, Resolve,
                        MergeBranch, ArchiveBranch>;

OpKind KindOf(const Op& op);
void EncodeOp(const Op& op, Writer& w);
Result<Op> DecodeOp(Reader& r);
Bytes EncodeOpBytes(const Op& op);
Result<Op> DecodeOpBytes(ByteView b);
// One line for `weft log`, e.g. "bind term Demo.Math.add 3f8a92c1".
std::string DescribeOp(const Op& op);

}  // namespace weft
