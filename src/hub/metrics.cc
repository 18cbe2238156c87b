#include "hub/metrics.h"

#include <fmt/format.h>

namespace weft::hub {

void Metrics::Add(const std::string& counter, std::uint64_t n) {
  std::lock_guard lock(mu_);
  counters_[counter] += n;
}

void Metrics::DbLatency(std::chrono::steady_clock::duration d) {
  const double s = std::chrono::duration<double>(d).count();
  std::lock_guard lock(mu_);
  std::size_t i = 0;
  while (i < kBuckets.size() && s > kBuckets[i]) ++i;
  ++db_buckets_[i];
  db_sum_ += s;
  ++db_count_;
}

std::string Metrics::Render(const std::map<std::string, double>& gauges) const {
  std::lock_guard lock(mu_);
  std::string out;
  std::string last_family;
  for (const auto& [name, value] : counters_) {
    const std::string family = name.substr(0, name.find('{'));
    if (family != last_family) out += fmt::format("# TYPE weft_hub_{} counter\n", family);
    last_family = family;
    out += fmt::format("weft_hub_{} {}\n", name, value);
  }
  for (const auto& [name, value] : gauges) {
    out += fmt::format("# TYPE weft_hub_{} gauge\nweft_hub_{} {}\n", name, name, value);
  }
  out += "# TYPE weft_hub_db_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += db_buckets_[i];
    out += fmt::format("weft_hub_db_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i], cumulative);
  }
  cumulative += db_buckets_[kBuckets.size()];
  out += fmt::format("weft_hub_db_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  out +=
      fmt::format("weft_hub_db_seconds_sum {}\nweft_hub_db_seconds_count {}\n", db_sum_, db_count_);
  return out;
}

}  // namespace weft::hub
