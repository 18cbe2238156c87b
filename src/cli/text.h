// Wording shared by several commands' output.
#pragma once

#include <string>
#include <vector>

namespace weft::cli {

// "a, b, c" (every name).
std::string Join(const std::vector<std::string>& names);
// "a, b, c, d, e, f and 4 more".
std::string Summarize(const std::vector<std::string>& names);
// The warning for staged edits whose names a sync changed since they were staged.
std::string StaleWarning(const std::vector<std::string>& locations);

}  // namespace weft::cli
