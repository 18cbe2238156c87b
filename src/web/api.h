// The dashboard's JSON API under /v1/ (the routes are listed in web/dashboard.h):
// each handler admits the caller (web/gate.h), makes one domain call and answers
// the document the CLI prints with --json.
#pragma once

#include <httplib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "store/store.h"
#include "web/gate.h"
#include "web/read_stores.h"

namespace weft::web {

struct ApiOptions {
  std::string store_dir;
  std::chrono::milliseconds busy_timeout{5000};
  std::shared_ptr<ReadStores> readers;  // kept read-only connections
};

void MountApi(httplib::Server& http, std::shared_ptr<Gate> gate, const ApiOptions& options);

// What a route does once its caller is admitted: a document, or an error that
// becomes a status and a sentence.
using Work = std::function<Result<nlohmann::json>(Store& store, const httplib::Request& req)>;

// A route over the store: `write` opens it for writing and requires the CSRF token.
httplib::Server::Handler Route(std::shared_ptr<Gate> gate, const ApiOptions& options, bool write,
                               Work work);

// The routes of races, names, items and the log (api_code.cc).
void MountCodeApi(httplib::Server& http, const std::shared_ptr<Gate>& gate,
                  const ApiOptions& options);

// A whole-number query parameter within [lo, hi], or `fallback` when absent.
Result<std::int64_t> IntParam(const httplib::Request& req, const std::string& name,
                              std::int64_t fallback, std::int64_t lo, std::int64_t hi);

}  // namespace weft::web
