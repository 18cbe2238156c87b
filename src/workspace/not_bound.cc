#include "workspace/not_bound.h"

#include "core/suggest.h"
#include "fold/queries.h"

namespace weft::workspace {

Error NotBound(Store& store, const std::string& branch, const std::string& name) {
  std::string hint;
  // Candidates share the name's owner (its first part): a typo further in is the
  // usual case, and the list stays small in a large store.
  const std::string owner = name.substr(0, name.find('.') + 1);
  if (auto bindings = ListBindings(store.db(), branch, owner)) {
    std::vector<std::string> names;
    names.reserve(bindings->size());
    for (const Binding& b : *bindings) {
      if (names.empty() || names.back() != b.location) names.push_back(b.location);
    }
    hint = DidYouMean(Nearest(name, names));
  }
  return Error(ErrorCode::kNotFound,
               fmt::format("{} is not bound on branch {}{}", name, branch, hint));
}

}  // namespace weft::workspace
