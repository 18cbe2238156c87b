// The canonical byte form of a component of definitions, and its display metadata.
//
//   body    := varint(version) varint(count) varint(self) member{count}
//   member  := u8(kind) (expr | [string(identity)] typedef)
// version is kLangVersion (1) for components of functions and values and
// kTypeLangVersion (2) for components of types, whose members carry their
// identity (the name they were created under). Version 1 type components, made
// before identities, still decode and keep their hashes.
//   expr    := u8(tag) ...       (docs/language.md lists every tag)
// References to other items are varint indices into the item's sorted `refs`
// list (model/item.h); references inside the component are member positions.
// Bound variables are de Bruijn indices; no name of a bound variable, parameter
// or case is written, so renaming them never changes a hash. Record field names
// are written: they are part of a record's meaning.
//
//   display := varint(2) varint(count) member_display{count}
//   member_display := string(name) string(source) varint(n) string{n} (binder names,
//                     in encoding order) varint(m) string{m} (case names, types only)
//                     varint(k) string{k} (names the member referred to items by,
//                     sorted; version 2 only)
// Display metadata is stored beside the item and never hashed. Version 1 (no
// referred names) still decodes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"
#include "core/hash.h"
#include "lang/ast.h"

namespace weft::lang {

// The hashing-version tokens: a new token changes every hash encoded under it.
inline constexpr std::uint64_t kLangVersion = 1;      // functions and values
inline constexpr std::uint64_t kTypeLangVersion = 2;  // types, with their identity hashed

// A component of resolved definitions, in canonical member order. `version` 0
// means the current token for its kind; a decoded component keeps the token it
// was stored under, so re-encoding it reproduces its hash.
struct Component {
  std::vector<Definition> members;
  std::uint64_t version = 0;
};

struct EncodedComponent {
  std::vector<Digest> refs;  // sorted, unique
  Bytes body_prefix_free;    // member bytes after the self index (shared by every member)
  Bytes display;
  std::uint64_t version = kLangVersion;
};

// Encodes a resolved component. The body of member `self` is
// varint(version) varint(count) varint(self) + body_prefix_free.
EncodedComponent EncodeComponent(const Component& component);
Bytes MemberBody(const EncodedComponent& encoded, std::size_t count, std::size_t self);

struct DecodedComponent {
  Component component;  // names refilled from display metadata where present
  std::size_t self = 0;
};

// Decodes a body produced by EncodeComponent; `refs` are the item's refs and
// `display` its display metadata (may be empty: binders get generated names).
Result<DecodedComponent> DecodeComponent(ByteView body, const std::vector<Digest>& refs,
                                         ByteView display);

}  // namespace weft::lang
