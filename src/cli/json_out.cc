#include "cli/json_out.h"

namespace weft::cli {

std::shared_ptr<bool> AddWriteJsonFlag(CLI::App& command) {
  auto json = std::make_shared<bool>(false);
  command.add_flag("--json", *json,
                   "print what it committed or staged as one JSON document (docs/json.md)");
  return json;
}

}  // namespace weft::cli
