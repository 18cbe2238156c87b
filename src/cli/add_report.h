// What `weft add` and `weft edit` print about what they staged.
#pragma once

#include <nlohmann/json.hpp>

#include "workspace/authoring.h"

namespace weft::cli {

void PrintAddReport(const workspace::AddReport& r);
// The same for --json: a write document (cli/json_out.h) with the names by what
// happened to them.
nlohmann::json AddReportJson(Store& store, const workspace::AddReport& r);

}  // namespace weft::cli
