#include "cli/staging.h"

#include "fold/staging.h"
#include "store/wip.h"

namespace weft::cli {

Status StageAll(Store& store, const std::vector<Op>& ops, const std::vector<Item>& blobs) {
  return StageEdits(store, [&]() -> Result<Staging> { return Staging{ops, blobs}; });
}

std::string StaleWarning(const std::vector<std::string>& locations) {
  std::string names;
  for (std::size_t i = 0; i < locations.size() && i < 6; ++i)
    names += (i ? ", " : "") + locations[i];
  if (locations.size() > 6) names += fmt::format(" and {} more", locations.size() - 6);
  return fmt::format(
      "warning: your staged edit{} of {} {} made before a newer change to {} arrived; `weft "
      "commit` records {} as a race to review (`weft conflicts`)",
      locations.size() == 1 ? "" : "s", names, locations.size() == 1 ? "was" : "were",
      locations.size() == 1 ? "that name" : "those names", locations.size() == 1 ? "it" : "each");
}

Status RefuseStaged(Store& store, std::string_view doing) {
  WEFT_ASSIGN_OR_RETURN(std::int64_t staged, CountStaged(store.db(), store.branch()));
  if (staged == 0) return {};
  return Fail(ErrorCode::kFailedPrecondition,
              "commit or discard the {} staged op{} on {} before {}", staged,
              staged == 1 ? "" : "s", store.branch(), doing);
}

}  // namespace weft::cli
