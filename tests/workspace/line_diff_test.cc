#include "workspace/line_diff.h"

#include <gtest/gtest.h>

namespace weft::workspace {
namespace {

using Lines = std::vector<std::string>;

TEST(LineDiff, KeepsCommonLinesAndRemovesBeforeAdding) {
  EXPECT_EQ(LineDiff("a\nb\nc", "a\nx\nc"), (Lines{"  a", "- b", "+ x", "  c"}));
  EXPECT_EQ(LineDiff("", "new"), (Lines{"+ new"}));
  EXPECT_EQ(LineDiff("old", ""), (Lines{"- old"}));
  EXPECT_EQ(LineDiff("same\n", "same"), (Lines{"  same"}));
  // The longest common subsequence is kept whole.
  EXPECT_EQ(LineDiff("1\n2\n3\n4", "2\n3\n5"), (Lines{"- 1", "  2", "  3", "- 4", "+ 5"}));
}

TEST(LineDiff, AHugePairFallsBackToRemovedThenAdded) {
  std::string a, b;
  for (int i = 0; i < 2100; ++i) {
    a += "a" + std::to_string(i) + "\n";
    b += "b" + std::to_string(i) + "\n";
  }
  const Lines d = LineDiff(a, b);
  ASSERT_EQ(d.size(), 4200u);
  EXPECT_EQ(d.front(), "- a0");
  EXPECT_EQ(d.back(), "+ b2099");
}

}  // namespace
}  // namespace weft::workspace
