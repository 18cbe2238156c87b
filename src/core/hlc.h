// Hybrid logical clock: a portable timestamp that orders a device's own changes
// and never runs behind a change it has seen.
//
// Layout of the 64-bit value: high 48 bits are Unix milliseconds, low 16 bits a
// logical counter. Comparing the packed values compares (ms, counter). The clock is
// monotonic even when the wall clock steps back; when the counter would overflow,
// the millisecond part is advanced instead.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace weft {

class Hlc {
 public:
  static constexpr std::uint64_t kMaxMillis = (std::uint64_t{1} << 48) - 1;

  Hlc() = default;
  explicit Hlc(std::uint64_t packed) : packed_(packed) {}
  static Hlc From(std::uint64_t millis, std::uint16_t counter) {
    return Hlc((millis << 16) | counter);
  }

  std::uint64_t packed() const { return packed_; }
  std::uint64_t millis() const { return packed_ >> 16; }
  std::uint16_t counter() const { return static_cast<std::uint16_t>(packed_ & 0xffff); }
  // UTC, ISO-8601 to the second, e.g. 2026-11-21T23:47:18Z.
  std::string ToIso() const;

  auto operator<=>(const Hlc&) const = default;

 private:
  std::uint64_t packed_ = 0;
};

// Milliseconds since the Unix epoch from the system clock.
// UTC, ISO 8601: 2026-12-02T10:58:01Z (with_ms: 2026-12-02T10:58:01.123Z).
std::string IsoFromMillis(std::uint64_t ms, bool with_ms = false);
std::uint64_t SystemMillis();

class HlcClock {
 public:
  using WallClock = std::function<std::uint64_t()>;

  // `last` is the greatest stamp this instance has issued or observed (persisted
  // by the store so restarts stay monotonic).
  explicit HlcClock(Hlc last = Hlc(), WallClock wall = SystemMillis)
      : last_(last), wall_(std::move(wall)) {}

  // A stamp strictly greater than every stamp issued or observed so far.
  Hlc Now();
  // Records a stamp seen on a received change; the next Now() is past it.
  void Observe(Hlc seen);
  Hlc last() const { return last_; }

 private:
  Hlc last_;
  WallClock wall_;
};

}  // namespace weft
