// The queries the dashboard pages through: bindings a page at a time, the names
// alone, and the modules with their counts.
#include <gtest/gtest.h>

#include "fold/ledger.h"
#include "fold/queries.h"
#include "test_util.h"
#include "workspace/authoring.h"
#include "workspace/names.h"

namespace weft {
namespace {

using testing::TempDir;

TEST(BrowseQueries, BindingsComeAPageAtATimeAndModulesWithTheirCounts) {
  TempDir dir;
  auto s = Store::Init(dir.Sub("s"), "laptop");
  ASSERT_TRUE(s);
  Store& store = **s;
  ASSERT_TRUE(workspace::AddSource(store,
                                   "val A.x = 1\nval A.y = 2\nval A.z = 3\nval A.B.w = 4\n"
                                   "type A.T = { a: Int }",
                                   "t.weft"));
  ASSERT_TRUE(Ledger(store).Commit("names"));
  auto page1 = ListBindings(store.db(), "main", "A.", "", 2);
  ASSERT_TRUE(page1);
  ASSERT_EQ(page1->size(), 2u);
  EXPECT_EQ((*page1)[0].location, "A.B.w");
  EXPECT_EQ((*page1)[1].location, "A.T");
  auto page2 = ListBindings(store.db(), "main", "A.", page1->back().location, 2);
  ASSERT_TRUE(page2);
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_EQ((*page2)[0].location, "A.x");
  auto rest = ListBindings(store.db(), "main", "A.", (*page2)[1].location);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].location, "A.z");

  auto locations = ListLocations(store.db(), "main");
  ASSERT_TRUE(locations);
  ASSERT_EQ(locations->size(), 5u);
  EXPECT_EQ(locations->front(), std::make_pair(std::string("A.B.w"), Namespace::kTerm));
  EXPECT_EQ((*locations)[1], std::make_pair(std::string("A.T"), Namespace::kType));

  auto modules = ModuleCounts(store.db(), "main");
  ASSERT_TRUE(modules);
  const std::vector<std::pair<std::string, std::int64_t>> want = {{"A", 4}, {"A.B", 1}};
  EXPECT_EQ(*modules, want);
  auto other = ModuleCounts(store.db(), "nobranch");
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->empty());
}

// A page of names ends whole: a location bound as a term and as a type is never
// split between two pages.
TEST(BrowseQueries, APageOfNamesNeverSplitsALocationsTwoBindings) {
  TempDir dir;
  auto s = Store::Init(dir.Sub("s"), "laptop");
  ASSERT_TRUE(s);
  Store& store = **s;
  ASSERT_TRUE(workspace::AddSource(
      store, "val A.a = 1\nval A.p = 2\ntype A.p = { x: Int }\nval A.q = 3", "t.weft"));
  ASSERT_TRUE(Ledger(store).Commit("names"));
  std::vector<std::pair<std::string, Namespace>> seen;
  std::string after;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = workspace::NameRows(store, "A.", after, 2);
    ASSERT_TRUE(page) << page.error().message();
    if (page->empty()) break;
    for (const auto& r : *page) seen.emplace_back(r.binding.location, r.binding.ns);
    after = page->back().binding.location;
  }
  const std::vector<std::pair<std::string, Namespace>> want = {{"A.a", Namespace::kTerm},
                                                               {"A.p", Namespace::kTerm},
                                                               {"A.p", Namespace::kType},
                                                               {"A.q", Namespace::kTerm}};
  EXPECT_EQ(seen, want);
}

}  // namespace
}  // namespace weft
