// What every CLI command shares: global options, opening the store, printing
// errors as one line, and mapping errors to documented exit codes.
//
// Exit codes (README): 0 ok, 1 usage, 2 not found, 3 bad input or refused request,
// 4 store error, 5 version mismatch, 6 evaluation error, 7 sync not confirmed,
// 8 trust: a peer refused this device, or is not the device registered for it,
// 9 a peer did not come to hold the changes a request to run code there needs.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/progress_line.h"
#include "cli/terminal.h"
#include "core/error.h"
#include "core/progress.h"
#include "store/store.h"
#include "store/sync_events.h"
#include "workspace/documents.h"
#include "workspace/labels.h"

namespace weft::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,
  kExitNotFound = 2,
  kExitBadInput = 3,
  kExitStore = 4,
  kExitVersion = 5,
  kExitEval = 6,
  kExitNotConfirmed = 7,
  kExitTrust = 8,
  kExitMissingChanges = 9,
};

struct Context {
  std::string store_dir;  // --store; empty means the default location
  double busy_timeout_s = kDefaultBusyTimeout.count() / 1000.0;  // --busy-timeout
  bool quiet = false;                                            // --quiet: no progress line
  bool json = false;       // the command line asks for --json: no progress line either
  bool no_pager = false;   // --no-pager
  bool color = false;      // stdout gets colour (cli/terminal.h), decided before any pager
  bool color_err = false;  // stderr gets colour
  int exit_code = kExitOk;
  // What long work on this thread reaches; drawn on a terminal from the first
  // Open() on (the progress line).
  progress::Meter meter;
  std::unique_ptr<ProgressLine> progress_line;
  // Declared last: destroyed first, so the output is complete before the pager
  // is waited for.
  std::unique_ptr<Pager> pager;

  // Opens the store; on failure prints the error and records the exit code.
  std::unique_ptr<Store> Open(Store::Access access = Store::Access::kReadWrite);
  // Prints `error` as one line on stderr and records its exit code.
  void Report(const Error& error);
  Result<std::string> StoreDir() const;
  // Starts the progress line when stderr is a terminal (not TERM=dumb) and
  // neither --quiet nor --json was given; idempotent.
  void ShowProgress();
  // Sends the rest of stdout through the pager when stdout is a terminal and
  // neither --no-pager nor --json was given; for commands whose output runs long.
  void Page();
};

int ExitCodeFor(ErrorCode code);
// Prints a JSON document on stdout, followed by a newline.
void PrintJson(const nlohmann::json& doc);

using workspace::HexList;
// Short forms separated by spaces, or `empty` when there are none.
template <typename H>
std::string ShortList(const std::vector<H>& hashes, std::string_view empty = "(none)") {
  if (hashes.empty()) return std::string(empty);
  std::string out;
  for (const auto& h : hashes) out += (out.empty() ? "" : " ") + h.Short();
  return out;
}

using workspace::AuthorLabel;

// Each file registers its commands.
void RegisterStoreCommands(CLI::App& app, Context& ctx);        // init, status, rebuild
void RegisterHistoryCommands(CLI::App& app, Context& ctx);      // log, commit, discard
void RegisterNameCommands(CLI::App& app, Context& ctx);         // ls, show, rm, mv
void RegisterCodeCommands(CLI::App& app, Context& ctx);         // add, eval, run
void RegisterDeprecationCommands(CLI::App& app, Context& ctx);  // deprecate, undeprecate
void RegisterBranchCommands(CLI::App& app, Context& ctx);       // branch
void RegisterSyncCommands(CLI::App& app, Context& ctx);         // peer, sync
void RegisterServeCommands(CLI::App& app, Context& ctx);        // serve, id
void RegisterConflictCommands(CLI::App& app, Context& ctx);     // conflicts
void RegisterDaemonCommands(CLI::App& app, Context& ctx);       // daemon
void RegisterFsckCommands(CLI::App& app, Context& ctx);         // fsck
void RegisterDiffCommand(CLI::App& app, Context& ctx);          // diff
void RegisterFindCommand(CLI::App& app, Context& ctx);          // find
void RegisterEditCommand(CLI::App& app, Context& ctx);          // edit
void RegisterHubCommands(CLI::App& app, Context& ctx);          // hub
void RegisterCompletionCommand(CLI::App& app, Context& ctx);    // completion (register last)
// For `weft status`: the daemon's state and each peer's last sync (into `json`
// when given, else printed).
void PrintDaemonSummary(Context& ctx, Store& store, nlohmann::json* json);

int Run(int argc, char** argv);

}  // namespace weft::cli
