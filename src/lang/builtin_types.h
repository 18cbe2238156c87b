// The builtin variant types, `Builtin.Option` (None | Some a) and
// `Builtin.Result` (Ok a | Err e), which builtins return and programs match on:
//   match Builtin.List.head xs with | Builtin.Option.Some x -> x | Builtin.Option.None -> 0
// They are not stored items: a reference to one is a target of its own kind
// (Target::Kind::kBuiltin), written in the canonical form as its position in this
// table (docs/language.md, "Canonical form"), so the table only ever grows at the
// end. At run time a value of one is a VVariant whose type is the table's digest.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/hash.h"
#include "lang/value.h"

namespace weft::lang {

struct BuiltinCase {
  std::string_view name;
  std::size_t arity;
};

struct BuiltinType {
  std::string_view name;  // Builtin.Option
  std::span<const BuiltinCase> cases;
  Digest digest;  // SHA-256 of "weft builtin type " + name; never an item's hash
};

std::span<const BuiltinType> AllBuiltinTypes();
// A reference to the builtin type at `index` of the table.
Target BuiltinTarget(std::uint32_t index);
// The name of case `index` of the builtin type whose digest is `type`.
std::string BuiltinCaseName(const Digest& type, std::uint32_t index);
const BuiltinType* FindBuiltinType(std::string_view name);
// The builtin type a variant's type digest names, or null.
const BuiltinType* BuiltinTypeOf(const Digest& type);

inline constexpr std::uint32_t kOptionNone = 0, kOptionSome = 1;
inline constexpr std::uint32_t kResultOk = 0, kResultErr = 1;
ValuePtr SomeValue(ValuePtr v);
ValuePtr NoneValue();
ValuePtr OkValue(ValuePtr v);
ValuePtr ErrValue(ValuePtr v);
// Some x as x, None as null; anything else is not an Option.
Result<ValuePtr> OptionPayload(const ValuePtr& v, std::string_view fn);

}  // namespace weft::lang
