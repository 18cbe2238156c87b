// The sync protocol on its own, over in-memory stores: every message goes through
// the codec, as it would over a carrier.
#include "sync/protocol.h"

#include <gtest/gtest.h>

#include <random>

#include "memory_store.h"
#include "test_util.h"

namespace weft::sync {
namespace {

using testing::MemoryStore;

constexpr std::int64_t kTestRelease = 1;

EncodedChange Make(const ActorId& actor, std::uint64_t seq, std::vector<ChangeHash> deps,
                   const std::string& location, std::vector<Op> extra = {}) {
  Change c;
  NormalizeDeps(deps);
  c.deps = std::move(deps);
  c.actor = actor;
  c.seq = seq;
  c.hlc = Hlc::From(1000 + seq, 0);
  c.branch = "main";
  c.message = "m";
  c.ops = std::move(extra);
  c.ops.push_back(SetName{Namespace::kTerm, location, ItemHash(Sha256Of(AsBytes(location)))});
  return EncodedChange::FromChange(std::move(c));
}

// Runs one session through the codec until both sides are quiet. `drop(n)` says
// whether the n-th message is lost. Returns the number of messages delivered.
int Session(MemoryStore& a, SyncState& as, MemoryStore& b, SyncState& bs,
            const std::function<bool(int)>& drop = {}) {
  int sent = 0, delivered = 0;
  for (int round = 0; round < 100; ++round) {
    bool any = false;
    for (int side = 0; side < 2; ++side) {
      MemoryStore& from = side == 0 ? a : b;
      SyncState& fs = side == 0 ? as : bs;
      MemoryStore& to = side == 0 ? b : a;
      SyncState& ts = side == 0 ? bs : as;
      auto m = GenerateMessage(from, fs, kTestRelease);
      EXPECT_TRUE(m) << m.error().message();
      if (!m || !*m) continue;
      any = true;
      if (drop && drop(sent++)) continue;
      auto decoded = DecodeMessage(EncodeMessage(**m), kTestRelease);
      EXPECT_TRUE(decoded) << decoded.error().message();
      if (!decoded) continue;
      auto r = ReceiveMessage(to, ts, *decoded);
      EXPECT_TRUE(r) << r.error().message();
      ++delivered;
    }
    if (!any) return delivered;
  }
  ADD_FAILURE() << "the session did not go quiet in 100 rounds";
  return delivered;
}

// Two stores with a random shared history and random divergent work on each.
void RandomHistories(std::mt19937& rng, MemoryStore& a, MemoryStore& b) {
  ActorId x = ActorId::Random(), y = ActorId::Random();
  std::uint64_t xs = 0, ys = 0;
  std::vector<ChangeHash> shared;
  const int base = static_cast<int>(rng() % 20);
  for (int i = 0; i < base; ++i) {
    std::vector<ChangeHash> deps;
    if (!shared.empty()) deps.push_back(shared[rng() % shared.size()]);
    auto c = Make(x, ++xs, deps, "Demo.M.s" + std::to_string(i));
    a.Author(c);
    b.Author(c);
    shared.push_back(c.hash);
  }
  std::vector<ChangeHash> on_a = shared, on_b = shared;
  for (int i = 0; i < static_cast<int>(rng() % 30); ++i) {
    std::vector<ChangeHash> deps;
    if (!on_a.empty()) deps.push_back(on_a[rng() % on_a.size()]);
    if (!on_a.empty() && rng() % 2) deps.push_back(on_a[rng() % on_a.size()]);
    auto c = Make(x, ++xs, deps, "Demo.A.v" + std::to_string(i));
    a.Author(c);
    on_a.push_back(c.hash);
  }
  for (int i = 0; i < static_cast<int>(rng() % 30); ++i) {
    std::vector<ChangeHash> deps;
    if (!on_b.empty()) deps.push_back(on_b[rng() % on_b.size()]);
    auto c = Make(y, ++ys, deps, "Demo.B.v" + std::to_string(i));
    b.Author(c);
    on_b.push_back(c.hash);
  }
}

TEST(Protocol, RandomHistoriesConvergeThroughTheCodec) {
  const unsigned seed = weft::testing::TestSeed();
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  std::mt19937 rng(seed);
  for (int round = 0; round < 50; ++round) {
    MemoryStore a, b;
    RandomHistories(rng, a, b);
    SyncState as, bs;
    Session(a, as, b, bs);
    ASSERT_EQ(a.held(), b.held()) << "round " << round;
    EXPECT_EQ(a.pending() + b.pending(), 0u);
    EXPECT_EQ(*a.Heads(), *b.Heads());
    EXPECT_TRUE(*PeerHasOurHeads(a, as));
    EXPECT_TRUE(*PeerHasOurHeads(b, bs));
  }
}

TEST(Protocol, LostMessagesAreMadeUpByTheNextSessionFromSharedHeads) {
  const unsigned seed = weft::testing::TestSeed();
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  std::mt19937 rng(seed);
  for (int round = 0; round < 30; ++round) {
    MemoryStore a, b;
    RandomHistories(rng, a, b);
    SyncState as, bs;
    Session(a, as, b, bs, [&](int) { return rng() % 3 == 0; });
    // A new session remembers only the shared heads.
    auto as2 = DecodeState(EncodeState(as));
    auto bs2 = DecodeState(EncodeState(bs));
    ASSERT_TRUE(as2 && bs2);
    Session(a, *as2, b, *bs2);
    ASSERT_EQ(a.held(), b.held()) << "round " << round;
  }
}

TEST(Protocol, ReceivingAMessageTwiceIsANoOp) {
  MemoryStore a, b;
  ActorId x = ActorId::Random();
  auto c1 = Make(x, 1, {}, "Demo.M.a");
  auto c2 = Make(x, 2, {c1.hash}, "Demo.M.b");
  a.Author(c1);
  a.Author(c2);
  SyncState as, bs;
  // b opens, a answers with the changes b lacks.
  auto hello = GenerateMessage(b, bs, kTestRelease);
  ASSERT_TRUE(hello && *hello);
  ASSERT_TRUE(ReceiveMessage(a, as, **hello));
  auto answer = GenerateMessage(a, as, kTestRelease);
  ASSERT_TRUE(answer && *answer);
  ASSERT_EQ((*answer)->changes.size(), 2u);
  auto first = ReceiveMessage(b, bs, **answer);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->apply.applied.size(), 2u);
  auto again = ReceiveMessage(b, bs, **answer);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_TRUE(again->apply.applied.empty());
  EXPECT_EQ(b.order(), (std::vector<ChangeHash>{c1.hash, c2.hash}));
}

// The peer's Bloom filter claims c2 and c3 (false positives, made certain here by
// building the filter from them) but it lacks c1. Changes built on one the peer
// lacks are lacking too, so all three go in the same answer; dropping the rule
// would only cost round trips, which the convergence property cannot see.
TEST(Protocol, ChangesBuiltOnOneThePeerLacksGoInTheSameAnswer) {
  // Actors are random, so the filter built from c2, c3 and `other` may also claim
  // c1 (a few percent with so few entries): draw again until it does not.
  std::optional<EncodedChange> c1, c2, c3, other;
  std::optional<Bloom> claims;
  for (int tries = 0; tries < 100 && !claims; ++tries) {
    ActorId x = ActorId::Random();
    c1 = Make(x, 1, {}, "Demo.M.c1");
    c2 = Make(x, 2, {c1->hash}, "Demo.M.c2");
    c3 = Make(x, 3, {c2->hash}, "Demo.M.c3");
    other = Make(ActorId::Random(), 1, {}, "Demo.M.other");
    Bloom b({c2->hash, c3->hash, other->hash}, BloomParams{});
    if (!b.Contains(c1->hash)) claims = b;
  }
  ASSERT_TRUE(claims) << "every filter in 100 draws claimed c1";
  MemoryStore a;
  for (const auto& c : {*c1, *c2, *c3, *other}) a.Author(c);
  SyncState as;
  as.their_heads = std::vector<ChangeHash>{};
  as.their_need = std::vector<ChangeHash>{};
  as.their_have = std::vector<Have>{Have{{}, *claims}};
  auto m = GenerateMessage(a, as, kTestRelease);
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_TRUE(*m);
  std::vector<ChangeHash> sent;
  for (const auto& bytes : (*m)->changes) sent.push_back(HashChangeBytes(bytes));
  EXPECT_EQ(sent, (std::vector<ChangeHash>{c1->hash, c2->hash, c3->hash}))
      << "in causal order, and not `other`, which the peer holds";
}

TEST(Protocol, ABlobTravelsWithTheChangeThatAddsIt) {
  MemoryStore a, b;
  BlobRecord blob{ItemHash(Sha256Of(AsBytes(std::string("blob")))), ItemKind::kVal, Bytes{1, 2, 3},
                  Bytes{4}};
  a.AddBlob(blob);
  auto c = Make(ActorId::Random(), 1, {}, "Demo.M.x", {AddItem{blob.hash}});
  a.Author(c);
  SyncState as, bs;
  Session(a, as, b, bs);
  EXPECT_TRUE(*b.HasChange(c.hash));
  auto got = b.Blob(blob.hash);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->canonical, blob.canonical);
}

TEST(Protocol, AReadOnlySideIsSentNothingAndStillGives) {
  MemoryStore a, b;
  ActorId x = ActorId::Random(), y = ActorId::Random();
  auto ca = Make(x, 1, {}, "Demo.M.a");
  auto cb = Make(y, 1, {}, "Demo.M.b");
  a.Author(ca);
  b.Author(cb);
  SyncState as, bs;
  bs.options.read_only = true;  // a pulls from b: b applies nothing
  Session(a, as, b, bs);
  EXPECT_TRUE(*a.HasChange(cb.hash));
  EXPECT_FALSE(*b.HasChange(ca.hash));
  EXPECT_FALSE(*PeerHasOurHeads(a, as));
}

}  // namespace
}  // namespace weft::sync
