// The Release: one number that gates both the wire and the store. A peer or a
// store of another Release is refused with a sentence naming both; an older store
// is migrated forward (store/schema.h).
#pragma once

#include <cstdint>

namespace weft {

inline constexpr std::int64_t kRelease = 2;

}  // namespace weft
