#include "workspace/change_effect.h"

#include <gtest/gtest.h>

#include "fold/ledger.h"
#include "fold/queries.h"
#include "test_util.h"
#include "workspace/authoring.h"
#include "workspace/names.h"

namespace weft::workspace {
namespace {

using weft::testing::TempDir;

class ChangeEffectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Init(dir.Sub("s"), "laptop");
    ASSERT_TRUE(s) << s.error().message();
    store = std::move(*s);
  }
  ChangeHash AddAndCommit(const std::string& src) {
    auto r = AddSource(*store, src, "t.weft");
    EXPECT_TRUE(r) << r.error().message();
    auto c = Ledger(*store).Commit("test");
    EXPECT_TRUE(c) << c.error().message();
    return c ? c->hash : ChangeHash();
  }
  ItemHash Bound(const std::string& name) {
    auto b = FindBinding(store->db(), store->branch(), name);
    EXPECT_TRUE(b && *b) << name;
    return b && *b ? (*b)->item : ItemHash();
  }
  TempDir dir;
  std::unique_ptr<Store> store;
};

TEST_F(ChangeEffectTest, AChangeShowsTheBindingItReplacedAndItsOwn) {
  AddAndCommit("fn Ce.M.f x = x + 1\nfn Ce.M.g x = Ce.M.f x");
  const ItemHash f1 = Bound("Ce.M.f");
  const ItemHash g1 = Bound("Ce.M.g");
  const ChangeHash second = AddAndCommit("fn Ce.M.f x = x + 2");
  auto d = DiffChange(*store, second.Hex().substr(0, 10));
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->change.hash, second);
  EXPECT_EQ(d->author, "laptop");
  ASSERT_EQ(d->names.size(), 2u);  // f, and g re-pointed after it
  EXPECT_EQ(d->names[0].edit.location, "Ce.M.f");
  EXPECT_EQ(d->names[0].edit.before, f1);
  EXPECT_EQ(d->names[0].edit.after, Bound("Ce.M.f"));
  EXPECT_FALSE(d->names[0].edit.repointed);
  EXPECT_EQ(d->names[0].lines,
            (std::vector<std::string>{"- fn Ce.M.f x = x + 1", "+ fn Ce.M.f x = x + 2"}));
  EXPECT_EQ(d->names[1].edit.location, "Ce.M.g");
  EXPECT_EQ(d->names[1].edit.before, g1);
  EXPECT_TRUE(d->names[1].edit.repointed);
}

TEST_F(ChangeEffectTest, AFirstBindingAndAnUnbindHaveOneSideEach) {
  const ChangeHash first = AddAndCommit("val Ce.M.v = 1");
  auto d = DiffChange(*store, "#" + first.Hex().substr(0, 8));
  ASSERT_TRUE(d) << d.error().message();
  ASSERT_EQ(d->names.size(), 1u);
  EXPECT_FALSE(d->names[0].edit.before);
  EXPECT_TRUE(d->names[0].edit.after);
  ASSERT_TRUE(StageUnbind(*store, "Ce.M.v"));
  auto gone = Ledger(*store).Commit("rm");
  ASSERT_TRUE(gone);
  auto u = DiffChange(*store, gone->hash.Hex());
  ASSERT_TRUE(u) << u.error().message();
  ASSERT_EQ(u->names.size(), 1u);
  EXPECT_EQ(u->names[0].edit.before, d->names[0].edit.after);
  EXPECT_FALSE(u->names[0].edit.after);
  EXPECT_EQ(u->names[0].after_source, "");
}

TEST_F(ChangeEffectTest, AnUnknownOrMalformedChangeIsAClearError) {
  AddAndCommit("val Ce.M.v = 1");
  auto none = DiffChange(*store, "00000000");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(none.error().message().find("no change has a hash starting with 00000000"),
            std::string::npos);
  auto bad = DiffChange(*store, "xyz");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace weft::workspace
