#include "lang/runtime_error.h"

namespace weft::lang {

const char* RuntimeErrorName(RuntimeError kind) {
  switch (kind) {
    case RuntimeError::kMissingItem:
      return "missing item";
    case RuntimeError::kArity:
      return "wrong arity";
    case RuntimeError::kTypeMismatch:
      return "type mismatch";
    case RuntimeError::kDivisionByZero:
      return "division by zero";
    case RuntimeError::kOverflow:
      return "integer overflow";
    case RuntimeError::kNonExhaustiveMatch:
      return "non-exhaustive match";
    case RuntimeError::kStepBudget:
      return "step budget exceeded";
    case RuntimeError::kDepth:
      return "recursion too deep";
    case RuntimeError::kNoSuchField:
      return "no such field";
    case RuntimeError::kBadItem:
      return "unreadable item";
    case RuntimeError::kMemory:
      return "memory budget exceeded";
    case RuntimeError::kTimeLimit:
      return "time limit exceeded";
  }
  return "runtime error";
}

std::unexpected<weft::Error> RuntimeFail(RuntimeError kind, const std::string& message) {
  return Fail(ErrorCode::kEvaluation, "{}: {}", RuntimeErrorName(kind), message);
}

const char* TypeNameOf(const Value& v) {
  static constexpr const char* kNames[] = {"Unit",     "Int",      "Float",    "String",
                                           "Bool",     "List",     "Record",   "Variant",
                                           "Function", "Function", "Function", "Dict"};
  return kNames[v.v.index()];
}

}  // namespace weft::lang
