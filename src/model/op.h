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
//   Base        (10): u8(slot) string(location) hashlist(frontier)
//   Repoint     (11): u8(namespace) string(location) hash(item) u8(cause namespace)
//                     string(cause location)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

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
  kBase = 10,
  kRepoint = 11,
};

// What the fold tracks per location: a name in one namespace, or the location's
// deprecation state. On disk and wire.
enum class Slot : std::uint8_t { kTerm = 1, kType = 2, kDeprecation = 3 };
inline Slot SlotOf(Namespace ns) { return ns == Namespace::kTerm ? Slot::kTerm : Slot::kType; }
Result<Slot> SlotFromByte(std::uint8_t b);

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

// The edits of (slot, location) in this change were made against `frontier`, the
// slot's maximal edits (their change hashes) when the person staged them. They
// follow only the slot's edits at or before those changes; edits that arrived
// after staging stay concurrent with them, so overwriting one is a recorded race
// (docs/design/conflicts.md, "Staged work meets a sync"). Written only when the
// slot moved between staging and commit. REQUIRES (checked on append): every
// frontier change is in the change's causal past.
struct Base {
  Slot slot = Slot::kTerm;
  std::string location;
  std::vector<ChangeHash> frontier;  // strictly ascending
  bool operator==(const Base&) const = default;
};
// Binds `location` like SetName, because `cause` was re-bound in the same change
// (propagation): the binding exists only through that edit. A race on a re-pointed
// dependent is tied to the race on its cause (docs/design/conflicts.md).
struct Repoint {
  Namespace ns = Namespace::kTerm;
  std::string location;
  ItemHash item;
  Namespace cause_ns = Namespace::kTerm;
  std::string cause;
  bool operator==(const Repoint&) const = default;
};

using Op = std::variant<AddItem, SetName, Unname, Deprecate, Undeprecate, CreateBranch, Resolve,
                        MergeBranch, ArchiveBranch, Base, Repoint>;

OpKind KindOf(const Op& op);
void EncodeOp(const Op& op, Writer& w);
Result<Op> DecodeOp(Reader& r);
Bytes EncodeOpBytes(const Op& op);
Result<Op> DecodeOpBytes(ByteView b);
// One line for `weft log`, e.g. "bind term Demo.Math.add 3f8a92c1".
std::string DescribeOp(const Op& op);

}  // namespace weft
