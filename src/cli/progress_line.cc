#include "cli/progress_line.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace weft::cli {

namespace {

using Clock = std::chrono::steady_clock;

std::string Bytes(std::uint64_t n) {
  if (n < 1000) return fmt::format("{} B", n);
  if (n < 1000 * 1000) return fmt::format("{:.1f} kB", static_cast<double>(n) / 1e3);
  if (n < 1000ull * 1000 * 1000) return fmt::format("{:.1f} MB", static_cast<double>(n) / 1e6);
  return fmt::format("{:.2f} GB", static_cast<double>(n) / 1e9);
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string Rate(std::uint64_t done, double seconds) {
  if (seconds < 0.05 || done == 0) return "";
  return fmt::format(
      "{}/s", fmt::group_digits(static_cast<std::uint64_t>(static_cast<double>(done) / seconds)));
}

std::size_t TerminalWidth() {
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10) return ws.ws_col;
  return 80;
}

// Cuts `s` to `width` display columns, counting each UTF-8 character once.
std::string Cut(const std::string& s, std::size_t width) {
  std::size_t cols = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (++cols > width) return s.substr(0, i);
  }
  return s;
}

}  // namespace

std::string ProgressFrame(const progress::Reading& r, Clock::time_point now, std::size_t width) {
  const double secs = Seconds(now - r.started);
  std::string out = r.phase + "  ";
  out += r.total > 0 ? fmt::format("{}/{}", fmt::group_digits(r.done), fmt::group_digits(r.total))
                     : fmt::format("{}", fmt::group_digits(r.done));
  out += " " + r.unit;
  if (r.bytes > 0) out += "  " + Bytes(r.bytes);
  if (std::string rate = Rate(r.done, secs); !rate.empty()) out += "  " + rate;
  out += fmt::format("  {:.1f} s", secs);
  return Cut(out, width == 0 ? 80 : width - 1);  // the last column would wrap
}

std::string ProgressSummary(const progress::Reading& r, Clock::duration took) {
  const double secs = Seconds(took);
  std::string out = fmt::format("{}: {} {}", r.phase, fmt::group_digits(r.done), r.unit);
  if (r.bytes > 0) out += ", " + Bytes(r.bytes);
  out += fmt::format(" in {:.1f} s", secs);
  if (std::string rate = Rate(r.done, secs); !rate.empty()) out += " (" + rate + ")";
  return out;
}

ProgressLine::ProgressLine(progress::Meter& meter, std::ostream& out, ProgressLineOptions options)
    : meter_(meter), out_(out), options_(options) {
  if (options_.width == 0) options_.width = TerminalWidth();
  // Each phase's first frame is drawn as it begins, on the working thread: a phase
  // that ends before the drawing thread wakes is still seen.
  meter_.OnBegin([this](const progress::Reading& r) {
    std::lock_guard lock(mu_);
    Draw(r);
  });
  meter_.OnEnd([this](const progress::Reading& r) {
    std::lock_guard lock(mu_);
    EndPhase(r);
  });
  thread_ = std::thread([this] { Loop(); });
}

ProgressLine::~ProgressLine() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  meter_.Interrupt();
  thread_.join();
  meter_.OnBegin(nullptr);
  meter_.OnEnd(nullptr);
  std::lock_guard lock(mu_);
  if (drawn_) out_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

void ProgressLine::Loop() {
  std::uint64_t seen = 0;
  for (;;) {
    meter_.WaitForPhase(seen, options_.interval);
    std::lock_guard lock(mu_);
    if (stop_) return;
    // Read under mu_: a phase that ends now is erased after this frame, not before.
    progress::Reading r = meter_.Read();
    seen = r.serial;
    if (r.active) Draw(r);
  }
}

void ProgressLine::Draw(const progress::Reading& r) {
  out_ << "\r\033[K" << ProgressFrame(r, Clock::now(), options_.width) << std::flush;
  drawn_ = true;
}

void ProgressLine::EndPhase(const progress::Reading& r) {
  if (!drawn_) return;
  const Clock::duration took = Clock::now() - r.started;
  out_ << "\r\033[K";
  if (took >= options_.summary_after) out_ << ProgressSummary(r, took) << "\n";
  out_ << std::flush;
  drawn_ = false;
}

}  // namespace weft::cli
