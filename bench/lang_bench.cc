// Language benchmarks (issue: the weft language).
//   BM_ParseAndHash: parse and canonicalize a generated 10,000-definition file.
//   BM_EvalFact20 / BM_EvalFold100k: evaluate `fact 20` and a List.fold over
//   100,000 elements with a lambda.
//   BM_TailLoop10M: a tail-recursive loop of 10,000,000 iterations, run with a
//   depth limit of 100 and a memory budget of 4 MiB: constant stack and memory.
//   BM_WordFrequency1MB: split a 1 MB text into words, count them in a Dict, sort
//   by count, keep the top 10.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
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
    auto defs = ParseFile(
        "fn Demo.Math.fact n = if n <= 1 then 1 else n * Demo.Math.fact (n - 1)\n"
        "fn Demo.Loop.count n acc = if n == 0 then acc else Demo.Loop.count (n - 1) (acc + 1)\n"
        "fn Demo.Words.top text = Builtin.String.split \" \" text\n"
        "  |> Builtin.List.fold (fun d w -> Builtin.Dict.insert w\n"
        "       (1 + Builtin.Option.withDefault 0 (Builtin.Dict.get w d)) d) Builtin.Dict.empty\n"
        "  |> Builtin.Dict.toList\n"
        "  |> Builtin.List.sortBy (fun e -> 0 - e.value)\n"
        "  |> Builtin.List.map (fun e -> e.key)\n"
        "  |> fun ws -> Builtin.List.range 0 10 |> Builtin.List.map (fun i -> "
        "Builtin.Option.withDefault \"\" (Builtin.List.nth i ws))\n",
        "w");
    if (!defs) {
      fprintf(stderr, "%s\n", defs.error().message().c_str());
      std::abort();
    }
    m->Bind(*Canonicalize(*defs, *m, HashItemParts, "w"));
    return m;
  }();
  return *mem;
}

void EvalLoop(benchmark::State& state, const std::string& text, const std::string& expect,
              EvalLimits limits = {}) {
  Memory& mem = World();
  auto parsed = ParseExpression(text, "e");
  auto resolved = ResolveExpression(*parsed, mem, "e");
  if (!resolved) {
    state.SkipWithError(resolved.error().message().c_str());
    return;
  }
  std::size_t peak = 0;
  std::uint64_t steps = 0;
  for (auto _ : state) {
    Evaluator ev(mem, limits);
    auto v = RunWithLargeStack([&] { return ev.EvalExpr(*resolved); });
    if (!v) {
      state.SkipWithError(v.error().message().c_str());
      return;
    }
    if (FormatValue(*v, PrintNames{}) != expect) {
      state.SkipWithError(("wrong result " + FormatValue(*v, PrintNames{})).c_str());
      return;
    }
    peak = std::max(peak, ev.meter().peak());
    steps = ev.steps();
  }
  state.counters["peak_value_bytes"] = static_cast<double>(peak);
  state.counters["steps"] = static_cast<double>(steps);
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

void BM_TailLoop10M(benchmark::State& state) {
  EvalLimits limits;
  limits.max_steps = 500'000'000;
  limits.max_depth = 100;
  limits.max_memory = std::size_t{4} << 20;
  EvalLoop(state, "Demo.Loop.count 10000000 0", "10000000", limits);
  state.counters["iterations_per_s"] = benchmark::Counter(
      1e7 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TailLoop10M)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// About 1 MB of words from a vocabulary of 5,000, skewed so a few are common
// (word k drawn with weight ~1/(k+1)), from a fixed seed: the same text each run.
std::string WordText(std::size_t bytes) {
  std::vector<std::string> vocab;
  for (int k = 0; k < 5000; ++k) vocab.push_back("w" + std::to_string(k * 7919 % 100003));
  std::string text;
  std::uint64_t x = 88172645463325252ull;
  while (text.size() < bytes) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const double u = static_cast<double>(x % 1'000'000) / 1e6;
    const auto k = static_cast<std::size_t>(std::pow(5000.0, u)) - 1;
    if (!text.empty()) text += ' ';
    text += vocab[std::min<std::size_t>(k, vocab.size() - 1)];
  }
  return text;
}

void BM_WordFrequency1MB(benchmark::State& state) {
  const std::string text = WordText(1'000'000);
  // The expected top 10, counted here in C++.
  std::map<std::string, std::int64_t> counts;
  std::size_t words = 0;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    ++counts[text.substr(start, end - start)];
    ++words;
    start = end + 1;
  }
  std::vector<std::pair<std::string, std::int64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string expect = "[";
  for (std::size_t i = 0; i < 10; ++i) expect += (i ? ", \"" : "\"") + sorted[i].first + "\"";
  expect += "]";
  EvalLimits limits;
  limits.max_steps = 500'000'000;
  EvalLoop(state, "Demo.Words.top \"" + text + "\"", expect, limits);
  state.counters["words"] = static_cast<double>(words);
  state.counters["distinct"] = static_cast<double>(counts.size());
  state.counters["words_per_s"] =
      benchmark::Counter(static_cast<double>(words) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WordFrequency1MB)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace weft::lang

BENCHMARK_MAIN();
