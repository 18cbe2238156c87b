// Projections are a pure function of the set of changes: any delivery order, any
// batching, with or without the pending queue, gives byte-identical tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "fold_fixture.h"

namespace weft {
namespace {

using testing::Bind;
using testing::DigestHex;
using testing::MakeStore;
using testing::ScriptedAuthor;
using testing::TempDir;

std::vector<EncodedChange> RandomHistory(std::mt19937& rng, int n) {
  std::vector<ScriptedAuthor> authors(3);
  std::vector<EncodedChange> out;
  const std::vector<std::string> names = {"Demo.M.a", "Demo.M.b", "Demo.M.c", "Demo.N.d"};
  bool branched = false;
  for (int i = 0; i < n; ++i) {
    auto& author = authors[rng() % authors.size()];
    std::vector<ChangeHash> deps;
    for (int k = 0; k < 2 && !out.empty(); ++k) {
      if (rng() % 2) deps.push_back(out[rng() % out.size()].hash);
    }
    std::vector<Op> ops;
    int nops = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < nops; ++k) {
      const std::string& loc = names[rng() % names.size()];
      switch (rng() % 5) {
        case 0:
          ops.push_back(Unname{Namespace::kTerm, loc});
          break;
        case 1:
          ops.push_back(Deprecate{loc, "why", std::nullopt});
          break;
        case 2:
          ops.push_back(Undeprecate{loc});
          break;
        default:
          ops.push_back(Bind(loc, std::to_string(rng() % 6)));
          break;
      }
    }
    std::string branch = "main";
    if (!branched && i == n / 3) {
      ops.push_back(CreateBranch{"side"});
      branched = true;
    } else if (branched && rng() % 4 == 0) {
      branch = "side";
    }
    // Equal stamps on purpose, so ties are broken by hash.
    out.push_back(
        author.Make(std::move(ops), std::move(deps), branch, Hlc::From(1000 + rng() % 8, 0)));
  }
  return out;
}

TEST(FoldOrder, AnyDeliveryOrderGivesIdenticalProjections) {
  const unsigned seed = weft::testing::TestSeed();
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  std::mt19937 rng(seed);
  TempDir dir;
  for (int round = 0; round < 5; ++round) {
    std::vector<EncodedChange> history = RandomHistory(rng, 60);
    auto in_order = MakeStore(dir, "in-order-" + std::to_string(round));
    ASSERT_TRUE(Ledger(*in_order).Append(history));
    const std::string expected = DigestHex(*in_order);

    auto shuffled = MakeStore(dir, "shuffled-" + std::to_string(round));
    std::vector<EncodedChange> mixed = history;
    std::shuffle(mixed.begin(), mixed.end(), rng);
    std::size_t pos = 0;
    while (pos < mixed.size()) {  // random batch sizes, some changes delivered twice
      std::size_t len = 1 + rng() % 10;
      std::vector<EncodedChange> batch(
          mixed.begin() + static_cast<std::ptrdiff_t>(pos),
          mixed.begin() + static_cast<std::ptrdiff_t>(std::min(mixed.size(), pos + len)));
      if (rng() % 3 == 0) batch.push_back(mixed[rng() % mixed.size()]);
      auto r = Ledger(*shuffled).Append(batch);
      ASSERT_TRUE(r) << r.error().message();
      ASSERT_TRUE(r->rejected.empty()) << r->rejected[0].error.message();
      pos += len;
    }
    EXPECT_EQ(DigestHex(*shuffled), expected) << "round " << round;

    auto reversed = MakeStore(dir, "reversed-" + std::to_string(round));
    std::vector<EncodedChange> back(history.rbegin(), history.rend());
    ASSERT_TRUE(Ledger(*reversed).Append(back));
    EXPECT_EQ(DigestHex(*reversed), expected) << "round " << round;

    ASSERT_TRUE(Ledger(*in_order).Rebuild());
    EXPECT_EQ(DigestHex(*in_order), expected) << "round " << round;
  }
}

}  // namespace
}  // namespace weft
