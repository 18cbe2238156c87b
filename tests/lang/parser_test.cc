#include "lang/parser.h"

#include <gtest/gtest.h>

#include <random>

#include "lang/lexer.h"
#include "lang_world.h"
#include "test_util.h"

namespace weft::lang {
namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(text.substr(start, nl - start));
  lines.push_back(text.substr(start));
  return lines;
}

std::string FirstLine(const std::string& text) { return SplitLines(text)[0]; }

// The first line of the error: the located sentence (the next two show the source).
std::string ErrorOf(const std::string& src) {
  auto r = ParseFile(src, "f.weft");
  return r ? "" : FirstLine(r.error().message());
}

TEST(Parser, AFileHoldsManyDefinitions) {
  auto defs = ParseFile(
      "-- a comment\nfn Demo.M.add x y = x + y\nval Demo.M.v = 1\ntype Demo.M.T = A | B of Int\n",
      "f.weft");
  ASSERT_TRUE(defs) << defs.error().message();
  ASSERT_EQ(defs->size(), 3u);
  EXPECT_EQ((*defs)[0].name, "Demo.M.add");
  EXPECT_EQ((*defs)[0].source, "fn Demo.M.add x y = x + y");
  EXPECT_EQ((*defs)[2].kind, DefKind::kType);
  EXPECT_EQ((*defs)[2].type->cases.size(), 2u);
}

TEST(Parser, ErrorsNameFileLineAndColumn) {
  EXPECT_EQ(ErrorOf("fn Demo.M.f x y z + y"),
            "f.weft:1:19: expected '=' after parameters, found '+'");
  EXPECT_EQ(ErrorOf("val Demo.M.v =\n  \"open"), "f.weft:2:3: unterminated string");
  EXPECT_EQ(
      ErrorOf("fn f x = x"),
      "f.weft:1:4: expected a fully-qualified name (Owner.Module.name) after 'fn', found 'f'");
  EXPECT_EQ(ErrorOf("val Demo.M.v = 1 +"),
            "f.weft:1:19: expected an expression, found the end of the input");
  EXPECT_EQ(ErrorOf("val Demo.M.v = \"bad \\q\""), "f.weft:1:21: unknown escape '\\q' in string");
  EXPECT_EQ(ErrorOf("val Demo.M.v = 99999999999999999999"),
            "f.weft:1:16: integer literal 99999999999999999999 does not fit in 64 bits");
}

TEST(Parser, ErrorsShowTheLineWithACaretUnderTheColumn) {
  auto r = ParseFile("val Demo.M.a = 1\nfn Demo.M.f x =\n  x +\n\nval Demo.M.b = 2", "f.weft");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "f.weft:5:1: expected an expression, found 'val'\n"
            "  5 | val Demo.M.b = 2\n"
            "    | ^");
  // A tab before the column is kept, so the caret lines up in a terminal; a
  // multi-byte character counts once.
  auto tab = ParseExpression("\t\"é\" + )", "<eval>");
  ASSERT_FALSE(tab);
  EXPECT_EQ(tab.error().message(),
            "<eval>:1:9: expected an expression, found ')'\n"
            "  1 | \t\"é\" + )\n"
            "    | \t      ^");
}

TEST(Parser, AParameterNamedTwiceIsAnError) {
  EXPECT_EQ((ErrorOf("fn Demo.M.f x x = x")), "f.weft:1:15: the parameter x is named twice");
  EXPECT_EQ((ErrorOf("val Demo.M.g = fun a b a -> a")),
            "f.weft:1:24: the parameter a is named twice");
  // The same name in nested functions is shadowing, which is allowed.
  EXPECT_TRUE(ParseFile("fn Demo.M.h x = fun x -> x", "f.weft"));
}

TEST(Parser, DuplicateDefinitionsInOneFileAreRejected) {
  EXPECT_EQ(ErrorOf("val Demo.M.v = 1\nval Demo.M.v = 2"),
            "f.weft:2:1: Demo.M.v is defined twice in this file");
  // A term and a type may share a name: they live in different namespaces.
  EXPECT_EQ(ErrorOf("val Demo.M.v = 1\ntype Demo.M.v = A"), "");
}

TEST(Parser, NineHundredNestedLevelsStillParse) {
  std::string deep = "val Demo.M.v = " + std::string(900, '(') + "1" + std::string(900, ')');
  EXPECT_EQ(ErrorOf(deep), "");
  std::string lets;
  for (int i = 0; i < 900; ++i)
    lets += "let x" + std::to_string(i) + " = " + std::to_string(i) + " in ";
  EXPECT_EQ(ErrorOf("val Demo.M.v = " + lets + "x0"), "");
  testing::World w;
  auto items = w.Add("val Demo.M.v = " + std::string(900, '[') + std::string(900, ']'));
  ASSERT_TRUE(items) << items.error().message();
  auto decoded = w.Decode(items->back().hash);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(PrintComponent(decoded->component, w.Names()).size(),
            std::string("val Demo.M.v = ").size() + 1800);
}

TEST(Parser, TenThousandNestedParenthesesAreAnErrorNotACrash) {
  std::string deep = "val Demo.M.v = " + std::string(10'000, '(') + "1" + std::string(10'000, ')');
  std::string err = ErrorOf(deep);
  EXPECT_NE(err.find("nesting is deeper than"), std::string::npos) << err;
  std::string deep_list = "val Demo.M.v = " + std::string(10'000, '[') + std::string(10'000, ']');
  EXPECT_NE(ErrorOf(deep_list).find("nesting is deeper than"), std::string::npos);
  std::string negations = "val Demo.M.v = ";
  for (int i = 0; i < 10'000; ++i) negations += "- ";  // "--" would start a comment
  negations += "x";
  EXPECT_NE(ErrorOf(negations).find("nesting is deeper than"), std::string::npos);
  std::string patterns = "fn Demo.M.f v = match v with | " + std::string(10'000, '(') + "x";
  EXPECT_NE(ErrorOf(patterns).find("nesting is deeper than"), std::string::npos);
}

std::string Chain(int terms, const std::string& op, const std::string& term) {
  std::string out = term;
  for (int i = 1; i < terms; ++i) out += " " + op + " " + term;
  return out;
}

TEST(Parser, LongOperatorChainsCountLikeBracketsAndAreAnErrorNotACrash) {
  for (const char* op : {"+", "::", "|>", "++", "&&", "*", "==", "-"}) {
    std::string err = ErrorOf("val Demo.M.v = " + Chain(15'000, op, "1"));
    EXPECT_NE(err.find("nesting is deeper than 1000 levels"), std::string::npos)
        << op << ": " << err;
  }
  std::string fields = "val Demo.M.v = x";
  for (int i = 0; i < 5'000; ++i) fields += ".a";
  EXPECT_NE(ErrorOf(fields).find("deeper than 1000"), std::string::npos);
  auto eval = ParseExpression(Chain(15'000, "+", "1"), "<eval>");
  ASSERT_FALSE(eval);
  EXPECT_NE(eval.error().message().find("deeper than 1000"), std::string::npos);
}

TEST(Parser, WhateverParsesTheDecoderReadsBack) {
  // One limit for the parser, the encoder and the decoder: the deepest chain that
  // parses is stored and read back, one more term is refused at parse time.
  testing::World w;
  auto items = w.Add("val Demo.M.v = " + Chain(1000, "+", "1"));
  ASSERT_TRUE(items) << items.error().message();
  auto decoded = w.Decode(items->back().hash);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(w.EvalText("Demo.M.v").value_or("?"), "1000");
  EXPECT_NE(ErrorOf("val Demo.M.w = " + Chain(1002, "+", "1")).find("deeper than 1000"),
            std::string::npos);
  // Resolution can deepen a tree (a name followed by fields): the encoder refuses
  // it rather than store what the decoder would not read.
  ASSERT_TRUE(w.Add("val Demo.M.r = { a = 1 }"));
  const std::string deep = "val Demo.M.s = " + Chain(997, "::", "1") + " :: Demo.M.r.a.b.c";
  EXPECT_EQ(ErrorOf(deep), "");  // 998 levels as written
  auto refused = w.Add(deep);    // 1001 once the fields are resolved
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("the limit is 1000"), std::string::npos)
      << refused.error().message();
}

TEST(Parser, TheLeastIntIsALiteralAndOutOfRangeNumbersAreErrors) {
  testing::World w;
  EXPECT_EQ(w.EvalText("-9223372036854775808").value_or("?"), "-9223372036854775808");
  EXPECT_EQ(w.EvalText("match -9223372036854775808 with | -9223372036854775808 -> 1 | _ -> 2")
                .value_or("?"),
            "1");
  EXPECT_NE(ErrorOf("val Demo.M.v = 9223372036854775808").find("does not fit in 64 bits"),
            std::string::npos);
  EXPECT_NE(ErrorOf("val Demo.M.v = -9223372036854775809").find("does not fit in 64 bits"),
            std::string::npos);
  EXPECT_NE(ErrorOf("val Demo.M.v = 1e999").find("too large"), std::string::npos);
  EXPECT_NE(ErrorOf("val Demo.M.v = -1e999").find("too large"), std::string::npos);
  EXPECT_EQ(w.EvalText("1e308 * 10.0").value_or("?"), "inf");  // at run time only
}

TEST(Parser, OperatorsBindAsDocumented) {
  testing::World w;
  // * binds tighter than +, :: and ++ associate to the right, |> is loosest.
  EXPECT_EQ(w.EvalText("1 + 2 * 3").value_or("?"), "7");
  EXPECT_EQ(w.EvalText("1 :: 2 :: []").value_or("?"), "[1, 2]");
  EXPECT_EQ(w.EvalText("\"a\" ++ \"b\" ++ \"c\"").value_or("?"), "\"abc\"");
  EXPECT_EQ(w.EvalText("3 |> fun x -> x * 2").value_or("?"), "6");
  EXPECT_EQ(w.EvalText("10 - 3 - 2").value_or("?"), "5");
  EXPECT_EQ(w.EvalText("1 < 2 && 2 < 3 || false").value_or("?"), "true");
  EXPECT_EQ(w.EvalText("-3 + 1").value_or("?"), "-2");
}

TEST(Parser, RandomBytesNeverCrashTheParser) {
  const unsigned seed = weft::testing::TestSeed();
  std::mt19937 rng(seed);
  const std::string alphabet = "fnvaltype=()[]{}|->:;,.\"\\ \nxyzABC0123456789+*/_#";
  for (int i = 0; i < 3000; ++i) {
    std::string src;
    int n = static_cast<int>(rng() % 80);
    for (int k = 0; k < n; ++k) src += alphabet[rng() % alphabet.size()];
    auto file = ParseFile(src, "fuzz");
    auto expr = ParseExpression(src, "fuzz");
    for (const Error* err : {file ? nullptr : &file.error(), expr ? nullptr : &expr.error()}) {
      if (err == nullptr) continue;
      // Every failure is one located line, then the line it points at and a caret.
      EXPECT_TRUE(err->message().starts_with("fuzz:")) << err->message() << " for " << src;
      auto lines = SplitLines(err->message());
      ASSERT_TRUE(lines.size() == 1 || lines.size() == 3) << err->message();
      if (lines.size() == 3) {
        EXPECT_NE(lines[1].find(" | "), std::string::npos) << err->message();
        EXPECT_TRUE(lines[2].ends_with("^")) << err->message();
      }
    }
  }
}

}  // namespace
}  // namespace weft::lang
