#include "lang/builtins.h"

#include <cmath>

#include "lang/builtins_impl.h"
#include "lang/evaluator.h"

namespace weft::lang {
namespace builtin {
namespace {

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

// Grouped by module; docs/language.md has a row with an example for each.
// Builtins are referenced by name in the canonical form, so adding one changes
// no item's hash.
constexpr BuiltinInfo kBuiltins[] = {
    {"Builtin.Int.toString", 1, "Int -> String: decimal text of an integer", IntToString},
    {"Builtin.Int.toFloat", 1, "Int -> Float", IntToFloat},
    {"Builtin.Float.toString", 1, "Float -> String: shortest text that reads back the same",
     FloatToString},
    {"Builtin.Float.floor", 1, "Float -> Int: rounds down; an error when out of range", FloatFloor},
    {"Builtin.String.length", 1, "String -> Int: length in bytes", StringLength},
    {"Builtin.String.split", 2, "String -> String -> List String: the parts between separators",
     StringSplit},
    {"Builtin.String.join", 2, "String -> List String -> String", StringJoin},
    {"Builtin.String.slice", 3, "Int -> Int -> String -> String: characters from, up to",
     StringSlice},
    {"Builtin.String.chars", 1, "String -> List String: one string per character", StringChars},
    {"Builtin.String.trim", 1, "String -> String: without leading and trailing white space",
     StringTrim},
    {"Builtin.String.lower", 1, "String -> String: ASCII letters in lower case", StringLower},
    {"Builtin.String.upper", 1, "String -> String: ASCII letters in upper case", StringUpper},
    {"Builtin.String.contains", 2, "String -> String -> Bool: the second holds the first",
     StringContains},
    {"Builtin.String.startsWith", 2, "String -> String -> Bool: the second starts with the first",
     StringStartsWith},
    {"Builtin.String.replace", 3, "String -> String -> String -> String: every occurrence",
     StringReplace},
    {"Builtin.String.toInt", 1, "String -> Option Int", StringToInt},
    {"Builtin.String.toFloat", 1, "String -> Option Float", StringToFloat},
    {"Builtin.String.fromInt", 1, "Int -> String", StringFromInt},
    {"Builtin.List.length", 1, "List a -> Int", ListLength},
    {"Builtin.List.map", 2, "(a -> b) -> List a -> List b", ListMap},
    {"Builtin.List.filter", 2, "(a -> Bool) -> List a -> List a", ListFilter},
    {"Builtin.List.fold", 3, "(acc -> a -> acc) -> acc -> List a -> acc, from the left", ListFold},
    {"Builtin.List.range", 2,
     "Int -> Int -> List Int: from the first up to, not including, the second", ListRange},
    {"Builtin.List.reverse", 1, "List a -> List a", ListReverse},
    {"Builtin.List.sort", 1, "List a -> List a: ascending, stable", ListSort},
    {"Builtin.List.sortBy", 2, "(a -> k) -> List a -> List a: ascending by key, stable",
     ListSortBy},
    {"Builtin.List.zip", 2, "List a -> List b -> List { first : a, second : b }", ListZip},
    {"Builtin.List.head", 1, "List a -> Option a", ListHead},
    {"Builtin.List.tail", 1, "List a -> Option (List a)", ListTail},
    {"Builtin.List.nth", 2, "Int -> List a -> Option a: counting from 0", ListNth},
    {"Builtin.List.append", 2, "List a -> List a -> List a", ListAppend},
    {"Builtin.List.concat", 1, "List (List a) -> List a", ListConcat},
    {"Builtin.List.find", 2, "(a -> Bool) -> List a -> Option a: the first that holds", ListFind},
    {"Builtin.List.any", 2, "(a -> Bool) -> List a -> Bool", ListAny},
    {"Builtin.List.all", 2, "(a -> Bool) -> List a -> Bool", ListAll},
    {"Builtin.Dict.empty", 0, "Dict k v", DictEmpty},
    {"Builtin.Dict.insert", 3, "k -> v -> Dict k v -> Dict k v: replaces the value of a key",
     DictInsertFn},
    {"Builtin.Dict.get", 2, "k -> Dict k v -> Option v", DictGetFn},
    {"Builtin.Dict.remove", 2, "k -> Dict k v -> Dict k v", DictRemoveFn},
    {"Builtin.Dict.keys", 1, "Dict k v -> List k: in key order", DictKeys},
    {"Builtin.Dict.values", 1, "Dict k v -> List v: in key order", DictValues},
    {"Builtin.Dict.toList", 1, "Dict k v -> List { key : k, value : v }: in key order", DictToList},
    {"Builtin.Dict.fromList", 1, "List { key : k, value : v } -> Dict k v: the last value wins",
     DictFromList},
    {"Builtin.Dict.size", 1, "Dict k v -> Int", DictSizeFn},
    {"Builtin.Option.withDefault", 2, "a -> Option a -> a", OptionWithDefault},
    {"Builtin.Option.map", 2, "(a -> b) -> Option a -> Option b", OptionMap},
    {"Builtin.Option.andThen", 2, "(a -> Option b) -> Option a -> Option b", OptionAndThen},
    {"Builtin.Option.isSome", 1, "Option a -> Bool", OptionIsSome},
    {"Builtin.Result.withDefault", 2, "a -> Result a e -> a", ResultWithDefault},
    {"Builtin.Result.map", 2, "(a -> b) -> Result a e -> Result b e", ResultMap},
    {"Builtin.Result.mapError", 2, "(e -> f) -> Result a e -> Result a f", ResultMapError},
    {"Builtin.Result.andThen", 2, "(a -> Result b e) -> Result a e -> Result b e", ResultAndThen},
    {"Builtin.Result.isOk", 1, "Result a e -> Bool", ResultIsOk},
};

}  // namespace
}  // namespace builtin

const BuiltinInfo* FindBuiltin(std::string_view name) {
  for (const auto& b : builtin::kBuiltins) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

std::span<const BuiltinInfo> AllBuiltins() { return builtin::kBuiltins; }

}  // namespace weft::lang
