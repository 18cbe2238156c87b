#include "core/hlc.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <ctime>

namespace weft {

std::uint64_t SystemMillis() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

std::string IsoFromMillis(std::uint64_t ms, bool with_ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (with_ms) out += fmt::format(".{:03}", ms % 1000);
  return out + "Z";
}

std::string Hlc::ToIso() const { return IsoFromMillis(millis(), false); }

Hlc HlcClock::Now() {
  std::uint64_t wall = std::min(wall_(), Hlc::kMaxMillis);
  if (wall > last_.millis()) {
    last_ = Hlc::From(wall, 0);
  } else if (last_.counter() < 0xffff) {
    last_ = Hlc(last_.packed() + 1);
  } else {
    last_ = Hlc::From(std::min(last_.millis() + 1, Hlc::kMaxMillis), 0);
  }
  return last_;
}

void HlcClock::Observe(Hlc seen) { last_ = std::max(last_, seen); }

}  // namespace weft
