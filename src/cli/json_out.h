// The JSON pieces every command shares (docs/json.md): an op, a change, and the
// document a write command prints. Hashes are full hex strings, times RFC 3339
// UTC beside the raw HLC as an integer.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/change.h"
#include "model/op.h"
#include "store/store.h"
#include "workspace/documents.h"

namespace weft::cli {

using workspace::ChangeJson;
using workspace::OpJson;
using workspace::OpsJson;
// What a write command prints: {"change": the change it committed or null,
// "staged": the ops it staged}; the command adds its own fields.
nlohmann::json WriteJson(Store& store, const EncodedChange* made,
                         const std::vector<Op>& staged = {});

// Adds a write command's --json flag.
std::shared_ptr<bool> AddWriteJsonFlag(CLI::App& command);

}  // namespace weft::cli
