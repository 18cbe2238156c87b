// Authoring: parsed source to staged ops, with propagation.
//
// `AddSource` canonicalizes every definition against the current branch (its
// committed bindings plus what is already staged), stages AddItem + SetName for
// each new or changed binding, and propagates: every item bound on the branch that
// depends, directly or transitively, on a replaced item is re-hashed with the new
// reference and re-bound in the same staged batch. All of it is one transaction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace weft::cli {

struct AddReport {
  std::vector<std::string> added;      // names bound for the first time
  std::vector<std::string> updated;    // names re-bound to new content
  std::vector<std::string> unchanged;  // names already bound to identical content
  std::vector<std::string> repointed;  // dependents re-bound by propagation
};

Result<AddReport> AddSource(Store& store, std::string_view source, std::string_view file);

}  // namespace weft::cli
