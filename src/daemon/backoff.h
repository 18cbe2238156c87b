// Jittered exponential backoff for a peer's sync loop: from a floor to a ceiling,
// doubling while nothing changes, back to the floor when something does.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace weft::daemon {

class Backoff {
 public:
  using Duration = std::chrono::milliseconds;
  Backoff(Duration floor, Duration ceiling, std::uint64_t seed);

  // The next wait: the current step, jittered by ±20%, kept within [floor,
  // ceiling]; then the step doubles (up to the ceiling).
  Duration Next();
  // Something moved: the next wait is the floor's again.
  void Reset() { step_ = floor_; }
  Duration step() const { return step_; }

 private:
  Duration floor_;
  Duration ceiling_;
  Duration step_;
  std::mt19937_64 rng_;
};

}  // namespace weft::daemon
