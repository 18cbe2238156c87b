#include "workspace/history.h"

#include "fold/ledger.h"
#include "fold/queries.h"
#include "model/names.h"
#include "store/wip.h"
#include "workspace/labels.h"
#include "workspace/not_bound.h"

namespace weft::workspace {

Result<std::vector<LogLine>> RecentLog(Store& store, int limit, const LogFilter& filter) {
  WEFT_ASSIGN_OR_RETURN(auto entries, RecentChangesWhere(store.db(), limit, filter.branch,
                                                         filter.instance, store.instance_name()));
  std::vector<LogLine> out;
  for (auto& e : entries) {
    std::string author = AuthorLabel(store, e.change.actor);
    out.push_back(LogLine{e.hash, std::move(e.change), std::move(author)});
  }
  return out;
}

Result<NameLog> LogOfName(Store& store, const std::string& name) {
  WEFT_TRY(ValidateLocation(name));
  NameLog out;
  WEFT_ASSIGN_OR_RETURN(auto entries, ChangesOfName(store.db(), store.branch(), name));
  for (auto& e : entries) {
    std::string author = AuthorLabel(store, e.change.actor);
    out.changes.push_back(LogLine{e.hash, std::move(e.change), std::move(author)});
  }
  WEFT_ASSIGN_OR_RETURN(auto races, ListConflicts(store.db(), store.branch()));
  for (auto& r : races) {
    if (r.location == name) out.races.push_back(std::move(r));
  }
  if (out.changes.empty() && out.races.empty())
    return std::unexpected(NotBound(store, store.branch(), name));
  return out;
}

Result<EncodedChange> CommitStaged(Store& store, const std::string& message) {
  return Ledger(store).Commit(message);
}

Result<std::int64_t> DiscardStaged(Store& store) {
  return weft::DiscardStaged(store.db(), store.branch());
}

}  // namespace weft::workspace
