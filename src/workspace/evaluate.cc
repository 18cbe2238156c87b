#include "workspace/evaluate.h"

#include "fold/queries.h"
#include "lang/canonicalize.h"
#include "lang/parser.h"
#include "model/names.h"
#include "store/wip.h"
#include "workspace/item_access.h"
#include "workspace/not_bound.h"
#include "workspace/value_json.h"

namespace weft::workspace {

Result<Evaluation> ParseEvaluation(const std::string& text) {
  WEFT_ASSIGN_OR_RETURN(lang::ExprPtr expr, lang::ParseExpression(text, "<eval>"));
  return Evaluation{std::move(expr), {}};
}

Result<Evaluation> ParseCall(const std::string& name, const std::vector<std::string>& args) {
  WEFT_TRY(ValidateLocation(name));
  std::vector<lang::ExprPtr> parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    WEFT_ASSIGN_OR_RETURN(lang::ExprPtr a,
                          lang::ParseExpression(args[i], fmt::format("<argument {}>", i + 1)));
    parsed.push_back(a);
  }
  lang::ExprPtr fn = lang::MakeExpr(lang::ERef{name, {}});
  lang::ExprPtr call = parsed.empty() ? fn : lang::MakeExpr(lang::EApp{fn, std::move(parsed)});
  return Evaluation{std::move(call), name};
}

namespace {

Result<EvalResult> EvaluateOn(Store& store, const Evaluation& what, const lang::EvalLimits& limits,
                              const std::string& branch, const std::vector<Op>& staged) {
  StoreNames names(store.db(), branch, staged);
  if (!what.callee.empty()) {
    WEFT_ASSIGN_OR_RETURN(auto bound, names.Term(what.callee));
    if (!bound) {
      return std::unexpected(NotBound(store, branch, what.callee));
    }
  }
  WEFT_ASSIGN_OR_RETURN(lang::ExprPtr resolved,
                        lang::ResolveExpression(what.expr, names, "<eval>"));
  StoreItems items(store.db());
  return lang::RunWithLargeStack([&]() -> Result<EvalResult> {
    lang::Evaluator ev(items, limits);
    WEFT_ASSIGN_OR_RETURN(lang::ValuePtr v, ev.EvalExpr(resolved));
    const lang::PrintNames print = BranchPrintNames(store.db(), branch);
    auto json = ValueToJson(v, print);
    return EvalResult{
        lang::FormatValue(v, print),
        json ? json->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) : std::string(),
        lang::TypeNameOf(*v), ev.steps()};
  });
}

}  // namespace

Result<EvalResult> Evaluate(Store& store, const Evaluation& what, const lang::EvalLimits& limits) {
  WEFT_ASSIGN_OR_RETURN(std::vector<Op> staged, LoadStaged(store.db(), store.branch()));
  return EvaluateOn(store, what, limits, store.branch(), staged);
}

Result<EvalResult> EvaluateCommitted(Store& store, const Evaluation& what,
                                     const lang::EvalLimits& limits, const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(bool exists, BranchExists(store.db(), branch));
  if (!exists) return Fail(ErrorCode::kNotFound, "there is no branch {} here", branch);
  return EvaluateOn(store, what, limits, branch, {});
}

Result<EvalResult> EvaluateText(Store& store, const std::string& text,
                                const lang::EvalLimits& limits) {
  WEFT_ASSIGN_OR_RETURN(Evaluation what, ParseEvaluation(text));
  return Evaluate(store, what, limits);
}

Result<EvalResult> RunFunction(Store& store, const std::string& name,
                               const std::vector<std::string>& args,
                               const lang::EvalLimits& limits) {
  WEFT_ASSIGN_OR_RETURN(Evaluation what, ParseCall(name, args));
  return Evaluate(store, what, limits);
}

}  // namespace weft::workspace
