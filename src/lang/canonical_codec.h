// The canonical byte form of a component of definitions, and its display metadata.
//
//   body    := varint(kLangVersion) varint(count) varint(self) member{count}
//   member  := u8(kind) (expr | typedef)
//   expr    := u8(tag) ...       (docs/language.md lists every tag)
// References to other items are varint indices into the item's sorted `refs`
// list (model/item.h); references inside the component are member positions.
// Bound variables are de Bruijn indices; no name of a bound variable, parameter
// or case is written, so renaming them never changes a hash. Record field names
// are written: they are part of a record's meaning.
//
//   display := varint(1) varint(count) member_display{count}
//   member_display := string(name) string(source) varint(n) string{n} (binder names,
//                     in encoding order) varint(m) string{m} (case names, types only)
// Display metadata is stored beside the item and never hashed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"
#include "core/hash.h"
#include "lang/ast.h"

namespace weft::lang {

// The hashing-version token: bump it and every item hash changes.
inline constexpr std::uint64_t kLangVersion = 1;

// A component of resolved definitions, in canonical member order.
struct Component {
  std::vector<Definition> members;
};

struct EncodedComponent {
  std::vector<Digest> refs;  // sorted, unique
  Bytes body_prefix_free;    // member bytes after the self index (shared by every member)
  Bytes display;
};

// Encodes a resolved component. The body of member `self` is
// varint(kLangVersion) varint(count) varint(self) + body_prefix_free.
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
