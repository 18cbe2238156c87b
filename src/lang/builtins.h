// The builtin functions, addressed as `Builtin.Module.name`: one table of name,
// arity, documentation and implementation, grouped by module (Int, Float,
// String, List, Dict, Option, Result); docs/language.md documents each one with
// an example that a test runs. An arity-0 builtin (Builtin.Dict.empty) is a value.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace weft::lang {

struct Value;
using ValuePtr = std::shared_ptr<const Value>;

// What a higher-order builtin calls back: the evaluator applying a function value.
class Applier {
 public:
  virtual Result<ValuePtr> Apply(const ValuePtr& fn, std::vector<ValuePtr> args) = 0;

 protected:
  ~Applier() = default;
};

// Called with exactly `arity` arguments, in order.
using BuiltinFn = Result<ValuePtr> (*)(const std::vector<ValuePtr>& args, Applier& apply);

struct BuiltinInfo {
  std::string_view name;
  int arity;
  std::string_view doc;
  BuiltinFn fn;
};

const BuiltinInfo* FindBuiltin(std::string_view name);
// Every builtin, for documentation and tests.
std::span<const BuiltinInfo> AllBuiltins();

}  // namespace weft::lang
