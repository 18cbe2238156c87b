#include "workspace/history.h"

#include "fold/ledger.h"
#include "fold/queries.h"
#include "store/wip.h"
#include "workspace/labels.h"

namespace weft::workspace {

Result<std::vector<LogLine>> RecentLog(Store& store, int limit) {
  WEFT_ASSIGN_OR_RETURN(auto entries, RecentChanges(store.db(), limit));
  std::vector<LogLine> out;
  for (auto& e : entries) {
    std::string author = AuthorLabel(store, e.change.actor);
    out.push_back(LogLine{e.hash, std::move(e.change), std::move(author)});
  }
  return out;
}

Result<EncodedChange> CommitStaged(Store& store, const std::string& message) {
  return Ledger(store).Commit(message);
}

Result<std::int64_t> DiscardStaged(Store& store) {
  return weft::DiscardStaged(store.db(), store.branch());
}

}  // namespace weft::workspace
