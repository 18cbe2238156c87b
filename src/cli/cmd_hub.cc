// weft hub serve|migrate · weft hub tenant create|ls|new-epoch · weft hub token
// create|ls|revoke: the hub (docs/design/hub.md). Every command takes --db URL
// (or WEFT_HUB_DB), a libpq connection string or postgresql:// URI.
#include <cstdlib>
#include <iostream>

#include "cli/context.h"
#include "cli/stop_signals.h"
#include "hub/hub_server.h"
#include "hub/schema.h"
#include "hub/tenants.h"
#include "net/listen_address.h"

namespace weft::cli {
namespace {

struct HubArgs {
  std::string db;
  std::string listen = "127.0.0.1:7443";
  std::string cert, key;
  std::size_t db_connections = 8;
  std::size_t max_long_polls = 512;
  bool quiet = false;
  std::string name, tenant, device, scope = "write";
  std::int64_t quota = hub::kDefaultQuotaBytes;
  std::int64_t token_id = 0;
  bool json = false;
};

// --db, else $WEFT_HUB_DB.
Result<std::string> DbUrl(const HubArgs& a) {
  std::string url = a.db;
  if (url.empty()) {
    const char* env = std::getenv("WEFT_HUB_DB");
    if (env != nullptr) url = env;
  }
  if (url.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "say which database: --db postgresql://… (or set WEFT_HUB_DB)");
  }
  return url;
}

Result<hub::PgConn> Connect(const HubArgs& a) {
  WEFT_ASSIGN_OR_RETURN(std::string url, DbUrl(a));
  return hub::PgConn::Connect(url);
}

Result<hub::PgConn> ConnectChecked(const HubArgs& a) {
  WEFT_ASSIGN_OR_RETURN(hub::PgConn c, Connect(a));
  WEFT_TRY(hub::CheckSchema(c));
  return c;
}

Status Serve(const HubArgs& a) {
  WEFT_ASSIGN_OR_RETURN(hub::PgConn probe, Connect(a));  // says which database is unreachable
  WEFT_ASSIGN_OR_RETURN(net::ListenAddress at, net::ParseListen(a.listen));
  hub::HubOptions o;
  WEFT_ASSIGN_OR_RETURN(o.db_url, DbUrl(a));
  o.host = at.host;
  o.port = at.port;
  o.cert_file = a.cert;
  o.key_file = a.key;
  o.db_connections = a.db_connections;
  o.max_long_polls = a.max_long_polls;
  if (!a.quiet) o.log = [](const std::string& line) { std::cerr << "hub: " << line << "\n"; };
  BlockStopSignals();
  WEFT_ASSIGN_OR_RETURN(auto server, hub::HubServer::Start(o));
  std::cout << "hub serving at " << server->url() << std::endl;
  WEFT_TRY(RunUntilStopSignal([&] { return server->Run(); }, [&] { server->Stop(); }));
  if (!a.quiet) std::cerr << "hub: stopped\n";
  return {};
}

nlohmann::json TokenJson(const hub::TokenInfo& t) {
  return {{"id", t.id},           {"tenant", t.tenant},
          {"device", t.device},   {"scope", hub::ScopeName(t.scope)},
          {"created", t.created}, {"revoked", t.revoked}};
}

nlohmann::json TenantJson(const hub::Tenant& t) {
  return {{"name", t.name},
          {"epoch", t.epoch},
          {"changes", t.latest},
          {"bytes_used", t.bytes_used},
          {"quota_bytes", t.quota_bytes}};
}

// Runs `body` and reports its error, if any.
template <typename F>
auto Reporting(Context& ctx, F body) {
  return [&ctx, body] {
    if (Status st = body(); !st) ctx.Report(st.error());
  };
}

}  // namespace

void RegisterHubCommands(CLI::App& app, Context& ctx) {
  auto* hubcmd = app.add_subcommand(
      "hub", "the hub: a store-and-forward server on PostgreSQL for devices and teams");
  hubcmd->require_subcommand(1);
  auto a = std::make_shared<HubArgs>();
  auto db = [a](CLI::App* c) {
    c->add_option("--db", a->db, "the hub's PostgreSQL database (default: $WEFT_HUB_DB)");
  };

  auto* serve = hubcmd->add_subcommand("serve", "serve the hub over HTTP until stopped");
  db(serve);
  serve->add_option("--listen", a->listen, "HOST:PORT to listen on (default 127.0.0.1:7443)");
  serve->add_option("--cert", a->cert, "TLS certificate (PEM); needed off loopback");
  serve->add_option("--key", a->key, "TLS private key (PEM)");
  serve->add_option("--db-connections", a->db_connections, "database connections (default 8)")
      ->check(CLI::Range(1, 64));
  serve->add_option("--max-long-polls", a->max_long_polls, "long-polls held at once (default 512)")
      ->check(CLI::Range(1, 10000));
  serve->add_flag("--quiet", a->quiet, "do not log on stderr");
  serve->callback(Reporting(ctx, [a] { return Serve(*a); }));

  auto* migrate = hubcmd->add_subcommand("migrate", "create or upgrade the hub's schema");
  db(migrate);
  migrate->callback(Reporting(ctx, [a]() -> Status {
    WEFT_ASSIGN_OR_RETURN(hub::PgConn c, Connect(*a));
    WEFT_ASSIGN_OR_RETURN(hub::MigrateReport r, hub::Migrate(c));
    if (r.from == r.to) {
      std::cout << "the hub's schema is at " << r.to << " already\n";
    } else {
      std::cout << "migrated the hub's schema from " << r.from << " to " << r.to << "\n";
    }
    return {};
  }));

  auto* tenant = hubcmd->add_subcommand("tenant", "tenants: who shares one log");
  tenant->require_subcommand(1);
  auto* tcreate = tenant->add_subcommand("create", "create a tenant");
  db(tcreate);
  tcreate->add_option("name", a->name, "its name: 1 to 64 of a-z, 0-9, _ and -")->required();
  tcreate->add_option("--quota", a->quota, "storage quota in bytes (default 1 GiB)")
      ->check(CLI::PositiveNumber);
  tcreate->add_flag("--json", a->json, "print one JSON document");
  tcreate->callback(Reporting(ctx, [a]() -> Status {
    WEFT_ASSIGN_OR_RETURN(hub::PgConn c, ConnectChecked(*a));
    WEFT_ASSIGN_OR_RETURN(hub::Tenant t, hub::CreateTenant(c, a->name, a->quota));
    if (a->json) {
      PrintJson(TenantJson(t));
    } else {
      std::cout << "created tenant " << t.name << " (epoch " << t.epoch << ", quota "
                << t.quota_bytes << " bytes)\n";
    }
    return {};
  }));
  auto* tls = tenant->add_subcommand("ls", "list tenants");
  db(tls);
  tls->add_flag("--json", a->json, "print one JSON document");
  tls->callback(Reporting(ctx, [a]() -> Status {
    WEFT_ASSIGN_OR_RETURN(hub::PgConn c, ConnectChecked(*a));
    WEFT_ASSIGN_OR_RETURN(auto all, hub::ListTenants(c));
    nlohmann::json doc = nlohmann::json::array();
    for (const auto& t : all) doc.push_back(TenantJson(t));
    if (a->json) {
      PrintJson({{"tenants", doc}});
      return {};
    }
    for (const auto& t : all) {
      std::cout << t.name << "  " << t.latest << " changes  " << t.bytes_used << "/"
                << t.quota_bytes << " bytes  epoch " << t.epoch << "\n";
    }
    return {};
  }));
  auto* epoch = tenant->add_subcommand(
      "new-epoch", "give a tenant a new epoch (after restoring the hub from a backup)");
  db(epoch);
  epoch->add_option("name", a->name, "the tenant")->required();
  epoch->callback(Reporting(ctx, [a]() -> Status {
    WEFT_ASSIGN_OR_RETURN(hub::PgConn c, ConnectChecked(*a));
    WEFT_ASSIGN_OR_RETURN(hub::Tenant t, hub::NewEpoch(c, a->name));
    std::cout << "tenant " << t.name << " is at epoch " << t.epoch
              << ": devices re-push what it lacks on their next sync\n";
    return {};
  }));

  auto* token = hubcmd->add_subcommand("token", "tokens: what a device shows the hub");
  token->require_subcommand(1);
  auto* kcreate = token->add_subcommand("create", "create a token; its secret is shown once");
  db(kcreate);
  kcreate->add_option("--tenant", a->tenant, "the tenant")->required();
  kcreate->add_option("--device", a->device, "the device it is for")->required();
  kcreate->add_option("--scope", a->scope, "read, write (the default) or admin")
      ->check(CLI::IsMember({"read", "write", "admin"}));
  kcreate->add_flag("--json", a->json, "print one JSON document");
  kcreate->callback(Reporting(ctx, [a]() -> Status {
    WEFT_ASSIGN_OR_RETURN(hub::PgConn c, ConnectChecked(*a));
    WEFT_ASSIGN_OR_RETURN(hub::Scope scope, hub::ParseScope(a->scope));
    WEFT_ASSIGN_OR_RETURN(hub::NewToken t, hub::CreateToken(c, a->tenant, a->device, scope));
    if (a->json) {
      nlohmann::json doc = TokenJson(t.info);
      doc["secret"] = t.secret;
      PrintJson(doc);
    } else {
      std::cout << t.secret << "\n";
      std::cerr << "token " << t.info.id << " for " << t.info.device << " on " << t.info.tenant
                << " (" << hub::ScopeName(t.info.scope)
                << "); the hub keeps only its hash: save it now\n";
    }
    return {};
  }));
  auto* kls = token->add_subcommand("ls", "list a tenant's tokens (never their secrets)");
  db(kls);
  kls->add_option("--tenant", a->tenant, "the tenant")->required();
  kls->add_flag("--json", a->json, "print one JSON document");
  kls->callback(Reporting(ctx, [a]() -> Status {
    WEFT_ASSIGN_OR_RETURN(hub::PgConn c, ConnectChecked(*a));
    WEFT_ASSIGN_OR_RETURN(auto all, hub::ListTokens(c, a->tenant));
    if (a->json) {
      nlohmann::json doc = nlohmann::json::array();
      for (const auto& t : all) doc.push_back(TokenJson(t));
      PrintJson({{"tokens", doc}});
      return {};
    }
    for (const auto& t : all) {
      std::cout << t.id << "  " << t.device << "  " << hub::ScopeName(t.scope) << "  " << t.created
                << (t.revoked ? "  revoked" : "") << "\n";
    }
    return {};
  }));
  auto* krevoke = token->add_subcommand("revoke", "revoke a token: refused from its next request");
  db(krevoke);
  krevoke->add_option("id", a->token_id, "the token's id (token ls)")->required();
  krevoke->callback(Reporting(ctx, [a]() -> Status {
    WEFT_ASSIGN_OR_RETURN(hub::PgConn c, ConnectChecked(*a));
    WEFT_TRY(hub::RevokeToken(c, a->token_id));
    std::cout << "revoked token " << a->token_id << "\n";
    return {};
  }));
}

}  // namespace weft::cli
