#include "net/http_guard.h"

#include <gtest/gtest.h>
#include <httplib.h>

namespace weft::net {
namespace {

httplib::Request From(const std::string& origin, const std::string& host) {
  httplib::Request r;
  if (!origin.empty()) r.set_header("Origin", origin);
  r.set_header("Host", host);
  return r;
}

TEST(FromAnotherSite, OnlyAnOriginOtherThanTheHostIsAnotherSite) {
  EXPECT_FALSE(FromAnotherSite(From("", "127.0.0.1:7420")));  // a CLI, curl, a peer
  EXPECT_FALSE(FromAnotherSite(From("http://127.0.0.1:7420", "127.0.0.1:7420")));
  EXPECT_FALSE(FromAnotherSite(From("https://laptop.tail:7420", "laptop.tail:7420")));
  EXPECT_TRUE(FromAnotherSite(From("http://evil.example", "127.0.0.1:7420")));
  EXPECT_TRUE(FromAnotherSite(From("http://127.0.0.1:8000", "127.0.0.1:7420")));  // another port
  EXPECT_TRUE(FromAnotherSite(From("null", "127.0.0.1:7420")));  // a sandboxed frame, file:
}

TEST(IsLoopback, LoopbackAddressesAndNames) {
  EXPECT_TRUE(IsLoopback("127.0.0.1"));
  EXPECT_TRUE(IsLoopback("127.3.2.1"));
  EXPECT_TRUE(IsLoopback("::1"));
  EXPECT_TRUE(IsLoopback("localhost"));
  EXPECT_FALSE(IsLoopback("10.0.0.1"));
  EXPECT_FALSE(IsLoopback("localhost.evil.example"));
}

}  // namespace
}  // namespace weft::net
