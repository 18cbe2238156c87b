#include "lang/evaluator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>

#include "lang_world.h"

namespace weft::lang {
namespace {

using testing::World;

const char* kDemo =
    "fn Demo.Math.add x y = x + y\n"
    "fn Demo.Math.fact n = if n <= 1 then 1 else n * Demo.Math.fact (n - 1)\n"
    "fn Demo.Text.greet name = \"Hello, \" ++ name ++ \"!\"\n"
    "val Demo.Greeting.hello = Demo.Text.greet \"world\"\n"
    "type Demo.Geo.Point = { x: Float, y: Float }\n"
    "type Demo.Geo.Shape = Circle of Float | Rect of Float * Float\n"
    "fn Demo.Geo.area s = match s with\n"
    "  | Demo.Geo.Shape.Circle r -> 3.0 * r * r\n"
    "  | Demo.Geo.Shape.Rect w h -> w * h\n"
    "val Demo.Geo.origin = { x = 0.5, y = 2.0 }\n"
    "fn Demo.Lists.len xs = match xs with | [] -> 0 | _ :: rest -> 1 + Demo.Lists.len rest\n"
    "fn Demo.P.even n = if n == 0 then true else Demo.P.odd (n - 1)\n"
    "fn Demo.P.odd n = if n == 0 then false else Demo.P.even (n - 1)\n"
    "fn Demo.M.loop n = Demo.M.loop (n + 1)\n"
    "fn Demo.M.first xs = match xs with | h :: _ -> h\n";

class EvalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = w.Add(kDemo);
    ASSERT_TRUE(r) << r.error().message();
  }
  std::string Eval(const std::string& e) {
    auto r = w.EvalText(e);
    return r ? *r : "error: " + r.error().message();
  }
  World w;
};

TEST_F(EvalTest, RecursionArithmeticAndStrings) {
  EXPECT_EQ(Eval("Demo.Math.fact 20"), "2432902008176640000");
  EXPECT_EQ(Eval("Demo.Math.add 2 40"), "42");
  EXPECT_EQ(Eval("Demo.Greeting.hello"), "\"Hello, world!\"");
  EXPECT_EQ(Eval("Demo.P.even 10"), "true");
  EXPECT_EQ(Eval("Demo.Lists.len [1, 2, 3]"), "3");
}

TEST_F(EvalTest, ConstructorsRecordsAndPatterns) {
  EXPECT_EQ(Eval("Demo.Geo.area (Demo.Geo.Shape.Rect 2.0 3.5)"), "7.0");
  EXPECT_EQ(Eval("Demo.Geo.area (Demo.Geo.Shape.Circle 1.0)"), "3.0");
  EXPECT_EQ(Eval("Demo.Geo.Shape.Rect 1.0"), "<constructor>");
  EXPECT_EQ(Eval("Demo.Geo.Shape.Rect 1.0 2.0"), "Demo.Geo.Shape.Rect 1.0 2.0");
  EXPECT_EQ(Eval("Demo.Geo.origin.y"), "2.0");
  EXPECT_EQ(Eval("(Demo.Geo.origin).x"), "0.5");
  EXPECT_EQ(Eval("match { a = 1, b = [2, 3] } with | { b = [x, y] } -> x + y"), "5");
  EXPECT_EQ(Eval("match \"hi\" with | \"no\" -> 0 | \"hi\" -> 1"), "1");
  EXPECT_EQ(Eval("let p = { x = 1, y = 2 } in match p with | { x, y } -> x * 10 + y"), "12");
}

TEST_F(EvalTest, PartialApplicationAndHigherOrderBuiltins) {
  EXPECT_EQ(Eval("let inc = Demo.Math.add 1 in inc 41"), "42");
  EXPECT_EQ(Eval("Builtin.List.map (Demo.Math.add 10) [1, 2]"), "[11, 12]");
  EXPECT_EQ(Eval("Builtin.List.fold (fun acc x -> acc + x) 0 (Builtin.List.range 0 100001)"),
            "5000050000");
  EXPECT_EQ(Eval("Builtin.List.filter (fun x -> x % 2 == 0) [1, 2, 3, 4]"), "[2, 4]");
  EXPECT_EQ(Eval("Builtin.String.length \"hello\""), "5");
  EXPECT_EQ(Eval("Builtin.Int.toString 42 ++ \"!\""), "\"42!\"");
  EXPECT_EQ(Eval("Builtin.Float.floor 2.7"), "2");
  EXPECT_EQ(Eval("Builtin.List.reverse [1, 2, 3]"), "[3, 2, 1]");
  EXPECT_EQ(Eval("[1] ++ [2] == [1, 2]"), "true");
}

TEST_F(EvalTest, RuntimeErrorsAreTypedAndClear) {
  EXPECT_EQ(Eval("1 / 0"), "error: division by zero: 1 / 0");
  EXPECT_EQ(Eval("9223372036854775807 + 1"), "error: integer overflow: 9223372036854775807 + 1");
  EXPECT_EQ(Eval("1 + 2.0"), "error: type mismatch: + cannot combine Int and Float");
  EXPECT_EQ(Eval("Demo.M.first []"),
            "error: non-exhaustive match: no case matches a List (in Demo.M.first)");
  EXPECT_EQ(Eval("3 4"),
            "error: wrong arity: a Int is not a function, but it was given 1 argument(s)");
  EXPECT_EQ(Eval("if 1 then 2 else 3"), "error: type mismatch: if needs a Bool, got Int");
  EXPECT_EQ(Eval("Demo.Geo.origin.z"), "error: no such field: the record has no field z");
  EXPECT_EQ(Eval("(fun x -> x) == (fun y -> y)"), "error: type mismatch: cannot compare functions");
}

TEST_F(EvalTest, StepBudgetAndDepthLimitStopRunawayPrograms) {
  auto steps = w.EvalText("Demo.M.loop 0", EvalLimits{10'000, 1'000'000});
  ASSERT_FALSE(steps);
  EXPECT_EQ(steps.error().message(),
            "step budget exceeded: stopped after 10000 steps; --max-steps raises it "
            "(in Demo.M.loop)");
  auto deep =
      w.EvalText("Demo.Lists.len (Builtin.List.range 0 100000)", EvalLimits{100'000'000, 500});
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().message(),
            "recursion too deep: nesting passed the limit of 500; --max-depth raises it (at "
            "most 100000) (in Demo.Lists.len ×499)");
  // The default limits allow real recursion depth without exhausting the C++ stack.
  EXPECT_EQ(Eval("Demo.Lists.len (Builtin.List.range 0 3000)"), "3000");
}

TEST_F(EvalTest, TheWallClockLimitStopsALoopThatTheStepBudgetWouldAllow) {
  EvalLimits timed;
  timed.max_steps = std::numeric_limits<std::uint64_t>::max();
  timed.max_time = std::chrono::milliseconds(50);
  const auto start = std::chrono::steady_clock::now();
  auto looped = w.EvalText("Demo.M.loop 0", timed);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(looped);
  EXPECT_EQ(looped.error().message(), "time limit exceeded: stopped after 50 ms (in Demo.M.loop)");
  EXPECT_LT(took, std::chrono::seconds(5));
  // A quick evaluation is not affected by the limit.
  EXPECT_TRUE(w.EvalText("Demo.Lists.len (Builtin.List.range 0 100)", timed));
}

TEST_F(EvalTest, NanPrintsAsNanWhateverItsSign) {
  EXPECT_EQ(Eval("0.0 / 0.0"), "nan");
  EXPECT_EQ(Eval("Builtin.Float.toString (0.0 / 0.0)"), "\"nan\"");
  EXPECT_EQ(Eval("1.0 / 0.0"), "inf");
  EXPECT_EQ(Eval("-1.0 / 0.0"), "-inf");
}

TEST_F(EvalTest, TheMemoryBudgetStopsRunawayAllocationBeforeItHappens) {
  EvalLimits small;
  small.max_memory = 64u << 20;
  auto range = w.EvalText("Builtin.List.length (Builtin.List.range 0 100000000)", small);
  ASSERT_FALSE(range);
  EXPECT_NE(range.error().message().find("memory budget exceeded"), std::string::npos);
  auto doubling = w.EvalText(
      "Builtin.String.length (Builtin.List.fold (fun s x -> s ++ s) \"ab\" "
      "(Builtin.List.range 0 40))",
      small);
  ASSERT_FALSE(doubling);
  EXPECT_NE(doubling.error().message().find("memory budget exceeded"), std::string::npos);
  // Memory that is freed is not counted: a long loop over small values fits.
  EXPECT_EQ(
      w.EvalText("Builtin.List.fold (fun acc x -> [x]) [] (Builtin.List.range 0 300000)", small)
          .value_or("?"),
      "[299999]");
  // Within the budget, work is unaffected.
  EXPECT_EQ(w.EvalText("Builtin.List.length (Builtin.List.range 0 100000)", small).value_or("?"),
            "100000");
}

TEST_F(EvalTest, TheDeepestAllowedRecursionEndsWithAnErrorNotACrash) {
  // At the cap on --max-depth, every shape of recursion that is not a tail call
  // stops at the limit, on the evaluation stack, whatever each level costs there.
  // Tail calls (t, m, p) run in constant stack until the step budget stops them.
  ASSERT_TRUE(
      w.Add("fn Demo.R.t n = Demo.R.t (n + 1)\n"
            "fn Demo.R.m n = match [n] with | x :: _ -> (let y = { a = x } in "
            "Demo.R.m (y.a + 1)) | [] -> 0\n"
            "fn Demo.R.p n = n |> (fun x -> Demo.R.p (x + 1))\n"
            "fn Demo.R.k n = Builtin.List.fold (fun a x -> Demo.R.k a) 0 [n]\n"
            "fn Demo.R.s n = 1 + Demo.R.s (n + 1)"));
  for (const char* f : {"Demo.R.k", "Demo.R.s"}) {
    auto r = w.EvalText(std::string(f) + " 0", EvalLimits{1'000'000'000, kMaxEvalDepth});
    ASSERT_FALSE(r) << f;
    EXPECT_NE(r.error().message().find("recursion too deep"), std::string::npos)
        << f << ": " << r.error().message();
  }
  for (const char* f : {"Demo.R.t", "Demo.R.m", "Demo.R.p"}) {
    auto r = w.EvalText(std::string(f) + " 0", EvalLimits{3'000'000, 50});
    ASSERT_FALSE(r) << f;
    EXPECT_NE(r.error().message().find("step budget exceeded"), std::string::npos)
        << f << ": " << r.error().message();
  }
}

TEST_F(EvalTest, TailCallsRunInConstantStackAndMemory) {
  ASSERT_TRUE(
      w.Add("fn Demo.T.count n acc = if n == 0 then acc else Demo.T.count (n - 1) (acc + 1)\n"
            "fn Demo.T.even n = if n == 0 then true else Demo.T.odd (n - 1)\n"
            "fn Demo.T.odd n = if n == 0 then false else Demo.T.even (n - 1)\n"
            "fn Demo.T.sum xs acc = match xs with | [] -> acc | x :: rest -> "
            "let a = acc + x in Demo.T.sum rest a\n"
            "fn Demo.T.pipe n = if n == 0 then 0 else (n - 1) |> Demo.T.pipe"));
  // A depth limit of 20 and a memory budget of 1 MiB: only constant stack and
  // memory can run a million iterations.
  EvalLimits tight{200'000'000, 20, std::size_t{1} << 20};
  EXPECT_EQ(w.EvalText("Demo.T.count 1000000 0", tight).value_or("?"), "1000000");
  EXPECT_EQ(w.EvalText("Demo.T.even 1000001", tight).value_or("?"), "false");
  EXPECT_EQ(w.EvalText("Demo.T.pipe 1000000", tight).value_or("?"), "0");
  EvalLimits lists{200'000'000, 20, std::size_t{256} << 20};
  EXPECT_EQ(w.EvalText("Demo.T.sum (Builtin.List.range 0 1000000) 0", lists).value_or("?"),
            "499999500000");
  // A call that is not in tail position still counts.
  ASSERT_TRUE(w.Add("fn Demo.T.plus n = if n == 0 then 0 else 1 + Demo.T.plus (n - 1)"));
  auto deep = w.EvalText("Demo.T.plus 100", tight);
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().message().find("recursion too deep"), std::string::npos);
}

TEST_F(EvalTest, RuntimeErrorsNameTheFunctionAndItsCallers) {
  ASSERT_TRUE(
      w.Add("fn Demo.E.inner x = x / 0\n"
            "fn Demo.E.middle x = 1 + Demo.E.inner x\n"
            "fn Demo.E.outer x = 2 * Demo.E.middle x\n"
            "fn Demo.E.lam x = Builtin.List.map (fun y -> y / 0) [x]"));
  EXPECT_EQ(Eval("Demo.E.outer 3"),
            "error: division by zero: 3 / 0 (in Demo.E.inner, called from Demo.E.middle, "
            "called from Demo.E.outer)");
  EXPECT_EQ(Eval("Demo.E.lam 5"),
            "error: division by zero: 5 / 0 (in a lambda, called from "
            "Demo.E.lam)");
  // Errors outside any function carry no trace.
  EXPECT_EQ(Eval("1 / 0"), "error: division by zero: 1 / 0");
}

TEST_F(EvalTest, AMissingItemIsReportedWithItsHash) {
  Digest hello = w.terms_.at("Demo.Greeting.hello");
  Digest greet = w.terms_.at("Demo.Text.greet");
  w.items_.erase(greet);
  Evaluator ev(w, {});
  auto r = ev.EvalItem(hello);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "missing item: item " + DigestToHex(greet).substr(0, 8) + " is not in this store");
}

TEST_F(EvalTest, ResolutionErrorsNameTheProblem) {
  auto unknown = w.Eval("Demo.Nope.x 1");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message(), "<eval>:1:1: unknown name Demo.Nope.x");
  auto type = w.Eval("Demo.Geo.Point");
  ASSERT_FALSE(type);
  EXPECT_EQ(type.error().message(), "<eval>:1:1: Demo.Geo.Point is a type, not a term");
  auto var = w.Eval("fun x -> y");
  ASSERT_FALSE(var);
  EXPECT_EQ(var.error().message(), "<eval>:1:10: unknown variable y");
  auto arity = w.Hash("fn Demo.X.f s = match s with | Demo.Geo.Shape.Rect w -> w");
  ASSERT_FALSE(arity);
  EXPECT_NE(arity.error().message().find("takes 2 argument(s), the pattern gives 1"),
            std::string::npos);
  auto builtin = w.Eval("Builtin.Nope.x");
  ASSERT_FALSE(builtin);
  EXPECT_EQ(builtin.error().message(), "<eval>:1:1: unknown builtin Builtin.Nope.x");
}

TEST_F(EvalTest, AMistypedNameSuggestsTheNearestOneInScope) {
  auto var = w.Eval("fun total -> totl + 1");
  ASSERT_FALSE(var);
  EXPECT_EQ(var.error().message(), "<eval>:1:14: unknown variable totl; did you mean `total`?");
  auto builtin = w.Eval("Builtin.List.lenght [1]");
  ASSERT_FALSE(builtin);
  EXPECT_NE(builtin.error().message().find(
                "unknown builtin Builtin.List.lenght; did you mean `Builtin.List.length`"),
            std::string::npos)
      << builtin.error().message();
  // A typo of a definition in the same source.
  auto same_file = w.Hash("fn Demo.X.f x = Demo.X.gg x\nfn Demo.X.g x = x");
  ASSERT_FALSE(same_file);
  EXPECT_NE(same_file.error().message().find("unknown name Demo.X.gg; did you mean `Demo.X.g`"),
            std::string::npos)
      << same_file.error().message();
}

}  // namespace
}  // namespace weft::lang
