// A line diff for sources (`weft diff`): the longest common subsequence of the
// lines, printed as "  kept", "- removed", "+ added". Sources are small; past
// 4,000,000 line pairs the diff is every old line removed and every new added.
#pragma once

#include <string>
#include <vector>

namespace weft::workspace {

std::vector<std::string> LineDiff(const std::string& before, const std::string& after);

}  // namespace weft::workspace
