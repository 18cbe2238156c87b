// Peer URLs as a person writes them, the loopback rule, and head events.
#include <gtest/gtest.h>

#include <thread>

#include "net/head_events.h"
#include "net/http_peer.h"
#include "net/sync_server.h"

namespace weft::net {
namespace {

TEST(PeerUrl, NormalisesSchemeHostAndPort) {
  auto u = ParsePeerUrl("https://desktop.lan");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->port, 7420);
  EXPECT_EQ(u->text, "https://desktop.lan:7420");
  auto v = ParsePeerUrl("http://127.0.0.1:9000/");
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->tls);
  EXPECT_EQ(v->text, "http://127.0.0.1:9000");
  auto w = ParsePeerUrl("https://[::1]:8443");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->host, "::1");
  EXPECT_EQ(w->text, "https://[::1]:8443");
}

TEST(PeerUrl, RefusesPlainHttpOffLoopbackPathsCredentialsAndBadPorts) {
  for (const char* bad :
       {"http://desktop.lan:7420", "ftp://x", "https://h/path", "https://u@h", "https://h:0",
        "https://h:99999", "https://h:7a", "https://", "https://[::1"}) {
    EXPECT_FALSE(ParsePeerUrl(bad)) << bad;
  }
  EXPECT_TRUE(ParsePeerUrl("http://localhost:1"));
}

TEST(Loopback, KnowsItsAddresses) {
  EXPECT_TRUE(IsLoopback("127.0.0.1"));
  EXPECT_TRUE(IsLoopback("127.9.9.9"));
  EXPECT_TRUE(IsLoopback("::1"));
  EXPECT_TRUE(IsLoopback("localhost"));
  EXPECT_FALSE(IsLoopback("0.0.0.0"));
  EXPECT_FALSE(IsLoopback("192.168.1.2"));
  EXPECT_FALSE(IsLoopback("::"));
  EXPECT_FALSE(IsLoopback("desktop.lan"));
}

ChangeHash H(std::uint8_t b) {
  Digest d{};
  d[0] = b;
  return ChangeHash(d);
}

TEST(HeadEvents, AreContiguousSkipRepeatsAndSayWhenSomeWereDropped) {
  HeadEvents events(3);
  events.Observe({H(1)}, 1);
  events.Observe({H(1)}, 1);  // the same heads: no event
  events.Observe({H(2)}, 2);
  auto batch = events.After(0, std::chrono::milliseconds(0));
  ASSERT_EQ(batch.events.size(), 2u);
  EXPECT_EQ(batch.events[0].id, 1u);
  EXPECT_EQ(batch.events[1].id, 2u);
  EXPECT_FALSE(batch.missed);
  events.Observe({H(3)}, 3);
  events.Observe({H(4)}, 4);  // capacity 3: event 1 is dropped
  auto late = events.After(0, std::chrono::milliseconds(0));
  EXPECT_TRUE(late.missed);
  EXPECT_EQ(late.events.front().id, 2u);
  auto current = events.After(4, std::chrono::milliseconds(0));
  EXPECT_TRUE(current.events.empty());
  EXPECT_FALSE(current.missed);
  auto future = events.After(99, std::chrono::milliseconds(0));  // another run's id
  EXPECT_TRUE(future.missed);
}

TEST(HeadEvents, ALongPollWakesOnTheNextEvent) {
  HeadEvents events;
  events.Observe({H(1)}, 1);
  std::thread later([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    events.Observe({H(2)}, 2);
  });
  const auto start = std::chrono::steady_clock::now();
  auto batch = events.After(1, std::chrono::seconds(10));
  later.join();
  ASSERT_EQ(batch.events.size(), 1u);
  EXPECT_EQ(batch.events[0].id, 2u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace weft::net
