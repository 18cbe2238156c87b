// The three kinds of item: on disk (item hashes, blobs), on the wire and in the
// language's canonical bodies. Here, below every layer that needs it, so the store,
// the fold and sync do not depend on the language.
#pragma once

#include <cstdint>

namespace weft {

enum class ItemKind : std::uint8_t { kFn = 1, kVal = 2, kType = 3 };

}  // namespace weft
