#include "workspace/find.h"

#include <algorithm>
#include <cctype>

#include "core/suggest.h"
#include "workspace/item_access.h"

namespace weft::workspace {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The query's characters appear in order in `text`; the score grows with the gaps.
std::optional<int> Subsequence(const std::string& query, const std::string& text) {
  std::size_t at = 0;
  int gaps = 0;
  for (char c : query) {
    const std::size_t next = text.find(c, at);
    if (next == std::string::npos) return std::nullopt;
    gaps += static_cast<int>(next - at);
    at = next + 1;
  }
  return gaps;
}

std::optional<Found> Score(const Binding& b, const std::string& query, const std::string& lq) {
  const std::string name = Lower(b.location);
  const std::string last = name.substr(name.rfind('.') + 1);
  const int len = static_cast<int>(name.size());
  if (b.location == query) return Found{b, 0, "exact", ""};
  if (last.starts_with(lq)) return Found{b, 1000 + len, "prefix", ""};
  if (const auto at = name.find(lq); at != std::string::npos)
    return Found{b, 2000 + static_cast<int>(at) * 4 + len, "substring", ""};
  if (auto gaps = Subsequence(lq, last); gaps && lq.size() >= 2)
    return Found{b, 2500 + *gaps * 4 + len, "fuzzy", ""};
  if (auto gaps = Subsequence(lq, name); gaps && lq.size() >= 2)
    return Found{b, 3000 + *gaps * 4 + len, "fuzzy", ""};
  const std::string lq_last = lq.substr(lq.rfind('.') + 1);
  const std::size_t limit = std::clamp<std::size_t>(lq_last.size() / 3, 1, 3);
  if (const std::size_t d = EditDistance(lq_last, last, limit); d <= limit)
    return Found{b, 4000 + static_cast<int>(d) * 100 + len, "typo", ""};
  return std::nullopt;
}

}  // namespace

Result<std::vector<Found>> FindNames(Store& store, const std::string& query, bool source,
                                     std::size_t limit) {
  if (query.empty()) return Fail(ErrorCode::kInvalidArgument, "give something to find");
  WEFT_ASSIGN_OR_RETURN(std::vector<Binding> all, ListBindings(store.db(), store.branch(), ""));
  std::vector<Found> out;
  const std::string lq = Lower(query);
  for (const Binding& b : all) {
    if (source) {
      WEFT_ASSIGN_OR_RETURN(std::string text,
                            PrintStoredItem(store.db(), store.branch(), b.item, b.location));
      const std::size_t at = text.find(query);
      if (at == std::string::npos) continue;
      const std::size_t start = text.rfind('\n', at);
      const std::size_t from = start == std::string::npos ? 0 : start + 1;
      std::string line = text.substr(from, text.find('\n', at) - from);
      out.push_back(Found{b, 0, "source", std::move(line)});
    } else if (auto f = Score(b, query, lq)) {
      out.push_back(std::move(*f));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Found& x, const Found& y) {
    if (x.score != y.score) return x.score < y.score;
    return x.binding.location < y.binding.location;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace weft::workspace
