// fsck's checks, one invariant at a time, on logs broken below the ledger (the
// ledger itself refuses each of these on the way in).
#include "fold/fsck.h"

#include <gtest/gtest.h>

#include "fold/ledger.h"
#include "fold_fixture.h"
#include "store/blob_store.h"
#include "store/change_log.h"

namespace weft {
namespace {

using testing::MakeStore;
using testing::ScriptedAuthor;
using testing::TempDir;
using testing::TextItem;

Op AddAndBind(Store& s, const std::string& loc, const std::string& text, std::vector<Op>* ops) {
  Item item = TextItem(text);
  EXPECT_TRUE(PutBlob(s.db(), item));
  ops->push_back(AddItem{item.Hash()});
  return SetName{Namespace::kTerm, loc, item.Hash()};
}

// A sound store: three changes of one author, each adding and binding an item.
struct Sound {
  TempDir dir;
  std::unique_ptr<Store> store = MakeStore(dir, "s");
  ScriptedAuthor author;
  std::vector<EncodedChange> log;
  Sound() {
    for (int i = 0; i < 3; ++i) {
      std::vector<Op> ops;
      ops.push_back(AddAndBind(*store, "Demo.M.v" + std::to_string(i), std::to_string(i), &ops));
      std::rotate(ops.begin(), ops.begin() + 1, ops.end());  // AddItem first
      log.push_back(author.Make(ops));
    }
    auto r = Ledger(*store).Append(log);
    EXPECT_TRUE(r && r->rejected.empty());
  }
};

std::vector<std::string> Whats(const FsckReport& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(f.what + " " + f.hash.substr(0, 8));
  return out;
}

TEST(Fsck, ASoundStoreHasNoFindings) {
  Sound s;
  auto r = CheckStore(*s.store);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->findings.empty()) << ::testing::PrintToString(Whats(*r));
  EXPECT_EQ(r->changes, 3);
  EXPECT_EQ(r->blobs, 3);
}

TEST(Fsck, AMissingDepIsNamedByTheChangeThatNeedsIt) {
  Sound s;
  ASSERT_TRUE(DeleteChange(s.store->db(), s.log[1].hash));
  auto r = CheckStore(*s.store);
  ASSERT_TRUE(r);
  std::vector<std::string> whats = Whats(*r);
  ASSERT_FALSE(whats.empty());
  EXPECT_EQ(whats[0], "dep " + s.log[2].hash.Hex().substr(0, 8)) << ::testing::PrintToString(whats);
}

TEST(Fsck, AChangeStampedAtOrBeforeItsDepIsFound) {
  Sound s;
  Change c;
  c.actor = ActorId::Random();
  c.seq = 1;
  c.deps = {s.log[2].hash};
  c.hlc = s.log[2].change.hlc;  // not after its dep
  c.branch = "main";
  c.message = "skewed";
  EncodedChange e = EncodedChange::FromChange(c);
  ASSERT_TRUE(InsertChange(s.store->db(), e));
  auto r = CheckStore(*s.store);
  ASSERT_TRUE(r);
  std::vector<std::string> whats = Whats(*r);
  EXPECT_NE(std::find(whats.begin(), whats.end(), "hlc " + e.hash.Hex().substr(0, 8)), whats.end())
      << ::testing::PrintToString(whats);
}

TEST(Fsck, TwoChangesOfOneActorWithOneSeqAreFound) {
  Sound s;
  Change c = s.log[0].change;
  c.message = "another change under the same actor and seq";
  EncodedChange e = EncodedChange::FromChange(c);
  EXPECT_FALSE(InsertChange(s.store->db(), e)) << "the table's UNIQUE(actor, seq) refuses it";
  EncodedChange under = e;
  under.change.seq = 99;  // the columns say 99, the bytes say 1
  ASSERT_TRUE(InsertChange(s.store->db(), EncodedChange{e.hash, e.bytes, under.change}));
  auto r = CheckStore(*s.store);
  ASSERT_TRUE(r);
  std::vector<std::string> whats = Whats(*r);
  EXPECT_NE(std::find(whats.begin(), whats.end(), "seq " + e.hash.Hex().substr(0, 8)), whats.end())
      << ::testing::PrintToString(whats);
  EXPECT_NE(std::find(whats.begin(), whats.end(), "change " + e.hash.Hex().substr(0, 8)),
            whats.end())
      << "its index columns disagree with its bytes";
}

TEST(Fsck, AnItemBoundButNotStoredIsFound) {
  Sound s;
  EncodedChange e = s.author.Make({testing::Bind("Demo.M.ghost", "no blob")});
  auto a = Ledger(*s.store).Append({e});
  ASSERT_TRUE(a && a->rejected.empty());
  auto r = CheckStore(*s.store);
  ASSERT_TRUE(r);
  EXPECT_EQ(Whats(*r),
            std::vector<std::string>{"item " + testing::FakeItem("no blob").Hex().substr(0, 8)});
}

TEST(Fsck, RepairSetsADamagedChangeAsideAndParksWhatIsBuiltOnIt) {
  Sound s;
  ASSERT_TRUE(
      s.store->db().Exec("UPDATE changes SET bytes = CAST(bytes || x'00' AS BLOB) WHERE id = 2"));
  auto r = RepairStore(*s.store);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->findings.empty()) << ::testing::PrintToString(Whats(*r));
  EXPECT_EQ(r->quarantined, std::vector<std::string>{"change " + s.log[1].hash.Hex()});
  EXPECT_EQ(r->parked, 1);
  EXPECT_EQ(r->awaiting_refetch, 1);
  EXPECT_EQ(*CountChanges(s.store->db()), 1);
  EXPECT_EQ(*CountPending(s.store->db()), 1);
  // The real change comes back (a sync): the parked one follows it.
  auto back = Ledger(*s.store).Append({s.log[1]});
  ASSERT_TRUE(back && back->rejected.empty());
  EXPECT_EQ(*CountChanges(s.store->db()), 3);
  auto again = CheckStore(*s.store);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->findings.empty());
  EXPECT_EQ(again->awaiting_refetch, 0);
}

}  // namespace
}  // namespace weft
