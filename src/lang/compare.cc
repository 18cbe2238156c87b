#include "lang/compare.h"

#include <compare>

#include "lang/dict.h"
#include "lang/runtime_error.h"

namespace weft::lang {
namespace {

template <typename T>
int Sign(const T& x, const T& y) {
  return x < y ? -1 : (y < x ? 1 : 0);
}

std::unexpected<weft::Error> NotComparable(const Value& a, const Value& b) {
  return RuntimeFail(RuntimeError::kTypeMismatch,
                     fmt::format("cannot order {} and {}", TypeNameOf(a), TypeNameOf(b)));
}

Result<int> CompareSeq(std::size_t na, std::size_t nb,
                       const std::function<Result<int>(std::size_t)>& at) {
  for (std::size_t i = 0; i < na && i < nb; ++i) {
    WEFT_ASSIGN_OR_RETURN(int c, at(i));
    if (c != 0) return c;
  }
  return Sign(na, nb);
}

}  // namespace

Result<int> CompareValues(const ValuePtr& a, const ValuePtr& b) {
  if (a->v.index() != b->v.index()) return NotComparable(*a, *b);
  return std::visit(
      Overloaded{
          [&](const std::monostate&) -> Result<int> { return 0; },
          [&](const std::int64_t& x) -> Result<int> {
            return Sign(x, std::get<std::int64_t>(b->v));
          },
          [&](const double& x) -> Result<int> {
            const auto o = std::strong_order(x, std::get<double>(b->v));
            return o < 0 ? -1 : (o > 0 ? 1 : 0);
          },
          [&](const std::string& x) -> Result<int> {
            const int c = x.compare(std::get<std::string>(b->v));
            return c < 0 ? -1 : (c > 0 ? 1 : 0);
          },
          [&](const bool& x) -> Result<int> { return Sign(x, std::get<bool>(b->v)); },
          [&](const VList& x) -> Result<int> {
            const auto& y = std::get<VList>(b->v);
            return CompareSeq(x.size(), y.size(),
                              [&](std::size_t i) { return CompareValues(x.at(i), y.at(i)); });
          },
          [&](const VRecord& x) -> Result<int> {
            const auto& y = std::get<VRecord>(b->v);
            return CompareSeq(x.fields.size(), y.fields.size(), [&](std::size_t i) -> Result<int> {
              const int c = x.fields[i].first.compare(y.fields[i].first);
              if (c != 0) return c < 0 ? -1 : 1;
              return CompareValues(x.fields[i].second, y.fields[i].second);
            });
          },
          [&](const VVariant& x) -> Result<int> {
            const auto& y = std::get<VVariant>(b->v);
            if (x.type != y.type) return NotComparable(*a, *b);
            if (x.case_index != y.case_index) return Sign(x.case_index, y.case_index);
            return CompareSeq(x.args.size(), y.args.size(),
                              [&](std::size_t i) { return CompareValues(x.args[i], y.args[i]); });
          },
          [&](const VDict& x) -> Result<int> {
            std::vector<std::pair<ValuePtr, ValuePtr>> xs, ys;
            DictForEach(x.root, [&](const DictNode& n) { xs.emplace_back(n.key, n.value); });
            DictForEach(std::get<VDict>(b->v).root,
                        [&](const DictNode& n) { ys.emplace_back(n.key, n.value); });
            return CompareSeq(xs.size(), ys.size(), [&](std::size_t i) -> Result<int> {
              WEFT_ASSIGN_OR_RETURN(int c, CompareValues(xs[i].first, ys[i].first));
              if (c != 0) return c;
              return CompareValues(xs[i].second, ys[i].second);
            });
          },
          [&](const auto&) -> Result<int> {
            return RuntimeFail(RuntimeError::kTypeMismatch, "cannot order functions");
          },
      },
      a->v);
}

}  // namespace weft::lang
