#include "workspace/history.h"

#include <gtest/gtest.h>

#include "fold/ledger.h"
#include "test_util.h"
#include "workspace/authoring.h"
#include "workspace/branches.h"
#include "workspace/dashboard_login.h"

namespace weft::workspace {
namespace {

using weft::testing::TempDir;

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Init(dir.Sub("s"), "laptop");
    ASSERT_TRUE(s) << s.error().message();
    store = std::move(*s);
  }
  void AddAndCommit(const std::string& src) {
    ASSERT_TRUE(AddSource(*store, src, "t.weft"));
    ASSERT_TRUE(Ledger(*store).Commit("test"));
  }
  TempDir dir;
  std::unique_ptr<Store> store;
};

TEST_F(HistoryTest, TheLogFiltersByBranchAndByInstance) {
  AddAndCommit("val Demo.a = 1");
  ASSERT_TRUE(CreateBranch(*store, "feature"));
  ASSERT_TRUE(SwitchBranch(*store, "feature"));
  AddAndCommit("val Demo.a = 2");
  AddAndCommit("val Demo.b = 3");
  auto all = RecentLog(*store, 50);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 4u);  // two commits on main (one makes the branch), two on feature
  auto feature = RecentLog(*store, 50, {"feature", ""});
  ASSERT_TRUE(feature);
  ASSERT_EQ(feature->size(), 2u);
  for (const auto& c : *feature) EXPECT_EQ(c.change.branch, "feature");
  auto limited = RecentLog(*store, 1, {"feature", ""});
  ASSERT_TRUE(limited);
  ASSERT_EQ(limited->size(), 1u);
  EXPECT_EQ(limited->front().hash, feature->front().hash);  // the newest
  auto mine = RecentLog(*store, 50, {"", "laptop"});
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->size(), 4u);
  auto nobody = RecentLog(*store, 50, {"", "desktop"});
  ASSERT_TRUE(nobody);
  EXPECT_TRUE(nobody->empty());
}

TEST_F(HistoryTest, ADashboardTokenIsCheckedAndANewOneRetiresTheOld) {
  auto none = IsDashboardToken(*store, "anything");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);  // no token minted yet
  auto first = NewDashboardToken(*store);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->size(), 64u);
  EXPECT_TRUE(*IsDashboardToken(*store, *first));
  EXPECT_FALSE(*IsDashboardToken(*store, ""));
  EXPECT_FALSE(*IsDashboardToken(*store, first->substr(0, 63)));
  auto kept = store->GetMeta("dashboard_token_sha256");
  ASSERT_TRUE(kept && *kept);
  EXPECT_EQ((*kept)->find(*first), std::string::npos);  // only its hash is stored
  auto second = NewDashboardToken(*store);
  ASSERT_TRUE(second);
  EXPECT_NE(*first, *second);
  EXPECT_FALSE(*IsDashboardToken(*store, *first));
  EXPECT_TRUE(*IsDashboardToken(*store, *second));
}

}  // namespace
}  // namespace weft::workspace
