#include "store/blob_store.h"

#include <cctype>

namespace weft {

Status PutBlob(Db& db, const Item& item) {
  return PutBlobBytes(db, item.Hash(), item.kind, item.Canonical(), item.display);
}

Status PutBlobBytes(Db& db, const ItemHash& hash, ItemKind kind, ByteView canonical,
                    ByteView display) {
  WEFT_ASSIGN_OR_RETURN(
      Query q,
      db.Prepare("INSERT OR IGNORE INTO blobs(hash, kind, canonical, display) VALUES(?, ?, ?, ?)"));
  return q.Bind(hash.bytes(), static_cast<std::uint8_t>(kind), canonical, display).Run();
}

Result<bool> HasBlob(Db& db, const ItemHash& hash) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT 1 FROM blobs WHERE hash = ?"));
  q.Bind(hash.bytes());
  return q.Step();
}

Result<std::size_t> BlobWireSize(Db& db, const ItemHash& hash) {
  WEFT_ASSIGN_OR_RETURN(
      Query q, db.Prepare("SELECT length(canonical) + length(display) FROM blobs WHERE hash = ?"));
  q.Bind(hash.bytes());
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? static_cast<std::size_t>(q.Int(0)) : 0;
}

Result<std::optional<Item>> LoadItem(Db& db, const ItemHash& hash) {
  WEFT_ASSIGN_OR_RETURN(auto blob, LoadStoredBlob(db, hash));
  if (!blob) return std::optional<Item>();
  if (HashItem(blob->kind, blob->canonical) != hash) {
    return Fail(ErrorCode::kCorruption, "stored item {} is damaged", hash.Short());
  }
  auto item = DecodeItem(blob->kind, blob->canonical, blob->display);
  if (!item) return Fail(ErrorCode::kCorruption, "stored item {} is damaged", hash.Short());
  return std::optional<Item>(std::move(*item));
}

Result<std::optional<StoredBlob>> LoadStoredBlob(Db& db, const ItemHash& hash) {
  WEFT_ASSIGN_OR_RETURN(Query q,
                        db.Prepare("SELECT kind, canonical, display FROM blobs WHERE hash = ?"));
  q.Bind(hash.bytes());
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<StoredBlob>();
  auto kind = ItemKindFromByte(static_cast<std::uint8_t>(q.Int(0)));
  if (!kind) return Fail(ErrorCode::kCorruption, "stored item {} is damaged", hash.Short());
  ByteView canonical = q.Blob(1);
  ByteView display = q.Blob(2);
  return std::optional<StoredBlob>(StoredBlob{*kind, Bytes(canonical.begin(), canonical.end()),
                                              Bytes(display.begin(), display.end())});
}

Result<std::vector<ItemHash>> FindItemsByPrefix(Db& db, std::string_view prefix, int limit) {
  WEFT_ASSIGN_OR_RETURN(Query q,
                        db.Prepare("SELECT hash FROM blobs WHERE hex(hash) LIKE ? LIMIT ?"));
  q.Bind(HexPrefixPattern(prefix), limit);
  return CollectHashes<ItemHash>(q);
}

}  // namespace weft
