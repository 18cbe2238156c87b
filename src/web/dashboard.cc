#include "web/dashboard.h"

#include <map>

#include "core/hash.h"
#include "web/api.h"
#include "web/assets.h"
#include "web/gate.h"

namespace weft::web {
namespace {

// An asset's validator: its content's hash, so a browser revalidates it with a
// 304 instead of fetching (and the server compressing) it on every page load.
const std::string& ETagOf(const Asset& a) {
  static const std::map<std::string_view, std::string> tags = [] {
    std::map<std::string_view, std::string> out;
    for (const Asset& each : Assets()) {
      out[each.name] = "\"" + DigestToHex(Sha256Of(AsBytes(each.body))).substr(0, 32) + "\"";
    }
    return out;
  }();
  return tags.at(a.name);
}

void ServeAsset(const httplib::Request& req, httplib::Response& res, std::string_view name) {
  const Asset* a = FindAsset(name);
  if (a == nullptr) return Answer(res, 404, "no such page");
  SecureHeaders(res, true);
  const std::string& tag = ETagOf(*a);
  res.set_header("ETag", tag);
  if (req.get_header_value("If-None-Match") == tag) {
    res.status = 304;
    return;
  }
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
    MountApi(http, gate,
             ApiOptions{store_dir, busy, std::make_shared<ReadStores>(store_dir, busy)});
  };
}

}  // namespace weft::web
