// A digest of every projection table: SHA-256 over an ordered, typed dump of each
// table's rows. Two stores with equal digests have byte-identical projections; it
// is how tests prove that rebuild and fold order do not matter, and how `weft
// rebuild` reports what it produced.
#pragma once

#include <string>

#include "core/hash.h"
#include "store/sqlite.h"

namespace weft {

Result<Digest> ProjectionDigest(Db& db);

}  // namespace weft
