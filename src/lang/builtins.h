// The builtin functions, addressed as `Builtin.Module.name`. Kept small on purpose;
// docs/language.md documents each one.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace weft::lang {

struct BuiltinInfo {
  std::string_view name;
  int arity;
  std::string_view doc;
};

const BuiltinInfo* FindBuiltin(std::string_view name);
// Every builtin, for documentation and tests.
std::span<const BuiltinInfo> AllBuiltins();

}  // namespace weft::lang
