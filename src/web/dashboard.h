// The dashboard (docs/design/web.md): a page at `/` on the port `weft serve` and
// the daemon listen on, over a JSON API under /v1/ whose documents are the
// CLI's `--json` ones (workspace/documents.h). Its page, style and script are
// compiled into the binary (web/assets.h).
//
//   GET  /                              the page (index.html, app.js, app.css)
//   GET  /v1/session                    {"identity", "instance", "csrf"}: who is calling,
//                                        this instance's name, the page's CSRF token
//   POST /v1/login  {"token"}           sets the login cookie (`weft dashboard token`)
//   POST /v1/logout
//   GET  /v1/overview                   {"status": status --json, "warnings": [sentences]}
//   GET  /v1/peers                      [{"peer": a row of peer ls --json, "last_success",
//                                         "last_error", "recent": sync events --json}]
//   GET  /v1/peers/NAME/check           sync check --json (asks the peer)
//   POST /v1/peers/NAME/sync            sync NAME --json
//   GET  /v1/conflicts[?all=1]          conflicts --json
//   GET  /v1/conflicts/ID               {"conflict": conflicts show ID --json, "diff"}
//   POST /v1/conflicts/ID/ack           conflicts ack ID --json
//   POST /v1/conflicts/ID/resolve {"choice": "mine"|"theirs"|CHANGE}
//   GET  /v1/modules                    ls --modules --json
//   GET  /v1/names[?prefix=P&after=N&limit=500]   ls P --json, a page at a time
//   GET  /v1/find?q=Q                   find Q --json
//   GET  /v1/item?name=N                {"item": show N --json, "dependencies",
//                                        "dependents": show --deps/--dependents --json,
//                                        "history": log N --json}
//   GET  /v1/log[?limit=&branch=&instance=]   log --json
// and /v1/events (net/sync_server.h), whose long poll keeps the page live.
#pragma once

#include <string>

#include "workspace/serve.h"

namespace weft::web {

// Puts the dashboard on what `request` serves from the store at `store_dir`.
void AddDashboard(workspace::ServeRequest& request, const std::string& store_dir);

}  // namespace weft::web
