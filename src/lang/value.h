// Runtime values of the evaluator. Immutable and shared.
//
// Every value, list storage and environment frame is charged to the evaluation's
// memory meter when made and released when freed (lang/memory.h). Build them with
// MakeValue, MakeItems and PushEnv, which do the charging.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "lang/ast.h"
#include "lang/builtins.h"
#include "lang/memory.h"

namespace weft::lang {

struct Value;
using ValuePtr = std::shared_ptr<const Value>;

struct Env {
  ValuePtr value;
  std::shared_ptr<const Env> next;
  std::size_t charged = 0;
  ~Env() { ReleaseCurrent(charged); }
};
using EnvPtr = std::shared_ptr<const Env>;
EnvPtr PushEnv(EnvPtr env, ValuePtr v);

struct LoadedComponent;  // evaluator.cc

// A list is a view onto a shared vector, so taking the tail is O(1).
struct VList {
  std::shared_ptr<const std::vector<ValuePtr>> items;
  std::size_t offset = 0;
  std::size_t size() const { return items ? items->size() - offset : 0; }
  const ValuePtr& at(std::size_t i) const { return (*items)[offset + i]; }
};
struct VRecord {
  std::vector<std::pair<std::string, ValuePtr>> fields;  // sorted by name
};
struct VVariant {
  Digest type;
  std::uint32_t case_index = 0;
  std::vector<ValuePtr> args;
};
struct VClosure {
  ExprPtr lambda;                                    // an Expr holding an ELambda
  std::shared_ptr<const LoadedComponent> component;  // for self references
  EnvPtr env;
  std::vector<ValuePtr> applied;
};
struct VBuiltin {
  const BuiltinInfo* info = nullptr;
  std::vector<ValuePtr> applied;
};
struct DictNode;
struct VDict {
  std::shared_ptr<const DictNode> root;  // lang/dict.h; null: empty
};
struct VConstructor {
  Digest type;
  std::uint32_t case_index = 0;
  std::size_t arity = 0;
  std::vector<ValuePtr> applied;
};

struct Value {
  std::variant<std::monostate, std::int64_t, double, std::string, bool, VList, VRecord, VVariant,
               VClosure, VBuiltin, VConstructor, VDict>
      v;
  std::size_t charged = 0;
  ~Value() { ReleaseCurrent(charged); }
};

ValuePtr MakeValue(decltype(Value::v) v);
// Shared list storage, charged to the current meter for as long as it lives.
std::shared_ptr<const std::vector<ValuePtr>> MakeItems(std::vector<ValuePtr> items);
// What a list of `n` new elements will cost, for MemoryMeter::Reserve.
std::size_t ItemsCost(std::size_t n);
// A list value holding `items`.
ValuePtr ListValue(std::vector<ValuePtr> items);
// The value of a literal.
ValuePtr LiteralValue(const Literal& l);

}  // namespace weft::lang
