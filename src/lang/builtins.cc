#include "lang/builtins.h"

#include <cmath>

#include "lang/evaluator.h"
#include "lang/memory.h"
#include "lang/runtime_error.h"
#include "lang/value.h"

namespace weft::lang {
namespace {

using Args = std::vector<ValuePtr>;

std::unexpected<weft::Error> Mismatch(std::string_view fn, std::string_view want,
                                      const Value& got) {
  return RuntimeFail(RuntimeError::kTypeMismatch,
                     fmt::format("{} expects {}, got {}", fn, want, TypeNameOf(got)));
}

template <typename T>
Result<T> Arg(const ValuePtr& v, std::string_view fn, std::string_view want) {
  const auto* x = std::get_if<T>(&v->v);
  if (!x) return Mismatch(fn, want, *v);
  return *x;
}
Result<std::int64_t> Int(const ValuePtr& v, std::string_view fn) {
  return Arg<std::int64_t>(v, fn, "an Int");
}
Result<double> Float(const ValuePtr& v, std::string_view fn) {
  return Arg<double>(v, fn, "a Float");
}
Result<VList> List(const ValuePtr& v, std::string_view fn) { return Arg<VList>(v, fn, "a List"); }

// Asks the current meter for room before an allocation that grows with its input.
// Only the builtins that build a list ask.
Status Room(std::size_t bytes) {
  if (const MemoryMeter* m = CurrentMeter()) return m->Reserve(bytes);
  return {};
}

Result<ValuePtr> IntToString(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(std::int64_t i, Int(a[0], "Builtin.Int.toString"));
  return MakeValue(std::to_string(i));
}

Result<ValuePtr> IntToFloat(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(std::int64_t i, Int(a[0], "Builtin.Int.toFloat"));
  return MakeValue(static_cast<double>(i));
}

Result<ValuePtr> FloatToString(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(double f, Float(a[0], "Builtin.Float.toString"));
  return MakeValue(FormatFloat(f));
}

Result<ValuePtr> FloatFloor(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(double f, Float(a[0], "Builtin.Float.floor"));
  const double d = std::floor(f);
  if (!(d >= -9.2233720368547758e18 && d < 9.2233720368547758e18)) {
    return RuntimeFail(RuntimeError::kOverflow, fmt::format("{} does not fit in an Int", f));
  }
  return MakeValue(static_cast<std::int64_t>(d));
}

Result<ValuePtr> StringLength(const Args& a, Applier&) {
  const auto* s = std::get_if<std::string>(&a[0]->v);
  if (!s) return Mismatch("Builtin.String.length", "a String", *a[0]);
  return MakeValue(static_cast<std::int64_t>(s->size()));
}

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
    const auto* keep = std::get_if<bool>(&r->v);
    if (!keep) return Mismatch(kName, "a Bool from its predicate", *r);
    if (*keep) out.push_back(list.at(i));
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

constexpr BuiltinInfo kBuiltins[] = {
    {"Builtin.Int.toString", 1, "Int -> String: decimal text of an integer", IntToString},
    {"Builtin.Int.toFloat", 1, "Int -> Float", IntToFloat},
    {"Builtin.Float.toString", 1, "Float -> String: shortest text that reads back the same",
     FloatToString},
    {"Builtin.Float.floor", 1, "Float -> Int: rounds down; an error when out of range", FloatFloor},
    {"Builtin.String.length", 1, "String -> Int: length in bytes", StringLength},
    {"Builtin.List.length", 1, "List a -> Int", ListLength},
    {"Builtin.List.map", 2, "(a -> b) -> List a -> List b", ListMap},
    {"Builtin.List.filter", 2, "(a -> Bool) -> List a -> List a", ListFilter},
    {"Builtin.List.fold", 3, "(acc -> a -> acc) -> acc -> List a -> acc, from the left", ListFold},
    {"Builtin.List.range", 2,
     "Int -> Int -> List Int: from the first up to, not including, the second", ListRange},
    {"Builtin.List.reverse", 1, "List a -> List a", ListReverse},
};

}  // namespace

const BuiltinInfo* FindBuiltin(std::string_view name) {
  for (const auto& b : kBuiltins) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

std::span<const BuiltinInfo> AllBuiltins() { return kBuiltins; }

}  // namespace weft::lang
