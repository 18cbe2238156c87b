#include "daemon/backoff.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace weft::daemon {
namespace {

using namespace std::chrono_literals;

TEST(Backoff, DoublesFromTheFloorToTheCeilingWithJitter) {
  const unsigned seed = weft::testing::TestSeed();
  Backoff b(2000ms, 60000ms, seed);
  std::int64_t step = 2000;
  for (int i = 0; i < 12; ++i) {
    const auto wait = b.Next().count();
    EXPECT_GE(wait, std::max<std::int64_t>(2000, step * 8 / 10)) << "attempt " << i;
    EXPECT_LE(wait, std::min<std::int64_t>(60000, step * 12 / 10)) << "attempt " << i;
    step = std::min<std::int64_t>(step * 2, 60000);
  }
  EXPECT_EQ(b.step(), 60000ms);
}

TEST(Backoff, ResetGoesBackToTheFloor) {
  Backoff b(2000ms, 60000ms, weft::testing::TestSeed());
  for (int i = 0; i < 6; ++i) (void)b.Next();
  EXPECT_GT(b.step(), 2000ms);
  b.Reset();
  EXPECT_EQ(b.step(), 2000ms);
  EXPECT_LE(b.Next(), 2400ms);
}

TEST(Backoff, JitterSpreadsPeersApart) {
  // Two loops started together do not wake in lockstep.
  Backoff a(2000ms, 60000ms, 1);
  Backoff c(2000ms, 60000ms, 2);
  int differ = 0;
  for (int i = 0; i < 8; ++i) differ += a.Next() != c.Next() ? 1 : 0;
  EXPECT_GE(differ, 6);
}

}  // namespace
}  // namespace weft::daemon
