// Running weft code against the current branch, staged definitions included.
#pragma once

#include <string>
#include <vector>

#include "lang/evaluator.h"
#include "store/store.h"

namespace weft::workspace {

struct EvalResult {
  std::string text;  // the value as weft source (lang/evaluator.h, FormatValue)
  // The value as JSON text where it maps (workspace/value_json.h); empty otherwise.
  std::string json;
  std::string type;
  std::uint64_t steps = 0;
};

// What to evaluate, parsed: checked before any store is opened, so a typo is
// reported as one whether or not the store is there.
struct Evaluation {
  lang::ExprPtr expr;
  std::string callee;  // for a call: the name that must be bound
};
// An expression as a person typed it (`weft eval`).
Result<Evaluation> ParseEvaluation(const std::string& text);
// A call of the function `name` with arguments that are each one weft expression
// (`weft run`).
Result<Evaluation> ParseCall(const std::string& name, const std::vector<std::string>& args);

// Resolves the expression against the current branch (staged edits included) and
// evaluates it; a call's callee must be bound (else kNotFound). The evaluation,
// the printing and every value live and die on the evaluation thread's large
// stack. REQUIRES: limits.max_depth <= lang::kMaxEvalDepth.
Result<EvalResult> Evaluate(Store& store, const Evaluation& what, const lang::EvalLimits& limits);

// The same on `branch` as committed, without staged edits (a peer's request to run
// code here: docs/design/daemon.md). kNotFound when there is no such branch.
Result<EvalResult> EvaluateCommitted(Store& store, const Evaluation& what,
                                     const lang::EvalLimits& limits, const std::string& branch);

// ParseEvaluation or ParseCall, then Evaluate.
Result<EvalResult> EvaluateText(Store& store, const std::string& text,
                                const lang::EvalLimits& limits);
Result<EvalResult> RunFunction(Store& store, const std::string& name,
                               const std::vector<std::string>& args,
                               const lang::EvalLimits& limits);

}  // namespace weft::workspace
