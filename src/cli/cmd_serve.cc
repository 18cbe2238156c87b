// weft serve [--listen HOST:PORT] [--tls|--no-tls] [--trust devices|tailnet] · weft id
#include <iostream>

#include "cli/context.h"
#include "cli/stop_signals.h"
#include "web/dashboard.h"
#include "workspace/dashboard_login.h"
#include "workspace/instance.h"
#include "workspace/serve.h"

namespace weft::cli {
namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:7420";
  bool tls = false;
  bool no_tls = false;
  std::string trust = "devices";
  std::size_t max_sessions = 16;
  bool quiet = false;
  bool no_dashboard = false;
};

Status Serve(Context& ctx, const ServeOptions& opts) {
  auto dir = ctx.StoreDir();
  if (!dir) return Fail(dir.error());
  workspace::ServeRequest request;
  request.listen = opts.listen;
  if (opts.tls) request.tls = true;
  if (opts.no_tls) request.tls = false;
  request.trust = opts.trust == "tailnet" ? net::Trust::kTailnet : net::Trust::kDevices;
  request.max_sessions = opts.max_sessions;
  request.busy_timeout = std::chrono::milliseconds(static_cast<long>(ctx.busy_timeout_s * 1000));
  if (!opts.quiet)
    request.log = [](const std::string& line) { std::cerr << "serve: " << line << "\n"; };
  if (!opts.no_dashboard) web::AddDashboard(request, *dir);
  BlockStopSignals();
  WEFT_ASSIGN_OR_RETURN(auto server, workspace::StartServer(*dir, request));
  std::cout << "serving at " << server->url() << " (device id " << server->device_id() << ")"
            << std::endl;
  if (!opts.no_dashboard) std::cout << "dashboard at " << server->url() << "/" << std::endl;
  Status ran = RunUntilStopSignal([&] { return server->Run(); }, [&] { server->Stop(); });
  WEFT_TRY(ran);
  if (!opts.quiet) std::cerr << "serve: stopped\n";
  return {};
}

}  // namespace

void RegisterServeCommands(CLI::App& app, Context& ctx) {
  auto* serve = app.add_subcommand("serve", "serve this store to peers over HTTP until stopped");
  auto opts = std::make_shared<ServeOptions>();
  serve->add_option("--listen", opts->listen, "HOST:PORT to listen on (default 127.0.0.1:7420)");
  auto* tls =
      serve->add_flag("--tls", opts->tls, "mutual TLS with device ids (the default off loopback)");
  serve->add_flag("--no-tls", opts->no_tls, "plain HTTP; only on a loopback address")
      ->excludes(tls);
  serve
      ->add_option("--trust", opts->trust,
                   "devices (registered device ids) or tailnet (behind tailscale serve)")
      ->check(CLI::IsMember({"devices", "tailnet"}));
  serve->add_option("--max-sessions", opts->max_sessions, "sync sessions at once (default 16)")
      ->check(CLI::Range(1, 256));
  serve->add_flag("--quiet", opts->quiet, "do not log sessions and refusals on stderr");
  serve->add_flag("--no-dashboard", opts->no_dashboard, "serve peers only, no dashboard at /");
  serve->callback([&ctx, opts] {
    if (auto st = Serve(ctx, *opts); !st) ctx.Report(st.error());
  });

  auto* dashboard = app.add_subcommand("dashboard", "the web dashboard that serve shows at /");
  dashboard->require_subcommand(1);
  auto* token = dashboard->add_subcommand(
      "token",
      "print a new login token for the dashboard from another machine (the old one stops)");
  auto token_json = std::make_shared<bool>(false);
  token->add_flag("--json", *token_json, "print one JSON document");
  token->callback([&ctx, token_json] {
    auto store = ctx.Open();
    if (!store) return;
    auto made = workspace::NewDashboardToken(*store);
    if (!made) return ctx.Report(made.error());
    if (*token_json) return PrintJson({{"token", *made}});
    std::cout << *made << "\n";
    if (!ctx.quiet) {
      std::cerr << "enter it on the dashboard's login page (weft serve --tls shows the address); "
                   "the browser keeps it in a cookie, and a new token retires this one\n";
    }
  });

  auto* id = app.add_subcommand("id", "print this instance's device id");
  auto id_json = std::make_shared<bool>(false);
  id->add_flag("--json", *id_json, "print one JSON document");
  id->callback([&ctx, id_json] {
    auto store = ctx.Open();
    if (!store) return;
    auto device = workspace::DeviceIdOf(*store);
    if (!device) return ctx.Report(device.error());
    if (*id_json) {
      return PrintJson({{"device_id", *device},
                        {"instance", store->instance_name()},
                        {"actor", store->actor().Hex()}});
    }
    std::cout << *device << "\n";
  });
}

}  // namespace weft::cli
