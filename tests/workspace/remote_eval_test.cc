#include "workspace/remote_eval.h"

#include <gtest/gtest.h>

#include "fold/ledger.h"
#include "test_util.h"
#include "workspace/authoring.h"

namespace weft::workspace {
namespace {

using weft::testing::TempDir;

class PeerEvalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Init(dir.Sub("s"), "desktop");
    ASSERT_TRUE(s) << s.error().message();
    store = std::move(*s);
    ASSERT_TRUE(AddSource(*store, "fn Demo.M.f x = x + 1", "t.weft"));
    ASSERT_TRUE(Ledger(*store).Commit("f"));
  }
  Result<net::RemoteEvalAnswer> Serve(const net::RemoteEvalRequest& r) {
    return ServePeerEval(dir.Sub("s"), r, std::chrono::milliseconds(1000));
  }

  TempDir dir;
  std::unique_ptr<Store> store;
};

TEST_F(PeerEvalTest, RunsTheCommittedCodeOfTheRequestedBranch) {
  net::RemoteEvalRequest r;
  r.call = "Demo.M.f";
  r.args = {"41"};
  auto a = Serve(r);
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_EQ(a->value, "42");
  EXPECT_EQ(a->type, "Int");
  // A staged edit here is not what a peer asked to run.
  ASSERT_TRUE(AddSource(*store, "fn Demo.M.f x = x + 100", "t.weft"));
  a = Serve(r);
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_EQ(a->value, "42");
}

TEST_F(PeerEvalTest, AnUnknownBranchOrNameIsNotFound) {
  net::RemoteEvalRequest r;
  r.expression = "Demo.M.f 1";
  r.branch = "nowhere";
  auto a = Serve(r);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(a.error().message().find("no branch nowhere"), std::string::npos);
  r.branch = "main";
  r.expression.clear();
  r.call = "Demo.M.missing";
  a = Serve(r);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code(), ErrorCode::kNotFound);
}

TEST_F(PeerEvalTest, LimitsAreCappedAtThePeersOwn) {
  net::RemoteEvalRequest r;
  r.expression = "Builtin.List.fold (fun a k -> a + k) 0 (Builtin.List.range 0 10000)";
  r.max_steps = 50;
  auto a = Serve(r);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code(), ErrorCode::kEvaluation);
  EXPECT_NE(a.error().message().find("step budget"), std::string::npos);
  // Asking for more than the ceiling gets the ceiling, not more.
  r.max_steps = std::numeric_limits<std::uint64_t>::max();
  r.max_depth = std::numeric_limits<std::uint64_t>::max();
  a = Serve(r);
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_LE(a->steps, PeerEvalCeiling().max_steps);
  EXPECT_GT(PeerEvalCeiling().max_time.count(), 0);
}

TEST_F(PeerEvalTest, ATypoIsBadInput) {
  net::RemoteEvalRequest r;
  r.expression = "1 +";
  auto a = Serve(r);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace weft::workspace
