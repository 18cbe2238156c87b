// What `weft add` and `weft edit` print about what they staged.
#pragma once

#include "workspace/authoring.h"

namespace weft::cli {

void PrintAddReport(const workspace::AddReport& r);

}  // namespace weft::cli
