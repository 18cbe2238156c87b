#include "lang/builtins.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "lang/builtin_types.h"
#include "lang/evaluator.h"
#include "lang/value.h"
#include "lang_world.h"

namespace weft::lang {
namespace {

// Applies a function value by refusing: the first-order builtins never call it.
class NoApply final : public Applier {
 public:
  Result<ValuePtr> Apply(const ValuePtr&, std::vector<ValuePtr>) override {
    ++calls;
    return Fail(ErrorCode::kEvaluation, "not expected");
  }
  int calls = 0;
};

TEST(Builtins, OneTableOfNamesArityDocAndImplementation) {
  std::set<std::string_view> names;
  for (const BuiltinInfo& b : AllBuiltins()) {
    EXPECT_TRUE(b.name.starts_with("Builtin.")) << b.name;
    EXPECT_TRUE(names.insert(b.name).second) << "twice: " << b.name;
    // Only a constant has arity 0.
    EXPECT_TRUE(b.arity >= 1 || b.name == "Builtin.Dict.empty") << b.name;
    EXPECT_FALSE(b.doc.empty()) << b.name;
    EXPECT_NE(b.fn, nullptr) << b.name;
    EXPECT_EQ(FindBuiltin(b.name), &b);
  }
  EXPECT_EQ(FindBuiltin("Builtin.List.nope"), nullptr);
}

TEST(Builtins, DocsListEveryBuiltin) {
  std::ifstream in(WEFT_DOCS_DIR "/language.md");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  for (const BuiltinInfo& b : AllBuiltins()) {
    EXPECT_NE(text.str().find("| `" + std::string(b.name) + "` |"), std::string::npos)
        << b.name << " is not in the builtins table of docs/language.md";
  }
}

TEST(Builtins, AWrongArgumentIsATypedErrorNamingTheBuiltin) {
  NoApply apply;
  for (const BuiltinInfo& b : AllBuiltins()) {
    if (b.arity == 0) continue;
    // A record is the right argument for no builtin, in any position.
    std::vector<ValuePtr> args(static_cast<std::size_t>(b.arity), MakeValue(VRecord{}));
    auto r = b.fn(args, apply);
    ASSERT_FALSE(r) << b.name;
    EXPECT_EQ(r.error().code(), ErrorCode::kEvaluation) << b.name;
    EXPECT_NE(r.error().message().find("type mismatch"), std::string::npos)
        << b.name << ": " << r.error().message();
    EXPECT_NE(r.error().message().find(b.name), std::string::npos) << r.error().message();
  }
  EXPECT_EQ(apply.calls, 0);
}

TEST(Builtins, HigherOrderOnesCallBackThroughTheApplier) {
  class Doubler final : public Applier {
   public:
    Result<ValuePtr> Apply(const ValuePtr&, std::vector<ValuePtr> args) override {
      std::int64_t sum = 0;
      for (const auto& a : args) sum += std::get<std::int64_t>(a->v);
      return MakeValue(sum * 2);
    }
  } doubler;
  ValuePtr list = ListValue({MakeValue(std::int64_t{1}), MakeValue(std::int64_t{2})});
  auto mapped = FindBuiltin("Builtin.List.map")->fn({MakeValue(std::monostate{}), list}, doubler);
  ASSERT_TRUE(mapped) << mapped.error().message();
  EXPECT_EQ(FormatValue(*mapped, {}), "[2, 4]");
  auto folded = FindBuiltin("Builtin.List.fold")
                    ->fn({MakeValue(std::monostate{}), MakeValue(std::int64_t{0}), list}, doubler);
  ASSERT_TRUE(folded) << folded.error().message();
  EXPECT_EQ(FormatValue(*folded, {}), "8");  // ((0 + 1) * 2 + 2) * 2
}

std::string ReadDocs() {
  std::ifstream in(WEFT_DOCS_DIR "/language.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The cells of a markdown table row, with the backticks of code cells removed.
std::vector<std::string> Cells(const std::string& row) {
  std::vector<std::string> cells;
  std::size_t start = 1;
  for (std::size_t bar; (bar = row.find(" | ", start)) != std::string::npos; start = bar + 3)
    cells.push_back(row.substr(start, bar - start));
  cells.push_back(row.substr(start, row.rfind(" |") - start));
  for (auto& c : cells) {
    while (!c.empty() && c.front() == ' ') c.erase(0, 1);
    if (c.size() >= 2 && c.front() == '`' && c.back() == '`') c = c.substr(1, c.size() - 2);
  }
  return cells;
}

TEST(Builtins, EveryDocumentedExampleGivesItsResult) {
  const std::string docs = ReadDocs();
  ASSERT_FALSE(docs.empty());
  testing::World w;
  std::set<std::string> documented;
  std::istringstream lines(docs);
  int examples = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("| `Builtin.")) continue;
    auto cells = Cells(line);
    ASSERT_EQ(cells.size(), 4u) << line;
    documented.insert(cells[0]);
    auto got = w.EvalText(cells[2]);
    ASSERT_TRUE(got) << cells[2] << ": " << got.error().message();
    EXPECT_EQ(*got, cells[3]) << "the example of " << cells[0];
    EXPECT_NE(cells[2].find(cells[0]), std::string::npos) << cells[0] << "'s example uses it";
    ++examples;
  }
  for (const BuiltinInfo& b : AllBuiltins()) {
    EXPECT_TRUE(documented.contains(std::string(b.name)))
        << b.name << " has no example row in docs/language.md";
  }
  EXPECT_GE(examples, static_cast<int>(AllBuiltins().size()));
}

TEST(Builtins, OptionAndResultAreMatchedLikeAnyVariant) {
  testing::World w;
  ASSERT_TRUE(
      w.Add("fn Demo.O.first xs = match Builtin.List.head xs with\n"
            "  | Builtin.Option.Some x -> x\n"
            "  | Builtin.Option.None -> 0\n"
            "fn Demo.O.check r = match r with | Builtin.Result.Ok x -> x | "
            "Builtin.Result.Err e -> Builtin.String.length e"));
  EXPECT_EQ(w.EvalText("Demo.O.first [5, 6]").value_or("?"), "5");
  EXPECT_EQ(w.EvalText("Demo.O.first []").value_or("?"), "0");
  EXPECT_EQ(w.EvalText("Demo.O.check (Builtin.Result.Err \"four\")").value_or("?"), "4");
  EXPECT_EQ(w.EvalText("Builtin.Option.Some 1 == Builtin.Option.Some 1").value_or("?"), "true");
  EXPECT_EQ(w.EvalText("Builtin.Option.Some 1 == Builtin.Option.None").value_or("?"), "false");
  // An unknown case of a builtin type is an error at resolution, not at run time.
  auto bad = w.Add("val Demo.O.v = Builtin.Option.Maybe 1");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("unknown builtin Builtin.Option.Maybe"), std::string::npos)
      << bad.error().message();
  // The builtin types' digests are fixed and distinct from any item's.
  ASSERT_EQ(AllBuiltinTypes().size(), 2u);
  EXPECT_NE(AllBuiltinTypes()[0].digest, AllBuiltinTypes()[1].digest);
}

TEST(Builtins, ADictKeepsKeyOrderAndOldVersions) {
  testing::World w;
  // 2,000 inserts in a scrambled order come out sorted; an early version is intact.
  EXPECT_EQ(
      w.EvalText("let d = Builtin.List.fold (fun d i -> Builtin.Dict.insert ((i * 7919) % 2000) "
                 "i d) Builtin.Dict.empty (Builtin.List.range 0 2000) in "
                 "Builtin.Dict.keys d == Builtin.List.range 0 2000")
          .value_or("?"),
      "true");
  EXPECT_EQ(w.EvalText("let a = Builtin.Dict.insert 1 \"a\" Builtin.Dict.empty in "
                       "let b = Builtin.Dict.insert 2 \"b\" a in "
                       "let c = Builtin.Dict.remove 1 b in "
                       "[Builtin.Dict.size a, Builtin.Dict.size b, Builtin.Dict.size c]")
                .value_or("?"),
            "[1, 2, 1]");
  // Removing every key in another order leaves an empty Dict, equal to empty.
  EXPECT_EQ(
      w.EvalText("let d = Builtin.Dict.fromList (Builtin.List.map (fun i -> { key = i, value = i "
                 "}) (Builtin.List.range 0 500)) in Builtin.List.fold (fun d i -> "
                 "Builtin.Dict.remove ((i * 13) % 500) d) d (Builtin.List.range 0 500) == "
                 "Builtin.Dict.empty")
          .value_or("?"),
      "true");
  auto mixed =
      w.EvalText("Builtin.Dict.insert \"a\" 1 (Builtin.Dict.insert 1 1 Builtin.Dict.empty)");
  ASSERT_FALSE(mixed);
  EXPECT_NE(mixed.error().message().find("cannot order String and Int"), std::string::npos)
      << mixed.error().message();
}

TEST(Builtins, AWordCounterSplitsCountsAndSorts) {
  testing::World w;
  ASSERT_TRUE(w.Add(
      "fn Demo.W.count text = Builtin.String.split \" \" (Builtin.String.lower text)\n"
      "  |> Builtin.List.filter (fun w -> w != \"\")\n"
      "  |> Builtin.List.fold (fun d w -> Builtin.Dict.insert w (1 + Builtin.Option.withDefault 0 "
      "(Builtin.Dict.get w d)) d) Builtin.Dict.empty\n"
      "  |> Builtin.Dict.toList\n"
      "  |> Builtin.List.sortBy (fun e -> 0 - e.value)\n"
      "  |> Builtin.List.map (fun e -> e.key ++ \"=\" ++ Builtin.Int.toString e.value)"));
  EXPECT_EQ(w.EvalText("Demo.W.count \"The cat and the  hat and THE bat\"").value_or("?"),
            "[\"the=3\", \"and=2\", \"bat=1\", \"cat=1\", \"hat=1\"]");
}

}  // namespace
}  // namespace weft::lang
