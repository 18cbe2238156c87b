// The evaluator: a tree-walking interpreter over the canonical form.
//
// References are followed by item hash through an ItemLoader, so an item
// evaluates the same on every instance that holds it, whatever names are bound
// there. Evaluation is strict. Every failure is a typed runtime error (an Error
// with code kEvaluation and a message naming the kind); none crashes the process:
// steps and nesting depth are bounded, and evaluation runs on a thread with a
// large stack so the depth limit, not the C++ stack, is what stops deep recursion.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "core/error.h"
#include "lang/ast.h"
#include "lang/canonical_codec.h"
#include "lang/printer.h"
#include "lang/value.h"

namespace weft::lang {

struct StoredItem {
  DefKind kind;
  std::vector<Digest> refs;
  Bytes body;
  Bytes display;
};

class ItemLoader {
 public:
  virtual ~ItemLoader() = default;
  virtual Result<std::optional<StoredItem>> Load(const Digest& item) = 0;
};

// Evaluation runs on a thread with this stack (RunOnLargeStack). The deepest
// nesting it holds was measured at about 1.4 KiB per level on the heaviest path
// (a non-tail self call), so depth is capped well inside it.
inline constexpr std::size_t kEvalStackBytes = std::size_t{512} << 20;
inline constexpr std::uint32_t kMaxEvalDepth = 100'000;

struct EvalLimits {
  std::uint64_t max_steps = 50'000'000;
  std::uint32_t max_depth = 20'000;               // at most kMaxEvalDepth
  std::size_t max_memory = std::size_t{1} << 30;  // live bytes of values (lang/memory.h)
};

// The kinds of runtime error, named at the start of each message.
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
};
const char* RuntimeErrorName(RuntimeError kind);

struct LoadedComponent {
  Component component;
  std::vector<Digest> refs;
  std::size_t self = 0;
  mutable std::vector<ValuePtr> values;  // cached member values
};

class Evaluator {
 public:
  // REQUIRES: limits.max_depth <= kMaxEvalDepth (callers check what a person typed).
  Evaluator(ItemLoader& loader, EvalLimits limits)
      : loader_(loader), limits_(limits), meter_(limits.max_memory) {}

  // The value of a stored item: a function for `fn`, the evaluated body for `val`.
  Result<ValuePtr> EvalItem(const Digest& item);
  // Evaluates a resolved expression (see ResolveExpression).
  Result<ValuePtr> EvalExpr(const ExprPtr& expr);
  // Applies a value to arguments (for callers outside an evaluation).
  Result<ValuePtr> Call(const ValuePtr& fn, std::vector<ValuePtr> args);

  std::uint64_t steps() const { return steps_; }
  const MemoryMeter& meter() const { return meter_; }

 private:
  friend class BuiltinCaller;
  Result<ValuePtr> Apply(const ValuePtr& fn, std::vector<ValuePtr> args);
  Result<ValuePtr> Eval(const ExprPtr& e, const EnvPtr& env,
                        const std::shared_ptr<const LoadedComponent>& comp);
  Result<ValuePtr> Binary(const EBinary& b, const EnvPtr& env,
                          const std::shared_ptr<const LoadedComponent>& comp);
  Result<ValuePtr> Member(const std::shared_ptr<const LoadedComponent>& comp, std::size_t index);
  Result<std::shared_ptr<const LoadedComponent>> LoadComponent(const Digest& item);
  Result<ValuePtr> Constructor(const Target& type, std::uint32_t case_index);
  Result<bool> Match(const Pattern& p, const ValuePtr& v, std::vector<ValuePtr>& bound);
  Result<bool> Equal(const ValuePtr& a, const ValuePtr& b);

  ItemLoader& loader_;
  EvalLimits limits_;
  std::uint64_t steps_ = 0;
  std::uint32_t depth_ = 0;
  MemoryMeter meter_;
  std::map<Digest, std::shared_ptr<const LoadedComponent>> components_;
};

std::unexpected<weft::Error> RuntimeFail(RuntimeError kind, const std::string& message);

// Runs `fn` on a thread with a kEvalStackBytes stack and waits for it. Everything
// an evaluation makes should be made, printed and freed inside `fn`: values can
// nest deeper than an ordinary stack unwinds. Fails when no such thread could be
// started, or when `fn` ran out of memory (std::bad_alloc, caught at the edge).
Status RunOnLargeStack(const std::function<void()>& fn);

// RunOnLargeStack for a function that returns a Result.
template <typename F>
auto RunWithLargeStack(F&& fn) -> decltype(fn()) {
  std::optional<decltype(fn())> out;
  WEFT_TRY(RunOnLargeStack([&] { out.emplace(fn()); }));
  return std::move(*out);
}

// Shows a value as weft source where possible (`<function>` otherwise).
std::string FormatValue(const ValuePtr& v, const PrintNames& names);
// A Float as weft prints it: shortest text that reads back, `nan`, `inf`, `-inf`.
std::string FormatFloat(double v);

}  // namespace weft::lang
