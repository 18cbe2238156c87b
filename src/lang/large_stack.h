// Evaluation runs on a thread of its own with a large stack, so that the depth
// limit (EvalLimits::max_depth), not the C++ stack, is what stops deep recursion.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>

#include "core/error.h"

namespace weft::lang {

// Evaluation runs on a thread with this stack (RunOnLargeStack). The deepest
// nesting it holds was measured at about 1.4 KiB per level on the heaviest path
// (a non-tail self call), so depth is capped well inside it.
#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer's frames are several times larger (redzones): the same depth
// limit needs a larger stack. Address space only; pages are touched as used.
inline constexpr std::size_t kEvalStackBytes = std::size_t{4} << 30;
#else
inline constexpr std::size_t kEvalStackBytes = std::size_t{512} << 20;
#endif

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

}  // namespace weft::lang
