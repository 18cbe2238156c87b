// The progress line: on a terminal, what long work has reached (core/progress.h),
// redrawn in place ten times a second — phase, count, bytes, rate, time — and,
// when a phase took long enough to be worth remembering, a summary line left in
// its place. Commands with --json, output that is not a terminal, and --quiet get
// none of it (Context decides; see docs/design/cli.md).
#pragma once

#include <chrono>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "core/progress.h"

namespace weft::cli {

struct ProgressLineOptions {
  std::chrono::milliseconds interval{100};        // between redraws
  std::chrono::milliseconds summary_after{1000};  // a phase this long leaves a summary
  std::size_t width = 0;                          // columns; 0: the terminal's
};

// "re-folding the log  1,234/5,000 changes  8.7 MB  2,345/s  1.2 s", cut to `width`.
std::string ProgressFrame(const progress::Reading& r, std::chrono::steady_clock::time_point now,
                          std::size_t width);
// "re-folding the log: 5,000 changes, 8.7 MB in 2.1 s (2,380/s)".
std::string ProgressSummary(const progress::Reading& r, std::chrono::steady_clock::duration took);

class ProgressLine {
 public:
  ProgressLine(progress::Meter& meter, std::ostream& out, ProgressLineOptions options = {});
  // Stops: leaves the summary of the last phase, or erases the line.
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void Loop();
  // Draws one frame of `r`. REQUIRES: mu_ held.
  void Draw(const progress::Reading& r);
  // Ends the phase on screen: its summary when it ran long enough, else nothing.
  // REQUIRES: mu_ held.
  void EndPhase(const progress::Reading& r);

  progress::Meter& meter_;
  std::ostream& out_;
  ProgressLineOptions options_;
  std::mutex mu_;  // held while drawing
  bool stop_ = false;
  bool drawn_ = false;  // a frame is on screen
  std::thread thread_;
};

}  // namespace weft::cli
