#include "store/quarantine.h"

#include "store/blob_store.h"
#include "store/change_log.h"

namespace weft {

Status QuarantineChange(Db& db, const ChangeHash& hash, ByteView bytes, const std::string& reason,
                        std::int64_t at_ms) {
  WEFT_ASSIGN_OR_RETURN(
      Query q,
      db.Prepare("INSERT OR REPLACE INTO quarantine(kind, hash, bytes, extra, reason, at_ms) "
                 "VALUES ('change', ?, ?, x'', ?, ?)"));
  q.Bind(ByteView(hash.digest()), bytes, reason, at_ms);
  return q.Run();
}

Status QuarantineBlob(Db& db, const ItemHash& hash, std::int64_t kind, ByteView canonical,
                      ByteView display, const std::string& reason, std::int64_t at_ms) {
  // The kind leads the extra column, then the display bytes.
  Bytes extra{static_cast<std::uint8_t>(kind & 0xff)};
  extra.insert(extra.end(), display.begin(), display.end());
  WEFT_ASSIGN_OR_RETURN(
      Query q,
      db.Prepare("INSERT OR REPLACE INTO quarantine(kind, hash, bytes, extra, reason, at_ms) "
                 "VALUES ('blob', ?, ?, ?, ?, ?)"));
  q.Bind(ByteView(hash.digest()), canonical, extra, reason, at_ms);
  return q.Run();
}

Result<std::vector<QuarantinedRow>> ListQuarantine(Db& db) {
  WEFT_ASSIGN_OR_RETURN(
      Query q, db.Prepare("SELECT kind, hash, reason, at_ms FROM quarantine ORDER BY at_ms, hash"));
  std::vector<QuarantinedRow> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    QuarantinedRow r;
    r.kind = q.Text(0) == "blob" ? QuarantineKind::kBlob : QuarantineKind::kChange;
    ByteView h = q.Blob(1);
    if (h.size() == kHashSize) std::copy(h.begin(), h.end(), r.hash.begin());
    r.reason = q.Text(2);
    r.at_ms = q.Int(3);
    out.push_back(std::move(r));
  }
  for (auto& r : out) {
    if (r.kind == QuarantineKind::kBlob) {
      WEFT_ASSIGN_OR_RETURN(r.recovered, HasBlob(db, ItemHash(r.hash)));
    } else {
      WEFT_ASSIGN_OR_RETURN(r.recovered, HasChange(db, ChangeHash(r.hash)));
    }
  }
  return out;
}

}  // namespace weft
