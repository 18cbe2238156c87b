#include "core/suggest.h"

#include <gtest/gtest.h>

namespace weft {
namespace {

TEST(Suggest, EditDistanceCountsATranspositionAsOneStep) {
  EXPECT_EQ(EditDistance("commit", "commit", 3), 0u);
  EXPECT_EQ(EditDistance("comit", "commit", 3), 1u);
  EXPECT_EQ(EditDistance("stauts", "status", 3), 1u);
  EXPECT_EQ(EditDistance("kitten", "sitting", 5), 3u);
  EXPECT_EQ(EditDistance("", "abc", 5), 3u);
  // Past the limit the answer is limit + 1, found early.
  EXPECT_EQ(EditDistance("a", "zzzzzzzz", 2), 3u);
  EXPECT_EQ(EditDistance("abcdefgh", "hgfedcba", 2), 3u);
}

TEST(Suggest, NearestRanksByDistanceAndLeavesOutWhatIsFar) {
  const std::vector<std::string> commands = {"init", "add", "commit", "status", "show", "sync",
                                             "log",  "ls",  "eval",   "run",    "rm",   "mv"};
  EXPECT_EQ(Nearest("comit", commands), std::vector<std::string>{"commit"});
  EXPECT_EQ(Nearest("stauts", commands), std::vector<std::string>{"status"});
  EXPECT_EQ(Nearest("frobnicate", commands), std::vector<std::string>{});
  // The exact name is never suggested; ties keep the candidates' order.
  EXPECT_EQ(Nearest("lg", commands), (std::vector<std::string>{"log", "ls"}));
  EXPECT_EQ(Nearest("show", commands), std::vector<std::string>{});
  // A prefix of three or more letters finds the longer name.
  EXPECT_EQ(Nearest("Demo.Math.sq", {"Demo.Math.square", "Demo.Text.greet"}),
            std::vector<std::string>{"Demo.Math.square"});
  // Nothing of a one-letter name survives a one-letter change: no suggestion.
  EXPECT_EQ(Nearest("y", {"x", "z"}), std::vector<std::string>{});
  EXPECT_EQ(Nearest("xs", {"x", "ys"}), (std::vector<std::string>{"x", "ys"}));
  EXPECT_EQ(DidYouMean({}), "");
  EXPECT_EQ(DidYouMean({"a"}), "; did you mean `a`?");
  EXPECT_EQ(DidYouMean({"a", "b", "c"}), "; did you mean `a`, `b` or `c`?");
}

}  // namespace
}  // namespace weft
