// The hub's figures for GET /metrics, in Prometheus' text format: counters of
// requests, pushes, pulls, changes and bytes each way, refusals by cause, and a
// histogram of database latency; the live long-polls are a gauge.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace weft::hub {

class Metrics {
 public:
  void Add(const std::string& counter, std::uint64_t n = 1);
  void Refused(const std::string& cause) { Add("refusals_total{cause=\"" + cause + "\"}"); }
  void DbLatency(std::chrono::steady_clock::duration d);
  // Every figure, with `gauges` (name → value) added.
  std::string Render(const std::map<std::string, double>& gauges) const;

 private:
  static constexpr std::array<double, 8> kBuckets = {0.001, 0.002, 0.005, 0.01,
                                                     0.025, 0.05,  0.1,   0.5};
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> counters_;
  std::array<std::uint64_t, kBuckets.size() + 1> db_buckets_{};
  double db_sum_ = 0;
  std::uint64_t db_count_ = 0;
};

}  // namespace weft::hub
