// Synthetic changes for benchmarks and slow tests: each binds Bench.Data.v<i> to
// a string of about 200 bytes, authored through the Ledger as a person's commits
// would be (one change each).
#pragma once

#include <cstdint>
#include <string>

#include "store/store.h"

namespace weft::tools {

// Authors `count` changes on `store` for names first..first+count-1; `salt`
// makes the values differ from another run's.
Status FillStore(Store& store, std::uint64_t first, std::uint64_t count, const std::string& salt);

}  // namespace weft::tools
