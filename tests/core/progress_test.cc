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

TEST(Progress, EachPhaseBeginsAndEndsOnceAndTheListenersHearIt) {
  Meter meter;
  std::vector<Reading> begun, ended;
  meter.OnBegin([&](const Reading& r) { begun.push_back(r); });
  meter.OnEnd([&](const Reading& r) { ended.push_back(r); });
  Watch watch(&meter);
  {
    Scope outer("upgrading", 2, "steps");
    Advance(2);
    Scope inner("re-folding the log", 0, "changes");  // ends "upgrading"
    Advance(9, 90);
    SetTotal(9);
  }
  ASSERT_EQ(begun.size(), 2u);
  EXPECT_EQ(begun[0].phase, "upgrading");
  EXPECT_EQ(begun[0].total, 2u);
  EXPECT_TRUE(begun[0].active);
  EXPECT_EQ(begun[1].phase, "re-folding the log");
  EXPECT_EQ(begun[1].done, 0u);
  EXPECT_EQ(begun[1].serial, 2u);
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
