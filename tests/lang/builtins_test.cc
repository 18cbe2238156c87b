#include "lang/builtins.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "lang/evaluator.h"
#include "lang/value.h"

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
    EXPECT_GE(b.arity, 1) << b.name;
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

}  // namespace
}  // namespace weft::lang
