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
  for (std::uint32_t seed = first; seed <= last; ++seed) {
    std::string failure = RunConvergenceSeed(seed);
    ASSERT_EQ(failure, "") << "seed " << seed << " (replay with WEFT_SEED=" << seed << ")";
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

}  // namespace
}  // namespace weft::scenarios
