// Authoring: parsed source to staged ops, with propagation.
//
// `AddSource` canonicalizes every definition against the current branch (its
// committed bindings plus what is already staged), stages AddItem + SetName for
// each new or changed binding, and propagates: every item bound on the branch that
// depends, directly or transitively, on a replaced item, committed or staged, is
// canonicalized together with the source (a recursive group across both is hashed
// as a group) and re-bound with a Repoint op naming its cause. A dependent follows
// a name only if it was written against that name (docs/language.md). All of it,
// reads included, is one transaction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/op.h"
#include "store/store.h"

namespace weft::workspace {

struct AddReport {
  std::vector<std::string> added;      // names bound for the first time
  std::vector<std::string> updated;    // names re-bound to new content
  std::vector<std::string> unchanged;  // names already bound to identical content
  std::vector<std::string> repointed;  // dependents re-bound by propagation
  // Dependents left on the old version: one item bound under several names that
  // refers to an item another name still holds, so which name follows is unknown.
  std::vector<std::string> left;
  std::vector<Op> staged;  // the ops this add staged
};

Result<AddReport> AddSource(Store& store, std::string_view source, std::string_view file);

}  // namespace weft::workspace
