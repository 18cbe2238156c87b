// Builtin.List: functions take the list last, so they read well with `|>`.
#include <algorithm>
#include <numeric>

#include "lang/builtin_types.h"
#include "lang/builtins_impl.h"
#include "lang/compare.h"

namespace weft::lang::builtin {
namespace {

std::vector<ValuePtr> Items(const VList& list) {
  std::vector<ValuePtr> out;
  out.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) out.push_back(list.at(i));
  return out;
}

// Sorts `order` (positions into `keys`) by key, stably; the first failed
// comparison is the result.
Status SortByKeys(std::vector<std::size_t>& order, const std::vector<ValuePtr>& keys) {
  Status failed;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    if (!failed) return false;
    auto c = CompareValues(keys[x], keys[y]);
    if (!c) {
      failed = std::unexpected(c.error());
      return false;
    }
    return *c < 0;
  });
  return failed;
}

// The position of the first element for which `pred` (a[0]) returns `want`, or
// nullopt: what find, any and all each ask.
Result<std::optional<std::size_t>> FirstWhere(const Args& a, Applier& apply, std::string_view fn,
                                              bool want) {
  WEFT_ASSIGN_OR_RETURN(VList list, List(a[1], fn));
  for (std::size_t i = 0; i < list.size(); ++i) {
    WEFT_ASSIGN_OR_RETURN(ValuePtr r, apply.Apply(a[0], {list.at(i)}));
    WEFT_ASSIGN_OR_RETURN(bool hit, Predicate(r, fn));
    if (hit == want) return std::optional<std::size_t>(i);
  }
  return std::optional<std::size_t>();
}

}  // namespace

Result<ValuePtr> ListLength(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(VList list, List(a[0], "Builtin.List.length"));
  return MakeValue(static_cast<std::int64_t>(list.size()));
}

Result<ValuePtr> ListReverse(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(VList list, List(a[0], "Builtin.List.reverse"));
  WEFT_TRY(Room(ItemsCost(list.size())));
  std::vector<ValuePtr> out;
  out.reserve(list.size());
  for (std::size_t i = list.size(); i-- > 0;) out.push_back(list.at(i));
  return ListValue(std::move(out));
}

Result<ValuePtr> ListMap(const Args& a, Applier& apply) {
  WEFT_ASSIGN_OR_RETURN(VList list, List(a[1], "Builtin.List.map"));
  WEFT_TRY(Room(ItemsCost(list.size())));
  std::vector<ValuePtr> out;
  out.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    WEFT_ASSIGN_OR_RETURN(ValuePtr r, apply.Apply(a[0], {list.at(i)}));
    out.push_back(std::move(r));
  }
  return ListValue(std::move(out));
}

Result<ValuePtr> ListFilter(const Args& a, Applier& apply) {
  constexpr std::string_view kName = "Builtin.List.filter";
  WEFT_ASSIGN_OR_RETURN(VList list, List(a[1], kName));
  WEFT_TRY(Room(ItemsCost(list.size())));
  std::vector<ValuePtr> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    WEFT_ASSIGN_OR_RETURN(ValuePtr r, apply.Apply(a[0], {list.at(i)}));
    WEFT_ASSIGN_OR_RETURN(bool keep, Predicate(r, kName));
    if (keep) out.push_back(list.at(i));
  }
  return ListValue(std::move(out));
}

Result<ValuePtr> ListFold(const Args& a, Applier& apply) {
  WEFT_ASSIGN_OR_RETURN(VList list, List(a[2], "Builtin.List.fold"));
  ValuePtr acc = a[1];
  for (std::size_t i = 0; i < list.size(); ++i) {
    WEFT_ASSIGN_OR_RETURN(acc, apply.Apply(a[0], {acc, list.at(i)}));
  }
  return acc;
}

Result<ValuePtr> ListRange(const Args& a, Applier&) {
  constexpr std::string_view kName = "Builtin.List.range";
  WEFT_ASSIGN_OR_RETURN(std::int64_t from, Int(a[0], kName));
  WEFT_ASSIGN_OR_RETURN(std::int64_t to, Int(a[1], kName));
  if (to > from &&
      static_cast<std::uint64_t>(to) - static_cast<std::uint64_t>(from) > 100'000'000) {
    return RuntimeFail(RuntimeError::kOverflow,
                       "Builtin.List.range is limited to 100,000,000 elements");
  }
  const std::size_t n = to > from ? static_cast<std::size_t>(to - from) : 0;
  WEFT_TRY(Room(ItemsCost(n) + n * (sizeof(Value) + 16)));
  std::vector<ValuePtr> out;
  out.reserve(n);
  for (std::int64_t i = from; i < to; ++i) out.push_back(MakeValue(i));
  return ListValue(std::move(out));
}

Result<ValuePtr> ListSort(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(VList list, List(a[0], "Builtin.List.sort"));
  WEFT_TRY(Room(2 * ItemsCost(list.size())));
  std::vector<ValuePtr> items = Items(list);
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  WEFT_TRY(SortByKeys(order, items));
  std::vector<ValuePtr> out;
  out.reserve(items.size());
  for (std::size_t i : order) out.push_back(items[i]);
  return ListValue(std::move(out));
}

Result<ValuePtr> ListSortBy(const Args& a, Applier& apply) {
  WEFT_ASSIGN_OR_RETURN(VList list, List(a[1], "Builtin.List.sortBy"));
  WEFT_TRY(Room(3 * ItemsCost(list.size())));
  std::vector<ValuePtr> keys;
  keys.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    WEFT_ASSIGN_OR_RETURN(ValuePtr k, apply.Apply(a[0], {list.at(i)}));
    keys.push_back(std::move(k));
  }
  std::vector<std::size_t> order(list.size());
  std::iota(order.begin(), order.end(), 0);
  WEFT_TRY(SortByKeys(order, keys));
  std::vector<ValuePtr> out;
  out.reserve(order.size());
  for (std::size_t i : order) out.push_back(list.at(i));
  return ListValue(std::move(out));
}

Result<ValuePtr> ListZip(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(VList xs, List(a[0], "Builtin.List.zip"));
  WEFT_ASSIGN_OR_RETURN(VList ys, List(a[1], "Builtin.List.zip"));
  const std::size_t n = std::min(xs.size(), ys.size());
  WEFT_TRY(Room(ItemsCost(n) + n * (sizeof(Value) + 64)));
  std::vector<ValuePtr> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(RecordValue({{"first", xs.at(i)}, {"second", ys.at(i)}}));
  return ListValue(std::move(out));
}

Result<ValuePtr> ListHead(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(VList list, List(a[0], "Builtin.List.head"));
  return list.size() == 0 ? NoneValue() : SomeValue(list.at(0));
}

Result<ValuePtr> ListTail(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(VList list, List(a[0], "Builtin.List.tail"));
  if (list.size() == 0) return NoneValue();
  return SomeValue(MakeValue(VList{list.items, list.offset + 1}));
}

Result<ValuePtr> ListNth(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(std::int64_t n, Int(a[0], "Builtin.List.nth"));
  WEFT_ASSIGN_OR_RETURN(VList list, List(a[1], "Builtin.List.nth"));
  if (n < 0 || static_cast<std::uint64_t>(n) >= list.size()) return NoneValue();
  return SomeValue(list.at(static_cast<std::size_t>(n)));
}

Result<ValuePtr> ListAppend(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(VList xs, List(a[0], "Builtin.List.append"));
  WEFT_ASSIGN_OR_RETURN(VList ys, List(a[1], "Builtin.List.append"));
  WEFT_TRY(Room(ItemsCost(xs.size() + ys.size())));
  std::vector<ValuePtr> out = Items(xs);
  for (std::size_t i = 0; i < ys.size(); ++i) out.push_back(ys.at(i));
  return ListValue(std::move(out));
}

Result<ValuePtr> ListConcat(const Args& a, Applier&) {
  constexpr std::string_view kName = "Builtin.List.concat";
  WEFT_ASSIGN_OR_RETURN(VList lists, List(a[0], kName));
  std::size_t total = 0;
  for (std::size_t i = 0; i < lists.size(); ++i) {
    WEFT_ASSIGN_OR_RETURN(VList inner, Arg<VList>(lists.at(i), kName, "a List of Lists"));
    total += inner.size();
  }
  WEFT_TRY(Room(ItemsCost(total)));
  std::vector<ValuePtr> out;
  out.reserve(total);
  for (std::size_t i = 0; i < lists.size(); ++i) {
    const auto& inner = std::get<VList>(lists.at(i)->v);
    for (std::size_t k = 0; k < inner.size(); ++k) out.push_back(inner.at(k));
  }
  return ListValue(std::move(out));
}

Result<ValuePtr> ListFind(const Args& a, Applier& apply) {
  WEFT_ASSIGN_OR_RETURN(auto at, FirstWhere(a, apply, "Builtin.List.find", true));
  if (!at) return NoneValue();
  return SomeValue(std::get<VList>(a[1]->v).at(*at));
}

Result<ValuePtr> ListAny(const Args& a, Applier& apply) {
  WEFT_ASSIGN_OR_RETURN(auto at, FirstWhere(a, apply, "Builtin.List.any", true));
  return MakeValue(at.has_value());
}

Result<ValuePtr> ListAll(const Args& a, Applier& apply) {
  WEFT_ASSIGN_OR_RETURN(auto at, FirstWhere(a, apply, "Builtin.List.all", false));
  return MakeValue(!at.has_value());
}

}  // namespace weft::lang::builtin
