// Language benchmarks (issue: the weft language).
//   BM_ParseAndHash: parse and canonicalize a generated 10,000-definition file.
//   BM_EvalFact20 / BM_EvalFold100k: evaluate `fact 20` and a List.fold over
//   100,000 elements with a lambda.
#include <benchmark/benchmark.h>

#include <map>
#include <string>

#include "lang/canonicalize.h"
#include "lang/evaluator.h"
#include "lang/parser.h"
#include "model/item.h"

namespace weft::lang {
namespace {

// Items and names in memory, standing in for a store.
class Memory : public NameResolver, public ItemLoader {
 public:
  Result<std::optional<Digest>> Term(const std::string& name) override {
    return Find(terms_, name);
  }
  Result<std::optional<Digest>> Type(const std::string& name) override {
    return Find(types_, name);
  }
  Result<std::vector<CaseInfo>> TypeCases(const Digest&) override {
    return std::vector<CaseInfo>{};
  }
  Result<Digest> HashPrefix(const std::string& hex) override {
    return Fail(ErrorCode::kNotFound, "no item {}", hex);
  }
  Result<std::optional<StoredItem>> Load(const Digest& d) override {
    auto it = items_.find(d);
    if (it == items_.end()) return std::optional<StoredItem>();
    return std::optional<StoredItem>(it->second);
  }
  void Bind(const std::vector<CanonicalItem>& items) {
    for (const auto& i : items) {
      items_[i.hash] = StoredItem{i.kind, i.refs, i.body, i.display};
      (i.kind == DefKind::kType ? types_ : terms_)[i.name] = i.hash;
    }
  }

 private:
  static std::optional<Digest> Find(const std::map<std::string, Digest>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? std::nullopt : std::optional<Digest>(it->second);
  }
  std::map<Digest, StoredItem> items_;
  std::map<std::string, Digest> terms_, types_;
};

std::string GeneratedFile(int n) {
  std::string src = "fn Bench.Gen.f0 x y = x + y\n";
  for (int i = 1; i < n; ++i) {
    src += "fn Bench.Gen.f" + std::to_string(i) + " x y = if x < y then let z = x * " +
           std::to_string(i) + " in Bench.Gen.f" + std::to_string(i - 1) +
           " z y else match [x, y] with | [a, b] -> a - b | _ -> 0\n";
  }
  return src;
}

void BM_ParseAndHash(benchmark::State& state) {
  const std::string src = GeneratedFile(10'000);
  for (auto _ : state) {
    Memory mem;
    auto defs = ParseFile(src, "gen.weft");
    if (!defs) {
      state.SkipWithError(defs.error().message().c_str());
      return;
    }
    auto items = Canonicalize(*defs, mem, HashItemParts, "gen.weft");
    if (!items || items->size() != 10'000) state.SkipWithError("canonicalize failed");
    benchmark::DoNotOptimize(items);
  }
  state.counters["definitions_per_s"] = benchmark::Counter(
      10'000.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseAndHash)->Unit(benchmark::kMillisecond)->UseRealTime();

Memory& World() {
  static Memory* mem = [] {
    auto* m = new Memory();
    auto defs =
        ParseFile("fn Demo.Math.fact n = if n <= 1 then 1 else n * Demo.Math.fact (n - 1)\n", "w");
    m->Bind(*Canonicalize(*defs, *m, HashItemParts, "w"));
    return m;
  }();
  return *mem;
}

void EvalLoop(benchmark::State& state, const std::string& text, const std::string& expect) {
  Memory& mem = World();
  auto parsed = ParseExpression(text, "e");
  auto resolved = ResolveExpression(*parsed, mem, "e");
  if (!resolved) {
    state.SkipWithError(resolved.error().message().c_str());
    return;
  }
  for (auto _ : state) {
    Evaluator ev(mem, {});
    auto v = RunWithLargeStack([&] { return ev.EvalExpr(*resolved); });
    if (!v || FormatValue(*v, PrintNames{}) != expect) state.SkipWithError("wrong result");
  }
}

void BM_EvalFact20(benchmark::State& state) {
  EvalLoop(state, "Demo.Math.fact 20", "2432902008176640000");
}
BENCHMARK(BM_EvalFact20)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_EvalFold100k(benchmark::State& state) {
  EvalLoop(state, "Builtin.List.fold (fun acc x -> acc + x) 0 (Builtin.List.range 0 100000)",
           "4999950000");
}
BENCHMARK(BM_EvalFold100k)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace weft::lang

BENCHMARK_MAIN();
