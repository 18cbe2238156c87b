#include "convergence.h"

#include <gtest/gtest.h>

#include <cstdlib>

#ifndef WEFT_CONVERGENCE_SEEDS
#define WEFT_CONVERGENCE_SEEDS 200
#endif

namespace weft::scenarios {
namespace {

TEST(Convergence, RandomEditsAndFaultyDeliveryConverge) {
  // WEFT_SEED replays one seed; otherwise seeds 1..N run in order.
  std::uint32_t first = 1, last = WEFT_CONVERGENCE_SEEDS;
  if (const char* one = std::getenv("WEFT_SEED"))
    first = last = static_cast<std::uint32_t>(std::strtoul(one, nullptr, 10));
  std::printf("convergence seeds %u..%u\n", first, last);
  ConvergenceStats stats;
  for (std::uint32_t seed = first; seed <= last; ++seed) {
    std::string failure = RunConvergenceSeed(seed, &stats);
    ASSERT_EQ(failure, "") << "seed " << seed << " (replay with WEFT_SEED=" << seed << ")";
  }
  std::printf(
      "conflict records %d (open %d, tied to a cause %d), resolutions %d, merges %d, restores %d "
      "(re-issued %d), staged edits overtaken %d, re-pointed binds %d\n",
      stats.conflicts, stats.open, stats.tied, stats.resolutions, stats.merges, stats.restores,
      stats.reissues, stats.overtaken, stats.repointed);
  std::printf("rounds: clean session at most %zu, re-sync with nothing to move at most %zu\n",
              stats.max_clean_rounds, stats.max_resync_rounds);
  if (first != last) {
    // The property says something about each kind of event only if it happened.
    EXPECT_GT(stats.conflicts, 0);
    EXPECT_GT(stats.open, 0);
    EXPECT_GT(stats.resolutions, 0);
    EXPECT_GT(stats.merges, 0);
    EXPECT_GT(stats.restores, 0);
    EXPECT_GT(stats.reissues, 0);
    EXPECT_GT(stats.overtaken, 0);
    EXPECT_GT(stats.repointed, 0);
    EXPECT_GT(stats.tied, 0);
  }
}

}  // namespace
}  // namespace weft::scenarios

namespace weft::scenarios {
namespace {

// Seeds that once failed, kept as named regressions.
TEST(ConvergenceRegressions, Seed2018ConcurrentForksOfOneBranchWidenItsChildren) {
  EXPECT_EQ(RunConvergenceSeed(2018), "");
}

// A merge of b1 into main was settled before a concurrent fork of b1 widened b1's
// history; the merge's record must be re-derived when the merged branch grows.
TEST(ConvergenceRegressions, Seed4647AMergedBranchWidenedAfterTheMerge) {
  EXPECT_EQ(RunConvergenceSeed(4647), "");
}

}  // namespace
}  // namespace weft::scenarios
