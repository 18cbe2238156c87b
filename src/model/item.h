// Item: a function, value or type, identified by the hash of its canonical form.
//
// Canonical bytes (docs/formats.md) are produced by the language layer:
//   canonical := hashlist(refs) bytes(body)
// `refs` lists, sorted and unique, the item hashes the body refers to; the body
// addresses them by position. Keeping refs outside the body lets the fold derive
// the dependency graph without understanding the body.
//   item_hash := SHA-256( u8(item_format_version = 1) u8(kind) canonical )
// Display metadata (original binder names, source text) is stored beside the item
// and is never hashed, so re-authoring identical code yields an identical item.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/item_kind.h"
#include "model/ids.h"
#include "model/names.h"

namespace weft {

inline constexpr std::uint8_t kItemFormatVersion = 1;

const char* ItemKindName(ItemKind kind);
Result<ItemKind> ItemKindFromByte(std::uint8_t b);
Result<ItemKind> ParseItemKind(std::string_view text);
// Types live in the type namespace; functions and values in the term namespace.
Namespace NamespaceOf(ItemKind kind);

struct Item {
  ItemKind kind = ItemKind::kVal;
  std::vector<ItemHash> refs;  // sorted, unique
  Bytes body;
  Bytes display;  // never hashed

  // Builds an item with refs normalized.
  static Item Make(ItemKind kind, std::vector<ItemHash> refs, Bytes body, Bytes display);

  Bytes Canonical() const;
  ItemHash Hash() const;
};

// Hash of an item given its stored parts.
ItemHash HashItem(ItemKind kind, ByteView canonical);
// Reassembles an item from stored parts, checking the canonical encoding.
Result<Item> DecodeItem(ItemKind kind, ByteView canonical, ByteView display);
// Item hash from the parts the language layer produces (its ItemHasher).
Digest HashItemParts(ItemKind kind, const std::vector<Digest>& refs, ByteView body);

}  // namespace weft
