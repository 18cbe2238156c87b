// The builtins' shared argument checks and the functions of each module, which
// lang/builtins.cc lists in one table. Internal to lang/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lang/builtins.h"
#include "lang/memory.h"
#include "lang/runtime_error.h"
#include "lang/value.h"

namespace weft::lang::builtin {

using Args = std::vector<ValuePtr>;

inline std::unexpected<weft::Error> Mismatch(std::string_view fn, std::string_view want,
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
inline Result<std::int64_t> Int(const ValuePtr& v, std::string_view fn) {
  return Arg<std::int64_t>(v, fn, "an Int");
}
inline Result<double> Float(const ValuePtr& v, std::string_view fn) {
  return Arg<double>(v, fn, "a Float");
}
inline Result<VList> List(const ValuePtr& v, std::string_view fn) {
  return Arg<VList>(v, fn, "a List");
}
// A String argument, by reference: strings are not copied to be read.
inline Result<const std::string*> Str(const ValuePtr& v, std::string_view fn) {
  const auto* s = std::get_if<std::string>(&v->v);
  if (!s) return Mismatch(fn, "a String", *v);
  return s;
}
// The Bool a predicate returned.
inline Result<bool> Predicate(const ValuePtr& v, std::string_view fn) {
  const auto* b = std::get_if<bool>(&v->v);
  if (!b) return Mismatch(fn, "a Bool from its predicate", *v);
  return *b;
}

// Asks the current meter for room before an allocation that grows with its input.
inline Status Room(std::size_t bytes) {
  if (const MemoryMeter* m = CurrentMeter()) return m->Reserve(bytes);
  return {};
}

// A record value; `fields` sorted by name.
ValuePtr RecordValue(std::vector<std::pair<std::string, ValuePtr>> fields);

// builtins_string.cc
Result<ValuePtr> StringLength(const Args& a, Applier&);
Result<ValuePtr> StringSplit(const Args& a, Applier&);
Result<ValuePtr> StringJoin(const Args& a, Applier&);
Result<ValuePtr> StringSlice(const Args& a, Applier&);
Result<ValuePtr> StringChars(const Args& a, Applier&);
Result<ValuePtr> StringTrim(const Args& a, Applier&);
Result<ValuePtr> StringLower(const Args& a, Applier&);
Result<ValuePtr> StringUpper(const Args& a, Applier&);
Result<ValuePtr> StringContains(const Args& a, Applier&);
Result<ValuePtr> StringStartsWith(const Args& a, Applier&);
Result<ValuePtr> StringReplace(const Args& a, Applier&);
Result<ValuePtr> StringToInt(const Args& a, Applier&);
Result<ValuePtr> StringToFloat(const Args& a, Applier&);
Result<ValuePtr> StringFromInt(const Args& a, Applier&);

// builtins_list.cc
Result<ValuePtr> ListLength(const Args& a, Applier&);
Result<ValuePtr> ListReverse(const Args& a, Applier&);
Result<ValuePtr> ListMap(const Args& a, Applier& apply);
Result<ValuePtr> ListFilter(const Args& a, Applier& apply);
Result<ValuePtr> ListFold(const Args& a, Applier& apply);
Result<ValuePtr> ListRange(const Args& a, Applier&);
Result<ValuePtr> ListSort(const Args& a, Applier&);
Result<ValuePtr> ListSortBy(const Args& a, Applier& apply);
Result<ValuePtr> ListZip(const Args& a, Applier&);
Result<ValuePtr> ListHead(const Args& a, Applier&);
Result<ValuePtr> ListTail(const Args& a, Applier&);
Result<ValuePtr> ListNth(const Args& a, Applier&);
Result<ValuePtr> ListAppend(const Args& a, Applier&);
Result<ValuePtr> ListConcat(const Args& a, Applier&);
Result<ValuePtr> ListFind(const Args& a, Applier& apply);
Result<ValuePtr> ListAny(const Args& a, Applier& apply);
Result<ValuePtr> ListAll(const Args& a, Applier& apply);

// builtins_dict.cc: Dict, and the Option and Result helpers
Result<ValuePtr> DictEmpty(const Args& a, Applier&);
Result<ValuePtr> DictInsertFn(const Args& a, Applier&);
Result<ValuePtr> DictGetFn(const Args& a, Applier&);
Result<ValuePtr> DictRemoveFn(const Args& a, Applier&);
Result<ValuePtr> DictKeys(const Args& a, Applier&);
Result<ValuePtr> DictValues(const Args& a, Applier&);
Result<ValuePtr> DictToList(const Args& a, Applier&);
Result<ValuePtr> DictFromList(const Args& a, Applier&);
Result<ValuePtr> DictSizeFn(const Args& a, Applier&);
Result<ValuePtr> OptionWithDefault(const Args& a, Applier&);
Result<ValuePtr> OptionMap(const Args& a, Applier& apply);
Result<ValuePtr> OptionAndThen(const Args& a, Applier& apply);
Result<ValuePtr> OptionIsSome(const Args& a, Applier&);
Result<ValuePtr> ResultWithDefault(const Args& a, Applier&);
Result<ValuePtr> ResultMap(const Args& a, Applier& apply);
Result<ValuePtr> ResultMapError(const Args& a, Applier& apply);
Result<ValuePtr> ResultAndThen(const Args& a, Applier& apply);
Result<ValuePtr> ResultIsOk(const Args& a, Applier&);

}  // namespace weft::lang::builtin
