#include "workspace/not_bound.h"

#include "core/suggest.h"
#include "fold/queries.h"

namespace weft::workspace {

std::vector<std::string> BoundNamesLike(Db& db, const std::string& branch,
                                        const std::string& name) {
  // Candidates share the name's owner (its first part): a typo further in is the
  // usual case, and the list stays small in a large store.
  const std::string owner = name.substr(0, name.find('.') + 1);
  std::vector<std::string> names;
  if (auto bindings = ListBindings(db, branch, owner)) {
    names.reserve(bindings->size());
    for (const Binding& b : *bindings) {
      if (names.empty() || names.back() != b.location) names.push_back(b.location);
    }
  }
  return names;
}

Error NotBound(Store& store, const std::string& branch, const std::string& name) {
  const std::string hint = DidYouMean(Nearest(name, BoundNamesLike(store.db(), branch, name)));
  return Error(ErrorCode::kNotFound,
               fmt::format("{} is not bound on branch {}{}", name, branch, hint));
}

}  // namespace weft::workspace
