// The "not bound" error of a name, with the nearest bound names of the branch
// as a suggestion (core/suggest.h): "Demo.Math.squar is not bound on branch
// main; did you mean `Demo.Math.square`?".
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "store/store.h"

namespace weft::workspace {

Error NotBound(Store& store, const std::string& branch, const std::string& name);
// The names bound on `branch` with the same owner (first part) as `name`: the
// candidates a typo is compared with. Empty when they cannot be read.
std::vector<std::string> BoundNamesLike(Db& db, const std::string& branch, const std::string& name);

}  // namespace weft::workspace
