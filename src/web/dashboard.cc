#include "web/dashboard.h"

#include "web/api.h"
#include "web/assets.h"
#include "web/gate.h"

namespace weft::web {
namespace {

void ServeAsset(const httplib::Request& req, httplib::Response& res, std::string_view name) {
  const Asset* a = FindAsset(name);
  if (a == nullptr) return Answer(res, 404, "no such page");
  SecureHeaders(res, true);
  (void)req;
  res.set_content(std::string(a->body), std::string(ContentTypeOf(name)));
}

}  // namespace

void AddDashboard(workspace::ServeRequest& request, const std::string& store_dir) {
  const auto busy = request.busy_timeout;
  request.logged_in = [store_dir, busy](const httplib::Request& req) {
    return LoginCookieValid(store_dir, busy, req);
  };
  request.mount = [store_dir, busy](httplib::Server& http, net::ServerOptions::Who who) {
    auto gate = std::make_shared<Gate>(store_dir, busy, std::move(who));
    http.Get("/", [](const httplib::Request& q, httplib::Response& r) {
      ServeAsset(q, r, "index.html");
    });
    http.Get(R"(/(app\.js|app\.css))", [](const httplib::Request& q, httplib::Response& r) {
      ServeAsset(q, r, q.matches[1].str());
    });
    MountApi(http, gate, ApiOptions{store_dir, busy});
  };
}

}  // namespace weft::web
