#include "daemon/backoff.h"

#include <algorithm>

namespace weft::daemon {

Backoff::Backoff(Duration floor, Duration ceiling, std::uint64_t seed)
    : floor_(floor), ceiling_(std::max(floor, ceiling)), step_(floor), rng_(seed) {}

Backoff::Duration Backoff::Next() {
  std::uniform_real_distribution<double> jitter(0.8, 1.2);
  const auto wait =
      Duration(static_cast<std::int64_t>(static_cast<double>(step_.count()) * jitter(rng_)));
  step_ = std::min(step_ * 2, ceiling_);
  return std::clamp(wait, floor_, ceiling_);
}

}  // namespace weft::daemon
