// The JSON pieces every command shares (docs/json.md). The documents themselves
// are the domain's (workspace/documents.h), which the dashboard answers too.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>

#include "workspace/documents.h"

namespace weft::cli {

using workspace::ChangeJson;
using workspace::OpJson;
using workspace::OpsJson;
using workspace::WriteJson;

// Adds a write command's --json flag.
std::shared_ptr<bool> AddWriteJsonFlag(CLI::App& command);

}  // namespace weft::cli
