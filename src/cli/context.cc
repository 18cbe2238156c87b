#include "cli/context.h"

#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "cli/usage.h"
#include "fold/open.h"
#include "store/peers.h"

namespace weft::cli {

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
      return kExitNotFound;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kConflict:
      return kExitBadInput;
    case ErrorCode::kVersionMismatch:
      return kExitVersion;
    case ErrorCode::kEvaluation:
      return kExitEval;
    case ErrorCode::kUnavailable:
    case ErrorCode::kTimeout:
    case ErrorCode::kProtocol:
      return kExitNotConfirmed;
    case ErrorCode::kPermissionDenied:
      return kExitTrust;
    case ErrorCode::kMissingChanges:
      return kExitMissingChanges;
    default:
      return kExitStore;
  }
}

void Context::Report(const Error& error) {
  // One line, except the two lines of source and caret that a parse error ends
  // with (lang::WithSourceLine): "  12 | text" and "     | ^".
  const std::string& message = error.message();
  std::string line = message;
  std::string excerpt;
  if (std::size_t nl = message.find('\n'); nl != std::string::npos) {
    std::string_view rest = std::string_view(message).substr(nl + 1);
    std::size_t second = rest.find('\n');
    if (second != std::string_view::npos && rest.find('\n', second + 1) == std::string_view::npos &&
        rest.starts_with("  ") && rest.substr(0, second).find(" | ") != std::string_view::npos &&
        rest.ends_with("^")) {
      line = message.substr(0, nl);
      excerpt = std::string(rest) + "\n";
    }
  }
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::cerr << Paint(color_err, Color::kRed, "weft:") << " " << line << "\n" << excerpt;
  exit_code = ExitCodeFor(error.code());
}

Result<std::string> Context::StoreDir() const {
  if (!store_dir.empty()) return store_dir;
  return DefaultStoreDir();
}

void Context::ShowProgress() {
  if (progress_line || quiet || json || !isatty(STDERR_FILENO)) return;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return;
  progress_line = std::make_unique<ProgressLine>(meter, std::cerr);
}

void Context::Page() {
  if (pager || no_pager || json || !isatty(STDOUT_FILENO)) return;
  pager = Pager::Start(PagerCommand());
}

std::unique_ptr<Store> Context::Open(Store::Access access) {
  ShowProgress();
  auto dir = StoreDir();
  if (!dir) {
    Report(dir.error());
    return nullptr;
  }
  bool refolded = false;
  auto store = OpenStore(*dir, access, SystemMillis, &refolded,
                         std::chrono::milliseconds(std::llround(busy_timeout_s * 1000)));
  if (!store) {
    Report(store.error());
    return nullptr;
  }
  if (const auto& m = (*store)->migration()) {
    std::cerr << "weft: upgraded this store from Release " << m->from << " to " << m->to
              << " and re-folded it; the copy taken before is " << m->backup << "\n";
  } else if (refolded) {
    std::cerr << "weft: re-folded the projections, which an older weft laid out differently\n";
  }
  if ((*store)->actor_was_reminted()) {
    std::cerr << "weft: this store moved to a new host or path; it now authors as a new actor ("
              << (*store)->actor().Hex().substr(0, 8) << ")\n";
  }
  return std::move(*store);
}

void PrintJson(const nlohmann::json& doc) {
  // Display text may hold invalid UTF-8; replace it rather than throw.
  std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

int Run(int argc, char** argv) {
  // A write to a connection the other side closed (an idle keep-alive the server
  // dropped, a peer that vanished mid-answer) is an error to handle, not a signal
  // that kills the process: TLS writes do not pass MSG_NOSIGNAL.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"weft: a local-first package store for a small functional language"};
  app.name("weft");
  app.require_subcommand(0, 1);
  PrepareApp(app);
  Context ctx;
  app.add_option("--store", ctx.store_dir,
                 "store directory (default: $WEFT_HOME, $XDG_DATA_HOME/weft, ~/.local/share/weft)");
  app.add_option("--busy-timeout", ctx.busy_timeout_s,
                 "seconds to wait for another weft process to release the store before failing "
                 "with exit 4 (default 5)")
      ->check(CLI::Range(0.0, 3600.0));
  app.add_flag("--no-pager", ctx.no_pager,
               "print long output (log, diff, show, ls, find, conflicts) straight to the terminal "
               "instead of through $PAGER (default: less -FRX)");
  app.add_flag("--quiet", ctx.quiet,
               "no progress line for long work (sync, add, rebuild, fsck, upgrades); commands "
               "with --json and output that is not a terminal never show one");
  RegisterStoreCommands(app, ctx);
  RegisterHistoryCommands(app, ctx);
  RegisterNameCommands(app, ctx);
  RegisterCodeCommands(app, ctx);
  RegisterDeprecationCommands(app, ctx);
  RegisterBranchCommands(app, ctx);
  RegisterSyncCommands(app, ctx);
  RegisterServeCommands(app, ctx);
  RegisterConflictCommands(app, ctx);
  RegisterDaemonCommands(app, ctx);
  RegisterFsckCommands(app, ctx);
  RegisterDiffCommand(app, ctx);
  RegisterFindCommand(app, ctx);
  RegisterEditCommand(app, ctx);
  RegisterHubCommands(app, ctx);
  RegisterCompletionCommand(app, ctx);
  RegisterHelpCommand(app, ctx.exit_code);
  std::vector<std::string> args = HoistGlobalOptions(app, argc, argv);
  for (const std::string& a : args) {
    if (a == "--") break;
    if (a == "--json") ctx.json = true;
  }
  progress::Watch watch(&ctx.meter);
  ctx.color = !ctx.json && ColorFor(STDOUT_FILENO);
  ctx.color_err = ColorFor(STDERR_FILENO);
  std::vector<char*> hoisted;
  for (std::string& a : args) hoisted.push_back(a.data());
  if (auto unknown = UnknownCommand(app, static_cast<int>(hoisted.size()), hoisted.data())) {
    std::cerr << "weft: " << *unknown << "\n";
    return kExitUsage;
  }
  try {
    app.parse(static_cast<int>(hoisted.size()), hoisted.data());
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "weft: " << ExplainParseError(app, e) << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "weft: unexpected failure: " << e.what() << "\n";
    return kExitStore;
  }
  if (app.get_subcommands().empty()) {
    std::cerr << "weft: give a command (see `weft --help`)\n";
    return kExitUsage;
  }
  return ctx.exit_code;
}

}  // namespace weft::cli
