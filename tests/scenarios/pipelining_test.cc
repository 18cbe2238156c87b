// A delta larger than one message goes back to back in one round trip (a batch,
// net/exchange.h), and the side with news speaks first: the round trips a sync
// costs, counted where the session driver counts them.
#include <gtest/gtest.h>

#include "instance.h"
#include "net/exchange.h"

namespace weft::scenarios {
namespace {

using weft::testing::TempDir;

void AuthorMany(Instance& i, const std::string& module, int n) {
  for (int k = 0; k < n; ++k)
    i.Author("val P." + module + ".v" + std::to_string(k) + " = " + std::to_string(k));
}

TEST(Pipelining, ADeltaOfManyMessagesArrivesInOneRoundTripAndItsAcknowledgement) {
  TempDir dir;
  Instance a(dir, "a"), b(dir, "b");
  AuthorMany(a, "M", 60);
  // Small messages: the delta takes many of them.
  a.StateFor("b").options.max_message_bytes = 2048;
  b.StateFor("a").options.max_message_bytes = 2048;
  auto r = net::SyncStores(b.store(), a.store(), b.StateFor("a"), a.StateFor("b"));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->quiet);
  EXPECT_EQ(r->received.size(), 60u);
  EXPECT_GT(r->messages, 6u) << "the delta should have needed several messages";
  // One round trip brings every part; the second tells a our new heads.
  EXPECT_LE(r->round_trips, 2u);
  ExpectConverged(a, b);
}

TEST(Pipelining, ABatchHoldsAtMostItsCapOfMessagesAndTheRestFollows) {
  TempDir dir;
  Instance a(dir, "a"), b(dir, "b");
  const int n = static_cast<int>(net::kMaxBatchMessages) + 40;
  AuthorMany(a, "C", n);
  // One change per message: more messages than one batch may hold.
  a.StateFor("b").options.max_message_bytes = 1;
  b.StateFor("a").options.max_message_bytes = 1;
  auto r = net::SyncStores(b.store(), a.store(), b.StateFor("a"), a.StateFor("b"));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->quiet);
  EXPECT_EQ(r->received.size(), static_cast<std::size_t>(n));
  EXPECT_GE(r->round_trips, 2u);
  EXPECT_LE(r->round_trips, 3u);
  ExpectConverged(a, b);
}

TEST(Pipelining, TheSideWithNewsSendsItInItsFirstMessage) {
  TempDir dir;
  Instance a(dir, "a"), b(dir, "b");
  AuthorMany(a, "N", 5);
  Sync(a, "a", b, "b");
  a.Author("val P.N.fresh = 42");
  // A new session, as a new `weft sync` starts one: only the shared heads remain.
  sync::ResetSession(a.StateFor("b"));
  sync::ResetSession(b.StateFor("a"));
  auto r = Sync(a, "a", b, "b");
  EXPECT_TRUE(r.quiet);
  EXPECT_EQ(r.sent, 1u);
  EXPECT_EQ(r.round_trips, 1u);
  EXPECT_EQ(r.messages, 2u);
  ExpectConverged(a, b);
}

TEST(Pipelining, AFirstMessageSentOnAStaleGuessStillConverges) {
  // a's saved state says b holds a's history, but b was replaced by an empty
  // store: what a sends first waits there for its deps, which b then asks for.
  TempDir dir;
  Instance a(dir, "a"), b(dir, "b"), c(dir, "c");
  AuthorMany(a, "S", 5);
  Sync(a, "a", b, "b");
  a.Author("val P.S.more = 7");
  sync::ResetSession(a.StateFor("b"));
  auto r = net::SyncStores(a.store(), c.store(), a.StateFor("b"), c.StateFor("a"));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->quiet);
  ExpectConverged(a, c);
}

}  // namespace
}  // namespace weft::scenarios
