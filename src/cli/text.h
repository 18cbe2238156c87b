// Wording shared by several commands' output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace weft::cli {

// "a, b, c" (every name).
std::string Join(const std::vector<std::string>& names);
// "a, b, c, d, e, f and 4 more".
std::string Summarize(const std::vector<std::string>& names);
// Every name up to 12; past that "5,000 definitions: Demo.A … Demo.Z; `weft diff`
// lists them" (the first and last in order), so a large add prints one short line.
std::string NameList(const std::vector<std::string>& names);
// A moment for a person: local time, "2026-12-03 14:05:09 +0100" (JSON keeps UTC).
std::string LocalTime(std::uint64_t unix_ms);
// The warning for staged edits whose names a sync changed since they were staged.
std::string StaleWarning(const std::vector<std::string>& locations);

}  // namespace weft::cli
