// The seeded convergence property: random edits on 3-5 instances, random pairwise
// sessions with lost, duplicated, stale and interrupted messages, then a clean
// all-pairs sync. Every instance must end with the same changes and byte-identical
// projections, and a further sync must move nothing.
#pragma once

#include <cstdint>
#include <string>

namespace weft::scenarios {

// Runs one seed; returns an empty string on success, else what went wrong.
std::string RunConvergenceSeed(std::uint32_t seed);

}  // namespace weft::scenarios
