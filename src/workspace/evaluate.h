// Running weft code against the current branch, staged definitions included.
#pragma once

#include <string>
#include <vector>

#include "lang/evaluator.h"
#include "store/store.h"

namespace weft::workspace {

struct EvalResult {
  std::string text;  // the value as weft source (lang/evaluator.h, FormatValue)
  std::string type;
  std::uint64_t steps = 0;
};

// Parses, resolves and evaluates an expression. The evaluation, the printing and
// every value live and die on the evaluation thread's large stack.
// REQUIRES: limits.max_depth <= lang::kMaxEvalDepth.
Result<EvalResult> EvaluateText(Store& store, const std::string& text,
                                const lang::EvalLimits& limits);
// Calls the function bound to `name` (kNotFound when it is not bound) with
// arguments that are each one weft expression.
Result<EvalResult> RunFunction(Store& store, const std::string& name,
                               const std::vector<std::string>& args,
                               const lang::EvalLimits& limits);

}  // namespace weft::workspace
