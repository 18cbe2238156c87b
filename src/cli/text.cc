#include "cli/text.h"

#include <fmt/core.h>

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

std::string StaleWarning(const std::vector<std::string>& locations) {
  const std::string names = Summarize(locations);
  return fmt::format(
      "warning: your staged edit{} of {} {} made before a newer change to {} arrived; `weft "
      "commit` records {} as a race to review (`weft conflicts`)",
      locations.size() == 1 ? "" : "s", names, locations.size() == 1 ? "was" : "were",
      locations.size() == 1 ? "that name" : "those names", locations.size() == 1 ? "it" : "each");
}

}  // namespace weft::cli
