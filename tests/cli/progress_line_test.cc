#include "cli/progress_line.h"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>

namespace weft::cli {
namespace {

using namespace std::chrono_literals;

progress::Reading Sample() {
  progress::Reading r;
  r.phase = "re-folding the log";
  r.unit = "changes";
  r.done = 1234;
  r.total = 5000;
  r.bytes = 8'700'000;
  r.serial = 1;
  r.active = true;
  r.started = std::chrono::steady_clock::now() - 2s;
  return r;
}

int Count(const std::string& s, const std::string& what) {
  int n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST(ProgressLine, AFrameHasPhaseCountsBytesRateAndTime) {
  const progress::Reading r = Sample();
  const std::string frame = ProgressFrame(r, r.started + 2s, 200);
  EXPECT_EQ(frame, "re-folding the log  1,234/5,000 changes  8.7 MB  617/s  2.0 s");
  // Cut to the width (one column short of it, which would wrap).
  EXPECT_EQ(ProgressFrame(r, r.started + 2s, 19), "re-folding the log");
  progress::Reading unknown = r;
  unknown.total = 0;
  unknown.bytes = 0;
  EXPECT_EQ(ProgressFrame(unknown, r.started + 2s, 200),
            "re-folding the log  1,234 changes  617/s  2.0 s");
  EXPECT_EQ(ProgressSummary(r, 2s), "re-folding the log: 1,234 changes, 8.7 MB in 2.0 s (617/s)");
}

TEST(ProgressLine, RedrawsAtLeastFiveTimesASecondAndLeavesASummary) {
  progress::Meter meter;
  std::ostringstream out;
  {
    ProgressLine line(meter, out, {.interval = 100ms, .summary_after = 0ms, .width = 100});
    progress::Watch watch(&meter);
    progress::Scope phase("syncing with desktop", 0, "changes");
    for (int i = 0; i < 12; ++i) {  // 1.2 s of work
      progress::Advance(10, 1000);
      std::this_thread::sleep_for(100ms);
    }
  }
  const std::string text = out.str();
  EXPECT_GE(Count(text, "\r\033[Ksyncing with desktop  "), 5) << text;
  EXPECT_NE(text.find("\r\033[Ksyncing with desktop: 120 changes, 12.0 kB in 1."),
            std::string::npos)
      << text;
  EXPECT_TRUE(text.ends_with("/s)\n")) << text;
}

TEST(ProgressLine, AShortPhaseIsErasedWithoutASummary) {
  progress::Meter meter;
  std::ostringstream out;
  {
    ProgressLine line(meter, out, {.interval = 100ms, .summary_after = 10s, .width = 100});
    progress::Watch watch(&meter);
    progress::Scope phase("adding definitions", 1, "definitions");
    progress::Advance();
    std::this_thread::sleep_for(150ms);  // one frame at least
  }
  const std::string text = out.str();
  EXPECT_NE(text.find("adding definitions  1/1 definitions"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("\r\033[K")) << text;
  EXPECT_EQ(text.find('\n'), std::string::npos) << text;
}

// Regression: a phase that began and ended before the drawing thread woke was never
// drawn (CI saw fsck's "checking changes" missing from its terminal).
TEST(ProgressLine, EveryPhaseIsDrawnAsItBeginsHoweverShort) {
  progress::Meter meter;
  std::ostringstream out;
  {
    ProgressLine line(meter, out, {.interval = 1h, .summary_after = 10s, .width = 100});
    progress::Watch watch(&meter);
    for (const char* name : {"checking the database file", "checking changes", "checking blobs"}) {
      progress::Scope phase(name, 1, "checks");
    }
  }
  const std::string text = out.str();
  EXPECT_NE(text.find("\r\033[Kchecking the database file  0/1 checks"), std::string::npos) << text;
  EXPECT_NE(text.find("\r\033[Kchecking changes  0/1 checks"), std::string::npos) << text;
  EXPECT_NE(text.find("\r\033[Kchecking blobs  0/1 checks"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("\r\033[K")) << text;
}

}  // namespace
}  // namespace weft::cli
