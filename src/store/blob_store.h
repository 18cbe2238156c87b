// Item blobs: content-addressed canonical bytes plus never-hashed display metadata.
//
// A blob is written once and never changes; writing a blob that is present is a
// no-op. Reads re-verify the item hash, so a damaged blob is reported, not served.
#pragma once

#include <optional>

#include "model/item.h"
#include "store/sqlite.h"

namespace weft {

Status PutBlob(Db& db, const Item& item);
// A blob whose hash and encoding the caller verified: stored as given.
Status PutBlobBytes(Db& db, const ItemHash& hash, ItemKind kind, ByteView canonical,
                    ByteView display);
Result<bool> HasBlob(Db& db, const ItemHash& hash);
// Bytes the blob takes on the wire (canonical + display); 0 when absent.
Result<std::size_t> BlobWireSize(Db& db, const ItemHash& hash);
Result<std::optional<Item>> LoadItem(Db& db, const ItemHash& hash);
// A blob's row as stored, neither re-hashed nor decoded: for sending it on, since
// the receiver verifies everything it is given (and `weft fsck` checks the store).
struct StoredBlob {
  ItemKind kind = ItemKind::kVal;
  Bytes canonical;
  Bytes display;
};
Result<std::optional<StoredBlob>> LoadStoredBlob(Db& db, const ItemHash& hash);
// Every item whose hex hash starts with `prefix` (at most `limit`).
Result<std::vector<ItemHash>> FindItemsByPrefix(Db& db, std::string_view prefix, int limit);

}  // namespace weft
