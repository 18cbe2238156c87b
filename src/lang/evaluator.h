// The evaluator: a tree-walking interpreter over the canonical form.
//
// References are followed by item hash through an ItemLoader, so an item
// evaluates the same on every instance that holds it, whatever names are bound
// there. Evaluation is strict, with proper tail calls (a loop written as tail
// recursion runs in constant stack and memory). Every failure is a typed runtime error (an Error
// with code kEvaluation and a message naming the kind); none crashes the process:
// steps and nesting depth are bounded, and evaluation runs on a thread with a
// large stack so the depth limit, not the C++ stack, is what stops deep recursion.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "core/error.h"
#include "lang/ast.h"
#include "lang/canonical_codec.h"
#include "lang/large_stack.h"
#include "lang/printer.h"
#include "lang/runtime_error.h"
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

inline constexpr std::uint32_t kMaxEvalDepth = 100'000;

struct EvalLimits {
  std::uint64_t max_steps = 50'000'000;
  std::uint32_t max_depth = 20'000;               // at most kMaxEvalDepth
  std::size_t max_memory = std::size_t{1} << 30;  // live bytes of values (lang/memory.h)
  // Wall-clock budget from the start of the evaluation; zero: none.
  std::chrono::milliseconds max_time{0};
};

struct LoadedComponent {
  Component component;
  std::vector<Digest> refs;
  std::size_t self = 0;
  mutable std::vector<ValuePtr> values;  // cached member values
};

class Evaluator : private Applier {
 public:
  // REQUIRES: limits.max_depth <= kMaxEvalDepth (callers check what a person typed).
  Evaluator(ItemLoader& loader, EvalLimits limits)
      : loader_(loader), limits_(limits), meter_(limits.max_memory) {}
  // Empties each component's cache of member values: a recursive function's value
  // refers to its component, so the cache and the component would keep each
  // other alive (a leak ASan found). Values handed out stay valid.
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // The value of a stored item: a function for `fn`, the evaluated body for `val`.
  Result<ValuePtr> EvalItem(const Digest& item);
  // Evaluates a resolved expression (see ResolveExpression).
  Result<ValuePtr> EvalExpr(const ExprPtr& expr);
  // Applies a value to arguments (for callers outside an evaluation).
  Result<ValuePtr> Call(const ValuePtr& fn, std::vector<ValuePtr> args);

  std::uint64_t steps() const { return steps_; }
  const MemoryMeter& meter() const { return meter_; }

 private:
  Result<ValuePtr> Apply(const ValuePtr& fn, std::vector<ValuePtr> args) override;
  Result<ValuePtr> ItemValue(const Digest& item);
  Result<ValuePtr> Eval(const ExprPtr& e, const EnvPtr& env,
                        const std::shared_ptr<const LoadedComponent>& comp);
  Result<ValuePtr> EvalTail(const ExprPtr& e, const EnvPtr& env,
                            const std::shared_ptr<const LoadedComponent>& comp, std::size_t base);
  Result<ValuePtr> EvalNode(const Expr& e, const EnvPtr& env,
                            const std::shared_ptr<const LoadedComponent>& comp);
  // The call trace (evaluator_trace.cc): the name of a closure's function, or null
  // for a lambda; the frames at the first failure; the failure's message with them.
  static const std::string* FunctionName(const VClosure& c);
  void NoteFailure();
  Result<ValuePtr> Traced(Result<ValuePtr> r);
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
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::uint32_t depth_ = 0;
  MemoryMeter meter_;
  std::map<Digest, std::shared_ptr<const LoadedComponent>> components_;
  // The functions being called, outermost first; a tail call replaces its frame.
  std::vector<const std::string*> frames_;
  std::optional<std::vector<const std::string*>> failure_frames_;
};

// Shows a value as weft source where possible (`<function>` otherwise).
std::string FormatValue(const ValuePtr& v, const PrintNames& names);
// A Float as weft prints it: shortest text that reads back, `nan`, `inf`, `-inf`.
std::string FormatFloat(double v);

}  // namespace weft::lang
