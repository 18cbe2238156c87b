#include "cli/json_out.h"

#include "cli/context.h"
#include "core/overloaded.h"
#include "fold/conflict_queries.h"
#include "model/names.h"
#include "workspace/labels.h"

namespace weft::cli {

nlohmann::json WriteJson(Store& store, const EncodedChange* made, const std::vector<Op>& staged) {
  return {{"change", made != nullptr ? ChangeJson(store, made->hash, made->change) : nullptr},
          {"staged", OpsJson(staged)}};
}

std::shared_ptr<bool> AddWriteJsonFlag(CLI::App& command) {
  auto json = std::make_shared<bool>(false);
  command.add_flag("--json", *json,
                   "print what it committed or staged as one JSON document (docs/json.md)");
  return json;
}

}  // namespace weft::cli
