#include "core/hlc.h"

#include <gtest/gtest.h>

namespace weft {
namespace {

TEST(Hlc, PacksMillisAndCounter) {
  Hlc h = Hlc::From(1234, 7);
  EXPECT_EQ(h.millis(), 1234u);
  EXPECT_EQ(h.counter(), 7u);
  EXPECT_LT(Hlc::From(1234, 7), Hlc::From(1235, 0));
}

TEST(Hlc, StaysMonotonicWhenTheWallClockStandsStillOrStepsBack) {
  std::uint64_t wall = 1000;
  HlcClock clock(Hlc(), [&] { return wall; });
  Hlc prev = clock.Now();
  for (int i = 0; i < 100; ++i) {
    if (i == 50) wall = 10;  // clock stepped back
    Hlc next = clock.Now();
    EXPECT_LT(prev, next);
    prev = next;
  }
  EXPECT_EQ(prev.millis(), 1000u);
}

TEST(Hlc, CounterOverflowAdvancesTheMillis) {
  HlcClock clock(Hlc::From(500, 0xffff), [] { return std::uint64_t{10}; });
  Hlc next = clock.Now();
  EXPECT_EQ(next, Hlc::From(501, 0));
}

TEST(Hlc, ObservingARemoteStampMovesPastIt) {
  HlcClock clock(Hlc(), [] { return std::uint64_t{1000}; });
  Hlc remote = Hlc::From(9000, 3);
  clock.Observe(remote);
  EXPECT_GT(clock.Now(), remote);
  clock.Observe(Hlc::From(5, 0));  // an older stamp changes nothing
  EXPECT_GT(clock.Now(), remote);
}

TEST(Hlc, FollowsTheWallClockWhenItIsAhead) {
  std::uint64_t wall = 1000;
  HlcClock clock(Hlc(), [&] { return wall; });
  clock.Now();
  wall = 2000;
  EXPECT_EQ(clock.Now(), Hlc::From(2000, 0));
  EXPECT_EQ(Hlc::From(0, 0).ToIso(), "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace weft
