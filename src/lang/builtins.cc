#include "lang/builtins.h"

namespace weft::lang {
namespace {

constexpr BuiltinInfo kBuiltins[] = {
    {"Builtin.Int.toString", 1, "Int -> String: decimal text of an integer"},
    {"Builtin.Int.toFloat", 1, "Int -> Float"},
    {"Builtin.Float.toString", 1, "Float -> String: shortest text that reads back the same"},
    {"Builtin.Float.floor", 1, "Float -> Int: rounds down; an error when out of range"},
    {"Builtin.String.length", 1, "String -> Int: length in bytes"},
    {"Builtin.List.length", 1, "List a -> Int"},
    {"Builtin.List.map", 2, "(a -> b) -> List a -> List b"},
    {"Builtin.List.filter", 2, "(a -> Bool) -> List a -> List a"},
    {"Builtin.List.fold", 3, "(acc -> a -> acc) -> acc -> List a -> acc, from the left"},
    {"Builtin.List.range", 2,
     "Int -> Int -> List Int: from the first up to, not including, the second"},
    {"Builtin.List.reverse", 1, "List a -> List a"},
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
