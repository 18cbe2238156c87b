#include "core/progress.h"

#include <gtest/gtest.h>

#include <vector>

namespace weft::progress {
namespace {

TEST(Progress, ReportsOnlyToTheWatchedMeter) {
  Advance(5);  // nothing watched: no effect, no crash
  Meter meter;
  {
    Watch watch(&meter);
    Scope phase("re-folding the log", 10, "changes");
    Advance(3, 300);
    Advance();
    Reading r = meter.Read();
    EXPECT_TRUE(r.active);
    EXPECT_EQ(r.phase, "re-folding the log");
    EXPECT_EQ(r.unit, "changes");
    EXPECT_EQ(r.done, 4u);
    EXPECT_EQ(r.total, 10u);
    EXPECT_EQ(r.bytes, 300u);
    EXPECT_EQ(r.serial, 1u);
  }
  EXPECT_FALSE(meter.Read().active);
  Advance(7);  // the watch ended
  EXPECT_EQ(meter.Read().done, 4u);
}

TEST(Progress, EachPhaseEndsOnceAndTheListenerHearsWhatItReached) {
  Meter meter;
  std::vector<Reading> ended;
  meter.OnEnd([&](const Reading& r) { ended.push_back(r); });
  Watch watch(&meter);
  {
    Scope outer("upgrading", 2, "steps");
    Advance(2);
    Scope inner("re-folding the log", 0, "changes");  // ends "upgrading"
    Advance(9, 90);
    SetTotal(9);
  }
  ASSERT_EQ(ended.size(), 2u);
  EXPECT_EQ(ended[0].phase, "upgrading");
  EXPECT_EQ(ended[0].done, 2u);
  EXPECT_EQ(ended[1].phase, "re-folding the log");
  EXPECT_EQ(ended[1].done, 9u);
  EXPECT_EQ(ended[1].total, 9u);
  EXPECT_EQ(ended[1].bytes, 90u);
  EXPECT_EQ(meter.Read().serial, 2u);
}

}  // namespace
}  // namespace weft::progress
