#include "workspace/authoring.h"

#include <gtest/gtest.h>

#include "fold/ledger.h"
#include "fold/queries.h"
#include "lang/evaluator.h"
#include "lang/parser.h"
#include "store/wip.h"
#include "test_util.h"
#include "workspace/item_access.h"

namespace weft::workspace {
namespace {

using weft::testing::TempDir;

class AuthoringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Init(dir.Sub("s"), "laptop");
    ASSERT_TRUE(s) << s.error().message();
    store = std::move(*s);
  }
  AddReport Add(const std::string& src) {
    auto r = AddSource(*store, src, "t.weft");
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : AddReport{};
  }
  void Commit() { ASSERT_TRUE(Ledger(*store).Commit("test")); }
  ItemHash Bound(const std::string& name) {
    auto b = FindBinding(store->db(), store->branch(), name);
    EXPECT_TRUE(b && *b) << name;
    return b && *b ? (*b)->item : ItemHash();
  }
  std::string Eval(const std::string& expr) {
    StoreNames names(store->db(), store->branch());
    auto parsed = lang::ParseExpression(expr, "e");
    auto resolved = lang::ResolveExpression(*parsed, names, "e");
    if (!resolved) return resolved.error().message();
    StoreItems items(store->db());
    lang::Evaluator ev(items, {});
    auto v = ev.EvalExpr(*resolved);
    return v ? lang::FormatValue(*v, BranchPrintNames(store->db(), store->branch()))
             : v.error().message();
  }

  TempDir dir;
  std::unique_ptr<Store> store;
};

TEST_F(AuthoringTest, ReAddingIdenticalContentStagesNothing) {
  Add("fn Demo.M.f x = x + 1");
  Commit();
  AddReport r = Add("fn Demo.M.f y = y + 1");  // a binder rename is the same item
  EXPECT_TRUE(r.added.empty());
  EXPECT_TRUE(r.updated.empty());
  EXPECT_EQ(r.unchanged, std::vector<std::string>{"Demo.M.f"});
}

TEST_F(AuthoringTest, ChangingAHelperRepointsEveryTransitiveDependent) {
  Add("fn Demo.Math.add x y = x + y\n"
      "fn Demo.Stats.sum xs = Builtin.List.fold Demo.Math.add 0 xs\n"
      "fn Demo.Stats.mean xs = Demo.Stats.sum xs / Builtin.List.length xs\n"
      "fn Demo.Other.id x = x\n");
  Commit();
  ItemHash mean_before = Bound("Demo.Stats.mean");
  ItemHash id_before = Bound("Demo.Other.id");
  AddReport r = Add("fn Demo.Math.add x y = y + x");
  EXPECT_EQ(r.updated, std::vector<std::string>{"Demo.Math.add"});
  EXPECT_EQ(r.repointed, (std::vector<std::string>{"Demo.Stats.sum", "Demo.Stats.mean"}));
  Commit();
  EXPECT_NE(Bound("Demo.Stats.mean"), mean_before);
  EXPECT_EQ(Bound("Demo.Other.id"), id_before);
  // The re-pointed items are the items fresh authoring would produce.
  auto fresh = AddSource(*store,
                         "fn Demo.Stats.sum xs = Builtin.List.fold Demo.Math.add 0 xs\n"
                         "fn Demo.Stats.mean xs = Demo.Stats.sum xs / Builtin.List.length xs\n",
                         "t.weft");
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->unchanged.size(), 2u);
  EXPECT_EQ(Eval("Demo.Stats.mean [2, 4]"), "3");
}

TEST_F(AuthoringTest, PropagationRehashesAMutuallyRecursiveComponent) {
  Add("fn Demo.P.base n = n == 0\n"
      "fn Demo.P.even n = if Demo.P.base n then true else Demo.P.odd (n - 1)\n"
      "fn Demo.P.odd n = if Demo.P.base n then false else Demo.P.even (n - 1)\n");
  Commit();
  AddReport r = Add("fn Demo.P.base n = n <= 0");
  EXPECT_EQ(r.repointed.size(), 2u);
  Commit();
  EXPECT_EQ(Eval("Demo.P.even 10"), "true");
  auto fresh = AddSource(*store,
                         "fn Demo.P.even n = if Demo.P.base n then true else Demo.P.odd (n - 1)\n"
                         "fn Demo.P.odd n = if Demo.P.base n then false else Demo.P.even (n - 1)\n",
                         "t.weft");
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->unchanged.size(), 2u);
}

TEST_F(AuthoringTest, PropagationCrossesARecursiveGroupAndEqualsFreshAuthoring) {
  Add("fn Demo.P.ping n = if n == 0 then \"ping\" else Demo.P.pong (n - 1)\n"
      "fn Demo.P.pong n = if n == 0 then \"pong\" else Demo.P.ping (n - 1)\n");
  Commit();
  AddReport r = Add("fn Demo.P.pong n = if n == 0 then \"PONG\" else Demo.P.ping (n - 1)");
  EXPECT_EQ(r.updated, std::vector<std::string>{"Demo.P.pong"});
  EXPECT_EQ(r.repointed, std::vector<std::string>{"Demo.P.ping"});
  Commit();
  EXPECT_EQ(Eval("Demo.P.ping 1"), "\"PONG\"");
  // A second store authoring both afresh binds the same two items.
  auto other = Store::Init(dir.Sub("fresh"), "fresh");
  ASSERT_TRUE(other);
  auto fresh = AddSource(**other,
                         "fn Demo.P.ping n = if n == 0 then \"ping\" else Demo.P.pong (n - 1)\n"
                         "fn Demo.P.pong n = if n == 0 then \"PONG\" else Demo.P.ping (n - 1)\n",
                         "t.weft");
  ASSERT_TRUE(fresh);
  ASSERT_TRUE(Ledger(**other).Commit("fresh"));
  for (const char* name : {"Demo.P.ping", "Demo.P.pong"}) {
    auto b = FindBinding((*other)->db(), "main", name);
    ASSERT_TRUE(b && *b);
    EXPECT_EQ((*b)->item, Bound(name)) << name;
  }
}

TEST_F(AuthoringTest, ReAddingOneMemberOfAGroupUnchangedStagesNothing) {
  Add("fn Demo.P.ping n = if n == 0 then 0 else Demo.P.pong (n - 1)\n"
      "fn Demo.P.pong n = if n == 0 then 1 else Demo.P.ping (n - 1)\n");
  Commit();
  AddReport r = Add("fn Demo.P.pong n = if n == 0 then 1 else Demo.P.ping (n - 1)");
  EXPECT_EQ(r.unchanged, std::vector<std::string>{"Demo.P.pong"});
  EXPECT_TRUE(r.repointed.empty());
  EXPECT_EQ(*CountStaged(store->db(), "main"), 0);
}

TEST_F(AuthoringTest, EditingAHelperTwiceBeforeCommittingRepointsItsStagedCallers) {
  Add("val Me.S.helper = 1");
  Add("fn Me.S.user x = x + Me.S.helper");
  AddReport r = Add("val Me.S.helper = 2");
  EXPECT_EQ(r.repointed, std::vector<std::string>{"Me.S.user"});
  Commit();
  EXPECT_EQ(Eval("Me.S.user 0"), "2");
}

TEST_F(AuthoringTest, EditingOneOfTwoSameShapedTypesLeavesTheOthersFunctionsAlone) {
  Add("type Demo.U.Celsius = C of Float\n"
      "type Demo.U.Meters = M of Float\n"
      "fn Demo.U.deg x = match x with | Demo.U.Celsius.C v -> v\n"
      "fn Demo.U.len x = match x with | Demo.U.Meters.M v -> v\n");
  Commit();
  EXPECT_NE(Bound("Demo.U.Celsius"), Bound("Demo.U.Meters"));
  ItemHash deg = Bound("Demo.U.deg");
  AddReport r = Add("type Demo.U.Meters = M of Float | Km of Float");
  EXPECT_EQ(r.repointed, std::vector<std::string>{"Demo.U.len"});
  Commit();
  EXPECT_EQ(Bound("Demo.U.deg"), deg);
  EXPECT_EQ(Eval("Demo.U.deg (Demo.U.Celsius.C 2.5)"), "2.5");
}

TEST_F(AuthoringTest, ADependentFollowsOnlyTheNameItWasWrittenAgainst) {
  // f and g are one item (identical content); each has a dependent written against it.
  Add("fn Al.C.f x = x + 3\n"
      "fn Al.C.g x = x + 3\n"
      "fn Al.C.usesF x = 7 * Al.C.f x\n"
      "fn Al.C.usesG x = 2 * Al.C.g x\n");
  Commit();
  ASSERT_EQ(Bound("Al.C.f"), Bound("Al.C.g"));
  AddReport r = Add("fn Al.C.f x = x + 100");
  EXPECT_EQ(r.repointed, std::vector<std::string>{"Al.C.usesF"});
  Commit();
  EXPECT_EQ(Eval("Al.C.usesF 0"), "700");
  EXPECT_EQ(Eval("Al.C.usesG 0"), "6");  // g's dependent runs what it ran before
}

TEST_F(AuthoringTest, AnAmbiguousDependentStaysAndIsReported) {
  // usesF and usesG are one item too: which name follows f cannot be known.
  Add("fn Al.D.f x = x + 3\n"
      "fn Al.D.g x = x + 3\n"
      "fn Al.D.usesF x = Al.D.f x\n"
      "fn Al.D.usesG x = Al.D.g x\n");
  Commit();
  AddReport r = Add("fn Al.D.f x = x + 100");
  EXPECT_TRUE(r.repointed.empty());
  EXPECT_EQ(r.left, (std::vector<std::string>{"Al.D.usesF", "Al.D.usesG"}));
  Commit();
  EXPECT_EQ(Eval("Al.D.usesG 0"), "3");
}

TEST_F(AuthoringTest, StagedDefinitionsAreVisibleToTheNextAdd) {
  Add("fn Demo.M.f x = x * 2");
  AddReport r = Add("val Demo.M.v = Demo.M.f 21");
  EXPECT_EQ(r.added, std::vector<std::string>{"Demo.M.v"});
  Commit();
  EXPECT_EQ(Eval("Demo.M.v"), "42");
}

TEST_F(AuthoringTest, AFunctionAndATypeWithOneNameDoNotHideEachOther) {
  Add("type Demo.M.Point = { x: Int }\nfn Demo.M.Point x = { x = x }");
  Commit();
  EXPECT_EQ(Eval("(Demo.M.Point 3).x"), "3");
  auto type = FindBinding(store->db(), "main", "Demo.M.Point", Namespace::kType);
  ASSERT_TRUE(type && *type);
}

TEST_F(AuthoringTest, BadSourceStagesNothing) {
  auto r = AddSource(*store, "val Demo.M.a = 1\nval Demo.M.b = Demo.M.nope", "t.weft");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "t.weft:2:16: unknown name Demo.M.nope");
  auto c = Ledger(*store).Commit("nothing");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), ErrorCode::kFailedPrecondition);
}

TEST_F(AuthoringTest, RebuildReproducesDependencies) {
  Add("fn Demo.M.f x = x\nval Demo.M.v = Demo.M.f 1");
  Commit();
  auto deps = store->db().QueryInt("SELECT COUNT(*) FROM dependencies");
  ASSERT_TRUE(deps);
  EXPECT_EQ(*deps, 1);
  ASSERT_TRUE(Ledger(*store).Rebuild());
  EXPECT_EQ(*store->db().QueryInt("SELECT COUNT(*) FROM dependencies"), 1);
}

}  // namespace
}  // namespace weft::workspace
