#include "web/gate.h"

#include <gtest/gtest.h>

#include "fold/open.h"
#include "test_util.h"
#include "web/assets.h"
#include "workspace/dashboard_login.h"

namespace weft::web {
namespace {

using testing::TempDir;

httplib::Request Req(const std::string& host, const std::string& cookie = "",
                     const std::string& csrf = "") {
  httplib::Request r;
  r.set_header("Host", host);
  if (!cookie.empty()) r.set_header("Cookie", cookie);
  if (!csrf.empty()) r.set_header(kCsrfHeader, csrf);
  return r;
}

struct GateTest : ::testing::Test {
  TempDir dir;
  std::string store_dir = dir.Sub("s");
  void SetUp() override { ASSERT_TRUE(Store::Init(store_dir, "laptop")); }
  std::string NewToken() {
    auto s = OpenStore(store_dir, Store::Access::kReadWrite);
    auto t = workspace::NewDashboardToken(**s);
    EXPECT_TRUE(t);
    return *t;
  }
  Gate Make(std::optional<std::string> who) {
    return Gate(store_dir, std::chrono::milliseconds(1000),
                [who](const httplib::Request&) { return who; });
  }
};

TEST(Cookies, TheNamedCookieIsFoundAmongOthers) {
  EXPECT_EQ(CookieOf(Req("h", "a=1; weft_login=abc; b=2"), "weft_login"), "abc");
  EXPECT_EQ(CookieOf(Req("h", "weft_login=x"), "weft_login"), "x");
  EXPECT_EQ(CookieOf(Req("h", "not_weft_login=x"), "weft_login"), "");
  EXPECT_EQ(CookieOf(Req("h"), "weft_login"), "");
}

TEST_F(GateTest, LoopbackReadsWithoutALoginButOnlyAddressedToALoopbackName) {
  Gate gate = Make("loopback");
  for (const char* host : {"127.0.0.1:7420", "localhost:7420", "[::1]:7420", "127.0.0.1"}) {
    httplib::Response res;
    EXPECT_TRUE(gate.Admit(Req(host), res, false)) << host;
  }
  httplib::Response res;
  EXPECT_FALSE(gate.Admit(Req("attacker.example:7420"), res, false));  // DNS rebinding
  EXPECT_EQ(res.status, 403);
}

TEST_F(GateTest, AStateChangeNeedsThePagesCsrfToken) {
  Gate gate = Make("loopback");
  httplib::Response none, wrong, right;
  EXPECT_FALSE(gate.Admit(Req("127.0.0.1:1"), none, true));
  EXPECT_EQ(none.status, 403);
  EXPECT_FALSE(gate.Admit(Req("127.0.0.1:1", "", std::string(64, '0')), wrong, true));
  EXPECT_TRUE(gate.Admit(Req("127.0.0.1:1", "", gate.csrf()), right, true));
  EXPECT_EQ(gate.csrf().size(), 64u);
  EXPECT_NE(Make("loopback").csrf(), gate.csrf());  // one per server run
}

TEST_F(GateTest, FromAnotherMachineOnlyTheCurrentTokensCookieLetsIn) {
  Gate gate = Make(std::nullopt);  // TLS, no device certificate
  httplib::Response res;
  EXPECT_FALSE(gate.Admit(Req("10.0.0.2:7420"), res, false));
  EXPECT_EQ(res.status, 401);
  const std::string token = NewToken();
  httplib::Response ok;
  EXPECT_TRUE(gate.Admit(Req("10.0.0.2:7420", "weft_login=" + token), ok, false));
  EXPECT_EQ(gate.Identity(Req("h", "weft_login=" + token)), "login");
  httplib::Response bad;
  EXPECT_FALSE(gate.Admit(Req("10.0.0.2:7420", "weft_login=" + std::string(64, 'a')), bad, false));
  NewToken();  // retires the first
  httplib::Response retired;
  EXPECT_FALSE(gate.Admit(Req("10.0.0.2:7420", "weft_login=" + token), retired, false));
  EXPECT_EQ(retired.status, 401);
}

TEST_F(GateTest, LoggingInSetsAnHttpOnlyStrictCookie) {
  Gate gate = Make(std::nullopt);
  const std::string token = NewToken();
  httplib::Response refused;
  EXPECT_FALSE(gate.LogIn(Req("h"), "nope", refused));
  EXPECT_FALSE(refused.has_header("Set-Cookie"));
  httplib::Response res;
  ASSERT_TRUE(gate.LogIn(Req("h"), token, res));
  const std::string cookie = res.get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("weft_login=" + token), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
}

TEST(SecureHeaders, EveryAnswerCarriesAStrictPolicy) {
  httplib::Response res;
  SecureHeaders(res);
  const std::string csp = res.get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe"), std::string::npos);
  EXPECT_EQ(res.get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(res.get_header_value("Cache-Control"), "no-store");
}

TEST(Assets, ThePageItsScriptAndStyleAreCompiledIn) {
  for (const char* name : {"index.html", "app.js", "app.css"}) {
    const Asset* a = FindAsset(name);
    ASSERT_NE(a, nullptr) << name;
    EXPECT_GT(a->body.size(), 500u) << name;
  }
  EXPECT_NE(FindAsset("index.html")->body.find("/app.js"), std::string::npos);
  EXPECT_EQ(FindAsset("../etc/passwd"), nullptr);
  // No inline script or style: the CSP allows only 'self'.
  EXPECT_EQ(FindAsset("index.html")->body.find("<script>"), std::string::npos);
  EXPECT_EQ(FindAsset("index.html")->body.find("style="), std::string::npos);
  EXPECT_EQ(ContentTypeOf("app.js"), "text/javascript; charset=utf-8");
}

}  // namespace
}  // namespace weft::web
