// Running a server in the foreground until SIGINT or SIGTERM (`weft serve`,
// `weft daemon run`).
#pragma once

#include <functional>

#include "core/error.h"

namespace weft::cli {

// Blocks SIGINT and SIGTERM in this thread, so every thread started after it
// inherits the block and none of them is interrupted. Call before starting one.
void BlockStopSignals();
// Runs `run` (it returns when `stop` is called, or on its own failure) while one
// thread waits for SIGINT or SIGTERM and then calls `stop`. REQUIRES:
// BlockStopSignals was called first.
Status RunUntilStopSignal(const std::function<Status()>& run, const std::function<void()>& stop);

}  // namespace weft::cli
