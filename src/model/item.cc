#include "model/item.h"

#include <algorithm>

#include "core/codec.h"
#include "model/names.h"

namespace weft {

const char* ItemKindName(ItemKind kind) {
  switch (kind) {
    case ItemKind::kFn:
      return "fn";
    case ItemKind::kVal:
      return "val";
    case ItemKind::kType:
      return "type";
  }
  return "?";
}

Result<ItemKind> ItemKindFromByte(std::uint8_t b) {
  if (b >= 1 && b <= 3) return static_cast<ItemKind>(b);
  return Fail(ErrorCode::kCorruption, "unknown item kind {}", b);
}

Result<ItemKind> ParseItemKind(std::string_view text) {
  if (text == "fn") return ItemKind::kFn;
  if (text == "val") return ItemKind::kVal;
  if (text == "type") return ItemKind::kType;
  return Fail(ErrorCode::kInvalidArgument, "item kind must be fn, val or type, not '{}'", text);
}

Namespace NamespaceOf(ItemKind kind) {
  return kind == ItemKind::kType ? Namespace::kType : Namespace::kTerm;
}

Item Item::Make(ItemKind kind, std::vector<ItemHash> refs, Bytes body, Bytes display) {
  std::sort(refs.begin(), refs.end());
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
  return Item{kind, std::move(refs), std::move(body), std::move(display)};
}

Bytes Item::Canonical() const {
  Writer w;
  w.PutVarint(refs.size());
  for (const ItemHash& h : refs) w.PutDigest(h.digest());
  w.PutBytes(body);
  return w.Take();
}

ItemHash HashItem(ItemKind kind, ByteView canonical) {
  Sha256 h;
  const std::uint8_t prefix[2] = {kItemFormatVersion, static_cast<std::uint8_t>(kind)};
  h.Update(ByteView(prefix, 2));
  h.Update(canonical);
  return ItemHash(h.Finish());
}

ItemHash Item::Hash() const { return HashItem(kind, Canonical()); }

Result<Item> DecodeItem(ItemKind kind, ByteView canonical, ByteView display) {
  Reader r(canonical);
  WEFT_ASSIGN_OR_RETURN(std::vector<Digest> refs, r.GetDigestList());
  WEFT_ASSIGN_OR_RETURN(ByteView body, r.GetBytes());
  WEFT_TRY(r.ExpectEnd("item"));
  Item item;
  item.kind = kind;
  for (const Digest& d : refs) item.refs.emplace_back(d);
  item.body.assign(body.begin(), body.end());
  item.display.assign(display.begin(), display.end());
  return item;
}

}  // namespace weft

namespace weft {

Digest HashItemParts(ItemKind kind, const std::vector<Digest>& refs, ByteView body) {
  Writer w;
  w.PutDigestList(refs);
  w.PutBytes(body);
  return HashItem(kind, w.bytes()).digest();
}

}  // namespace weft
