// The hub's PostgreSQL schema (docs/design/hub.md, "Data model") and its version.
//
// `hub_meta.schema` says which schema a database holds. `weft hub migrate` brings
// an empty or older database to kHubSchema in one transaction; a database newer
// than this weft is refused, and `hub serve` refuses any database that is not at
// kHubSchema, each with a sentence naming both numbers.
#pragma once

#include <cstdint>

#include "hub/pg.h"

namespace weft::hub {

inline constexpr std::int64_t kHubSchema = 1;

struct MigrateReport {
  std::int64_t from = 0;  // 0: the database was empty
  std::int64_t to = 0;
};
Result<MigrateReport> Migrate(PgConn& c);
// kFailedPrecondition unless the database is at kHubSchema.
Status CheckSchema(PgConn& c);

}  // namespace weft::hub
