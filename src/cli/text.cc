#include "cli/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

namespace weft::cli {

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string Summarize(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 6; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 6) out += fmt::format(" and {} more", names.size() - 6);
  return out;
}

std::string NameList(const std::vector<std::string>& names) {
  if (names.size() <= 12) return Join(names);
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  return fmt::format("{} definitions: {} … {}; `weft diff` lists them",
                     fmt::group_digits(sorted.size()), sorted.front(), sorted.back());
}

std::string LocalTime(std::uint64_t unix_ms) {
  const auto secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  if (localtime_r(&secs, &tm) == nullptr) return "(time out of range)";
  char buf[64];
  if (std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z", &tm) == 0) return "(time)";
  return buf;
}

std::string StaleWarning(const std::vector<std::string>& locations) {
  const std::string names = Summarize(locations);
  return fmt::format(
      "warning: your staged edit{} of {} {} made before a newer change to {} arrived; `weft "
      "commit` records {} as a race to review (`weft conflicts`)",
      locations.size() == 1 ? "" : "s", names, locations.size() == 1 ? "was" : "were",
      locations.size() == 1 ? "that name" : "those names", locations.size() == 1 ? "it" : "each");
}

}  // namespace weft::cli
