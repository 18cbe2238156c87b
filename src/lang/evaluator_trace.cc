// The call trace of a runtime error (evaluator.h): which function failed and
// which called it, one line, with runs of one function (recursion) collapsed.
#include <fmt/format.h>

#include "lang/evaluator.h"

namespace weft::lang {

namespace {

constexpr std::size_t kTraceEntries = 5;  // distinct entries shown before "… more"

}  // namespace

const std::string* Evaluator::FunctionName(const VClosure& c) {
  if (!c.component) return nullptr;
  for (const auto& m : c.component->component.members) {
    if (m.body == c.lambda) return &m.name;
  }
  return nullptr;
}

void Evaluator::NoteFailure() {
  if (failure_frames_) return;
  // Innermost first: the function that failed, then its callers.
  failure_frames_.emplace(frames_.rbegin(), frames_.rend());
}

Result<ValuePtr> Evaluator::Traced(Result<ValuePtr> r) {
  std::optional<std::vector<const std::string*>> frames;
  frames.swap(failure_frames_);
  if (r || !frames || frames->empty() || r.error().code() != ErrorCode::kEvaluation) return r;
  std::string trace;
  std::size_t shown = 0;
  for (std::size_t i = 0; i < frames->size();) {
    std::size_t run = 1;
    while (i + run < frames->size() && (*frames)[i + run] == (*frames)[i]) ++run;
    if (shown == kTraceEntries) {
      trace += fmt::format(", … {} more call(s)", frames->size() - i);
      break;
    }
    const std::string* name = (*frames)[i];
    trace += fmt::format("{}{}{}", shown == 0 ? " (in " : ", called from ",
                         name && !name->empty() ? *name : std::string("a lambda"),
                         run > 1 ? fmt::format(" ×{}", run) : std::string());
    ++shown;
    i += run;
  }
  trace += ")";
  return std::unexpected(weft::Error(r.error().code(), r.error().message() + trace));
}

}  // namespace weft::lang
