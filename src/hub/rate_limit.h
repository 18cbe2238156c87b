// Per-token rate limits on one replica: a token bucket each, `rate` a second up
// to `burst`. A replica counts only what it serves (N replicas allow N times the
// rate); docs/design/hub.md says why that is enough.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>

namespace weft::hub {

class RateLimit {
 public:
  RateLimit(double rate, double burst) : rate_(rate), burst_(burst) {}
  // Whether `token` may send a request now (nothing is taken, and a token never
  // admitted gets no bucket: ids a stranger makes up cost no memory).
  bool HasRoom(std::int64_t token) {
    std::lock_guard lock(mu_);
    return !buckets_.contains(token) || Refill(token).tokens >= 1;
  }
  // Counts one request of `token` (it may go below zero: requests admitted at
  // once all count).
  void Take(std::int64_t token) {
    std::lock_guard lock(mu_);
    Refill(token).tokens -= 1;
  }

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  Bucket& Refill(std::int64_t token) {
    const auto now = std::chrono::steady_clock::now();
    auto [it, fresh] = buckets_.try_emplace(token, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!fresh) {
      b.tokens =
          std::min(burst_, b.tokens + rate_ * std::chrono::duration<double>(now - b.at).count());
      b.at = now;
    }
    return b;
  }
  double rate_, burst_;
  std::mutex mu_;
  std::map<std::int64_t, Bucket> buckets_;
};

}  // namespace weft::hub
