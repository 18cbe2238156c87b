#include "fold/digest.h"

#include <sqlite3.h>

#include "core/codec.h"
#include "store/schema.h"

namespace weft {

Result<Digest> ProjectionDigest(Db& db) {
  Sha256 h;
  std::size_t count = 0;
  const ProjectionTable* tables = ProjectionTables(&count);
  for (std::size_t t = 0; t < count; ++t) {
    Writer w;
    w.PutString(tables[t].name);
    h.Update(w.bytes());
    // Built from constants only: the table list is ours, not input.
    std::string sql =
        fmt::format("SELECT * FROM {} ORDER BY {}", tables[t].name, tables[t].order_by);
    WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare(sql.c_str()));
    while (true) {
      WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      Writer rw;
      rw.PutU8('R');
      for (int c = 0; c < q.ColumnCount(); ++c) {
        int type = q.ColumnType(c);
        rw.PutU8(static_cast<std::uint8_t>(type));
        if (type == SQLITE_INTEGER) {
          rw.PutVarint(static_cast<std::uint64_t>(q.Int(c)));
        } else if (type != SQLITE_NULL) {
          rw.PutBytes(q.Blob(c));
        }
      }
      h.Update(rw.bytes());
    }
  }
  return h.Finish();
}

}  // namespace weft
