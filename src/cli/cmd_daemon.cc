// weft daemon run|start|stop|status|logs|install|uninstall
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli/context.h"
#include "cli/stop_signals.h"
#include "daemon/control.h"
#include "daemon/daemon.h"
#include "daemon/service.h"
#include "web/dashboard.h"
#include "workspace/sync_events.h"

namespace weft::cli {
namespace {

struct RunOptions {
  std::string listen;  // empty: the server's default
  bool tls = false;
  bool no_tls = false;
  std::string trust = "devices";
  std::size_t max_sessions = 16;
  double floor_s = 2;
  double ceiling_s = 60;
  bool quiet = false;
  bool verbose = false;
};

// The same options, as `weft daemon run` takes them (for start).
std::vector<std::string> RunArgs(const RunOptions& o) {
  std::vector<std::string> args;
  if (!o.listen.empty()) args.insert(args.end(), {"--listen", o.listen});
  if (o.tls) args.push_back("--tls");
  if (o.no_tls) args.push_back("--no-tls");
  if (o.trust != "devices") args.insert(args.end(), {"--trust", o.trust});
  if (o.max_sessions != 16)
    args.insert(args.end(), {"--max-sessions", std::to_string(o.max_sessions)});
  if (o.floor_s != 2) args.insert(args.end(), {"--backoff-floor", fmt::format("{:g}", o.floor_s)});
  if (o.ceiling_s != 60) {
    args.insert(args.end(), {"--backoff-ceiling", fmt::format("{:g}", o.ceiling_s)});
  }
  if (o.quiet) args.push_back("--quiet");
  if (o.verbose) args.push_back("--verbose");
  return args;
}

void AddRunOptions(CLI::App* cmd, RunOptions& o) {
  cmd->add_option("--listen", o.listen, "HOST:PORT to serve peers on (default 127.0.0.1:7420)");
  auto* tls =
      cmd->add_flag("--tls", o.tls, "mutual TLS with device ids (the default off loopback)");
  cmd->add_flag("--no-tls", o.no_tls, "plain HTTP; only on a loopback address")->excludes(tls);
  cmd->add_option("--trust", o.trust, "devices (registered device ids) or tailnet")
      ->check(CLI::IsMember({"devices", "tailnet"}));
  cmd->add_option("--max-sessions", o.max_sessions, "sync sessions at once (default 16)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--backoff-floor", o.floor_s,
                  "seconds between syncs with a peer right after a change (default 2)")
      ->check(CLI::Range(0.05, 3600.0));
  cmd->add_option("--backoff-ceiling", o.ceiling_s,
                  "the longest wait between syncs while nothing changes (default 60)")
      ->check(CLI::Range(0.05, 86400.0));
  auto* quiet = cmd->add_flag("--quiet", o.quiet, "log only failures");
  cmd->add_flag("--verbose", o.verbose, "also log every sync session opened and closed")
      ->excludes(quiet);
}

Result<std::string> AbsoluteStoreDir(Context& ctx) {
  WEFT_ASSIGN_OR_RETURN(std::string dir, ctx.StoreDir());
  return std::filesystem::absolute(dir).lexically_normal().string();
}

Result<std::string> ThisExecutable() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return Fail(ErrorCode::kIo, "cannot find the weft binary: {}", ec.message());
  return exe.string();
}

void LogLine(const std::string& line) {
  std::cerr << IsoFromMillis(SystemMillis(), true) << " " << line << std::endl;
}

Status Run(Context& ctx, const RunOptions& o) {
  WEFT_ASSIGN_OR_RETURN(std::string dir, AbsoluteStoreDir(ctx));
  daemon::DaemonOptions d;
  d.store_dir = dir;
  if (!o.listen.empty()) d.serve.listen = o.listen;
  if (o.tls) d.serve.tls = true;
  if (o.no_tls) d.serve.tls = false;
  d.serve.trust = o.trust == "tailnet" ? net::Trust::kTailnet : net::Trust::kDevices;
  d.serve.max_sessions = o.max_sessions;
  d.serve.busy_timeout = std::chrono::milliseconds(static_cast<long>(ctx.busy_timeout_s * 1000));
  web::AddDashboard(d.serve, dir);
  d.floor = std::chrono::milliseconds(static_cast<long>(o.floor_s * 1000));
  d.ceiling = std::chrono::milliseconds(static_cast<long>(std::max(o.ceiling_s, o.floor_s) * 1000));
  // A session opening and closing is routine for a daemon (one per cycle, every
  // 2 to 60 s per peer): logged with --verbose only, so the log grows with what
  // happened, not with time.
  d.log = [quiet = o.quiet, verbose = o.verbose](const std::string& line) {
    const bool routine =
        line.starts_with("session ") &&
        (line.ends_with(" opened") || line.ends_with("(closed)") || line.ends_with("(idle)"));
    const bool failure =
        line.find("fail") != std::string::npos || line.find("cannot") != std::string::npos;
    if (verbose || failure || (!quiet && !routine)) LogLine(line);
  };
  BlockStopSignals();
  WEFT_ASSIGN_OR_RETURN(auto running, daemon::Daemon::Start(d));
  LogLine(fmt::format("daemon started (pid {}): serving {} as device {}, store {}",
                      running->info().pid, running->info().url, running->info().device_id, dir));
  Status ran = RunUntilStopSignal([&] { return running->Run(); }, [&] { running->Stop(); });
  running->Stop();
  WEFT_TRY(ran);
  LogLine("daemon stopped");
  return {};
}

std::string Ago(std::int64_t at_ms) {
  const auto now = static_cast<std::int64_t>(SystemMillis());
  const std::int64_t s = std::max<std::int64_t>(0, (now - at_ms) / 1000);
  if (s < 120) return fmt::format("{} s ago", s);
  if (s < 7200) return fmt::format("{} min ago", s / 60);
  return fmt::format("{} h ago", s / 3600);
}

// "desktop: last sync 3 s ago (pulled 1), last error 2 min ago: …"
std::string PeerLine(const PeerSyncSummary& s) {
  std::string line = s.peer + ": ";
  if (s.last_success) {
    line += fmt::format("last sync {} (pulled {}, pushed {})", Ago(s.last_success->at_ms),
                        s.last_success->pulled, s.last_success->pushed);
  } else {
    line += "never synced";
  }
  if (s.last_error && (!s.last_success || s.last_error->id > s.last_success->id)) {
    line += fmt::format("; last error {}: {}", Ago(s.last_error->at_ms), s.last_error->error);
  }
  return line;
}

Status Status_(Context& ctx, bool json) {
  WEFT_ASSIGN_OR_RETURN(std::string dir, AbsoluteStoreDir(ctx));
  WEFT_ASSIGN_OR_RETURN(auto running, daemon::RunningDaemon(dir));
  std::vector<PeerSyncSummary> peers;
  if (auto store = ctx.Open(Store::Access::kReadOnly)) {
    WEFT_ASSIGN_OR_RETURN(peers, workspace::LastSyncs(*store));
  } else {
    return {};
  }
  if (json) {
    nlohmann::json doc = {{"running", running.has_value()},
                          {"peers", workspace::PeerSummaryJson(peers)}};
    if (running) {
      doc["pid"] = running->pid;
      doc["since"] = IsoFromMillis(static_cast<std::uint64_t>(running->started_ms));
      doc["url"] = running->url;
      doc["device_id"] = running->device_id;
    }
    PrintJson(doc);
    return {};
  }
  if (running) {
    std::cout << "daemon: running (pid " << running->pid << ") since "
              << IsoFromMillis(static_cast<std::uint64_t>(running->started_ms)) << ", serving "
              << (running->url.empty() ? "(starting)" : running->url) << "\n";
  } else {
    std::cout << "daemon: not running (start it: weft daemon start)\n";
  }
  for (const auto& s : peers) std::cout << "  " << PeerLine(s) << "\n";
  return {};
}

}  // namespace

// For `weft status`: the daemon's state and each peer's last sync.
void PrintDaemonSummary(Context& ctx, Store& store, nlohmann::json* json) {
  auto dir = AbsoluteStoreDir(ctx);
  auto running = dir ? daemon::RunningDaemon(*dir) : Result<std::optional<daemon::DaemonInfo>>();
  auto peers = workspace::LastSyncs(store);
  if (json != nullptr) {
    (*json)["daemon"] = daemon::DaemonJson(running ? *running : std::nullopt);
    (*json)["peers"] = peers ? workspace::PeerSummaryJson(*peers) : nlohmann::json::array();
    return;
  }
  if (running && *running) {
    std::cout << "daemon:   running (pid " << (*running)->pid << ") since "
              << IsoFromMillis(static_cast<std::uint64_t>((*running)->started_ms)) << ", serving "
              << (*running)->url << "\n";
  } else {
    std::cout << "daemon:   not running\n";
  }
  if (peers) {
    for (const auto& s : *peers) std::cout << "peer:     " << PeerLine(s) << "\n";
  }
}

void RegisterDaemonCommands(CLI::App& app, Context& ctx) {
  auto* daemon = app.add_subcommand(
      "daemon", "the always-on daemon: serves peers and keeps them in sync by itself");
  daemon->require_subcommand(1);

  auto run_opts = std::make_shared<RunOptions>();
  auto* run = daemon->add_subcommand("run", "run the daemon in the foreground until stopped");
  AddRunOptions(run, *run_opts);
  run->callback([&ctx, run_opts] {
    if (auto st = Run(ctx, *run_opts); !st) ctx.Report(st.error());
  });

  auto start_opts = std::make_shared<RunOptions>();
  auto* start = daemon->add_subcommand("start", "start the daemon in the background");
  AddRunOptions(start, *start_opts);
  start->callback([&ctx, start_opts] {
    auto dir = AbsoluteStoreDir(ctx);
    auto exe = ThisExecutable();
    if (!dir || !exe) return ctx.Report(!dir ? dir.error() : exe.error());
    // A missing or foreign store is said here, in the usual words, not in a log.
    if (!ctx.Open(Store::Access::kReadOnly)) return;
    auto info = daemon::StartDetached(*exe, *dir, RunArgs(*start_opts), std::chrono::seconds(15));
    if (!info) return ctx.Report(info.error());
    std::cout << "daemon started (pid " << info->pid << "), serving " << info->url
              << "; log: " << daemon::LogPath(*dir) << "\n";
  });

  auto* stop = daemon->add_subcommand("stop", "stop the daemon running on this store");
  stop->callback([&ctx] {
    auto dir = AbsoluteStoreDir(ctx);
    if (!dir) return ctx.Report(dir.error());
    auto info = daemon::StopRunning(*dir, std::chrono::seconds(45));
    if (!info) return ctx.Report(info.error());
    std::cout << "daemon stopped (pid " << info->pid << ")\n";
  });

  auto status_json = std::make_shared<bool>(false);
  auto* status =
      daemon->add_subcommand("status", "whether the daemon runs, where, and each peer's last sync");
  status->add_flag("--json", *status_json, "print one JSON document");
  status->callback([&ctx, status_json] {
    if (auto st = Status_(ctx, *status_json); !st) ctx.Report(st.error());
  });

  auto lines = std::make_shared<std::size_t>(50);
  auto follow = std::make_shared<bool>(false);
  auto* logs = daemon->add_subcommand("logs", "print the end of the daemon's log");
  logs->add_option("-n,--lines", *lines, "how many lines (default 50)")
      ->check(CLI::Range(1, 1000000));
  logs->add_flag("-f,--follow", *follow, "keep printing what the daemon logs, until interrupted");
  logs->callback([&ctx, lines, follow] {
    auto dir = AbsoluteStoreDir(ctx);
    if (!dir) return ctx.Report(dir.error());
    auto tail = daemon::TailLog(*dir, *lines);
    if (!tail) return ctx.Report(tail.error());
    for (const auto& l : *tail) std::cout << l << "\n";
    std::cout << std::flush;
    if (!*follow) return;
    std::ifstream in(daemon::LogPath(*dir));
    in.seekg(0, std::ios::end);
    std::string line;
    while (true) {
      while (std::getline(in, line)) std::cout << line << std::endl;
      in.clear();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });

  struct InstallOptions {
    std::string listen;
    bool tls = false;
    bool boot = false;
    bool print = false;
  };
  auto inst = std::make_shared<InstallOptions>();
  auto* install = daemon->add_subcommand(
      "install", "install a systemd user unit that runs the daemon (restarted on failure)");
  install->add_option("--listen", inst->listen, "HOST:PORT for the daemon");
  install->add_flag("--tls", inst->tls, "serve with mutual TLS");
  install->add_flag("--boot", inst->boot,
                    "start it at boot, not only at login (enables lingering)");
  install->add_flag("--print", inst->print, "print the unit instead of installing it");
  install->callback([&ctx, inst] {
    auto dir = AbsoluteStoreDir(ctx);
    auto exe = ThisExecutable();
    if (!dir || !exe) return ctx.Report(!dir ? dir.error() : exe.error());
    daemon::UnitRequest r{*exe, *dir, inst->listen, inst->tls, inst->boot};
    if (inst->print) {
      auto text = daemon::UnitText(r);
      if (!text) return ctx.Report(text.error());
      std::cout << *text;
      return;
    }
    if (!ctx.Open(Store::Access::kReadOnly)) return;
    auto done = daemon::InstallUnit(r);
    if (!done) return ctx.Report(done.error());
    std::cout << "installed and started " << done->unit << " (" << done->unit_path << ")"
              << (done->lingering ? "; lingering enabled: it starts at boot" : "") << "\n";
  });
  auto* uninstall = daemon->add_subcommand("uninstall", "stop, disable and remove the unit");
  uninstall->callback([&ctx] {
    auto dir = AbsoluteStoreDir(ctx);
    if (!dir) return ctx.Report(dir.error());
    auto done = daemon::UninstallUnit(*dir);
    if (!done) return ctx.Report(done.error());
    std::cout << "removed " << done->unit << (done->lingering ? "; lingering disabled" : "")
              << "\n";
  });
}

}  // namespace weft::cli
