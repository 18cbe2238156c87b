// The forward-only registry of Release steps (docs/design/stable.md).
//
// Each step takes a store from Release `to - 1` to Release `to`, inside the
// migration's one write transaction (store/migrate.h). A step is either
//  - durable: copy-and-swap SQL on canonical tables, optionally re-encoding rows
//    with every hash kept; the projections are re-folded afterwards; or
//  - a clean break: the canonical log is kept and whatever cannot be carried is
//    dropped, to be fetched again from a peer on the new Release.
// Steps are never edited once released: a fix is a new Release.
#pragma once

#include <cstdint>
#include <span>

#include "store/sqlite.h"

namespace weft {

enum class StepKind { kDurable, kCleanBreak };

struct ReleaseStep {
  std::int64_t to;  // the Release this step produces
  StepKind kind;
  const char* what;  // one line, for the upgrade report and the docs
  Status (*apply)(Db& db);
};

// Every step, ascending by `to`; the last one's `to` is kRelease.
std::span<const ReleaseStep> ReleaseSteps();

}  // namespace weft
