// The "not bound" error of a name, with the nearest bound names of the branch
// as a suggestion (core/suggest.h): "Demo.Math.squar is not bound on branch
// main; did you mean `Demo.Math.square`?".
#pragma once

#include <string>

#include "core/error.h"
#include "store/store.h"

namespace weft::workspace {

Error NotBound(Store& store, const std::string& branch, const std::string& name);

}  // namespace weft::workspace
