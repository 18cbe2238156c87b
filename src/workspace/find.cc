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

struct Scored {
  int score;
  const char* why;
};

std::optional<Scored> Score(const std::string& location, const std::string& query,
                            const std::string& lq) {
  const std::string name = Lower(location);
  const std::string last = name.substr(name.rfind('.') + 1);
  const int len = static_cast<int>(name.size());
  if (location == query) return Scored{0, "exact"};
  if (last.starts_with(lq)) return Scored{1000 + len, "prefix"};
  if (const auto at = name.find(lq); at != std::string::npos)
    return Scored{2000 + static_cast<int>(at) * 4 + len, "substring"};
  if (auto gaps = Subsequence(lq, last); gaps && lq.size() >= 2)
    return Scored{2500 + *gaps * 4 + len, "fuzzy"};
  if (auto gaps = Subsequence(lq, name); gaps && lq.size() >= 2)
    return Scored{3000 + *gaps * 4 + len, "fuzzy"};
  const std::string lq_last = lq.substr(lq.rfind('.') + 1);
  const std::size_t limit = std::clamp<std::size_t>(lq_last.size() / 3, 1, 3);
  if (const std::size_t d = EditDistance(lq_last, last, limit); d <= limit)
    return Scored{4000 + static_cast<int>(d) * 100 + len, "typo"};
  return std::nullopt;
}

// By name alone: every location is scored, and only the best `limit` are read
// whole (a Binding joins its item's kind and deprecation).
Result<std::vector<Found>> FindByName(Store& store, const std::string& query, std::size_t limit) {
  WEFT_ASSIGN_OR_RETURN(auto locations, ListLocations(store.db(), store.branch()));
  struct Hit {
    int score;
    const char* why;
    std::size_t index;  // into locations, which are in name order
  };
  std::vector<Hit> hits;
  const std::string lq = Lower(query);
  for (std::size_t i = 0; i < locations.size(); ++i) {
    if (auto s = Score(locations[i].first, query, lq)) hits.push_back(Hit{s->score, s->why, i});
  }
  const auto better = [](const Hit& x, const Hit& y) {
    return x.score != y.score ? x.score < y.score : x.index < y.index;
  };
  const std::size_t keep = std::min(limit, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(),
                    better);
  std::vector<Found> out;
  for (std::size_t i = 0; i < keep; ++i) {
    const auto& [location, ns] = locations[hits[i].index];
    WEFT_ASSIGN_OR_RETURN(auto b, FindBinding(store.db(), store.branch(), location, ns));
    if (b) out.push_back(Found{std::move(*b), hits[i].score, hits[i].why, ""});
  }
  return out;
}

}  // namespace

Result<std::vector<Found>> FindNames(Store& store, const std::string& query, bool source,
                                     std::size_t limit) {
  if (query.empty()) return Fail(ErrorCode::kInvalidArgument, "give something to find");
  if (!source) return FindByName(store, query, limit);
  WEFT_ASSIGN_OR_RETURN(std::vector<Binding> all, ListBindings(store.db(), store.branch(), ""));
  std::vector<Found> out;
  for (const Binding& b : all) {
    WEFT_ASSIGN_OR_RETURN(std::string text,
                          PrintStoredItem(store.db(), store.branch(), b.item, b.location));
    const std::size_t at = text.find(query);
    if (at == std::string::npos) continue;
    const std::size_t start = text.rfind('\n', at);
    const std::size_t from = start == std::string::npos ? 0 : start + 1;
    std::string line = text.substr(from, text.find('\n', at) - from);
    out.push_back(Found{b, 0, "source", std::move(line)});
  }
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace weft::workspace
