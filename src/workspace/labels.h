// How a person sees who did what: instance names for actors.
#pragma once

#include <string>

#include "store/store.h"

namespace weft::workspace {

// Who authored as `actor`: our instance name for any of our own actors, another
// instance's name as learned while syncing with it, else "actor:<8 hex>".
std::string AuthorLabel(Store& store, const ActorId& actor);

}  // namespace weft::workspace
