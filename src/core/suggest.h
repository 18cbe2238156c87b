// "Did you mean …": the candidates nearest to what a person typed, by edit
// distance (insert, delete, substitute, and swapping two neighbours: `comit`,
// `stauts`), for unknown commands, options and names.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace weft {

// The optimal-string-alignment distance between `a` and `b`, or `limit + 1` as
// soon as it is known to pass `limit`.
std::size_t EditDistance(std::string_view a, std::string_view b, std::size_t limit);

// Up to `max` candidates close enough to `typed` to be what was meant (a distance
// of at most a third of its length, at least 1, at most 3, and less than its
// length; or `typed` a prefix of the candidate), nearest first, ties in the
// candidates' order.
std::vector<std::string> Nearest(std::string_view typed, const std::vector<std::string>& candidates,
                                 std::size_t max = 3);

// ", did you mean `a`, `b` or `c`?" for `Nearest`'s answer; empty for none.
std::string DidYouMean(const std::vector<std::string>& nearest);

}  // namespace weft
