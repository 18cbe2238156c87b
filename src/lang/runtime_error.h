// Runtime errors of evaluation: every failure is an Error with code kEvaluation
// and a message that starts with the kind ("division by zero: …").
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"
#include "lang/value.h"

namespace weft::lang {

enum class RuntimeError : std::uint8_t {
  kMissingItem,
  kArity,
  kTypeMismatch,
  kDivisionByZero,
  kOverflow,
  kNonExhaustiveMatch,
  kStepBudget,
  kDepth,
  kNoSuchField,
  kBadItem,
  kMemory,
  kTimeLimit,
};
const char* RuntimeErrorName(RuntimeError kind);

std::unexpected<weft::Error> RuntimeFail(RuntimeError kind, const std::string& message);

// "Int", "List", "Function", …: for messages.
const char* TypeNameOf(const Value& v);

}  // namespace weft::lang
