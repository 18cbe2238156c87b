// Store benchmarks (issue: foundation).
//   BM_AppendSyncShaped: 100,000 single-item changes, 1,000 per transaction, the
//     shape of a sync receive (blobs and changes written in the same transaction).
//   BM_Rebuild: drop and re-fold the projections of a 100,000-change store.
//   BM_MergeOnLargeStore: on a 100,000-change main, a branch with one edit merged
//     back after one more edit on main (the merge change's append).
//   BM_HotNameRace: one name edited H times in a chain, then 100 edits of it from
//     other devices that saw only its first version arrive one transaction each:
//     each records a race against the whole history of the name.
// Each change binds Bench.Data.v<i> to a value of about 200 bytes.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "fold/ledger.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace weft {
namespace {

constexpr int kChanges = 100'000;
constexpr int kBatch = 1'000;

std::string TempPath(const std::string& tag) {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / ("weft-bench-" + tag + "-XXXXXX")).string();
  return mkdtemp(tmpl.data());
}

std::string Value(int i) {
  std::string s = "\"";
  while (s.size() < 200) s += "value-" + std::to_string(i) + "-";
  s.resize(200);
  return s + "\"";
}

struct Workload {
  std::vector<Item> items;
  std::vector<EncodedChange> changes;
};

const Workload& GetWorkload() {
  static const Workload w = [] {
    Workload out;
    ActorId actor = ActorId::Random();
    std::optional<ChangeHash> prev;
    for (int i = 0; i < kChanges; ++i) {
      std::string text = Value(i);
      Bytes body(text.begin(), text.end());
      Item item = Item::Make(ItemKind::kVal, {}, body, body);
      Change c;
      c.actor = actor;
      c.seq = static_cast<std::uint64_t>(i + 1);
      if (prev) c.deps = {*prev};
      c.hlc = Hlc::From(1'700'000'000'000 + static_cast<std::uint64_t>(i), 0);
      c.branch = "main";
      c.message = "bench";
      c.ops = {AddItem{item.Hash()},
               SetName{Namespace::kTerm, "Bench.Data.v" + std::to_string(i), item.Hash()}};
      EncodedChange e = EncodedChange::FromChange(std::move(c));
      prev = e.hash;
      out.items.push_back(std::move(item));
      out.changes.push_back(std::move(e));
    }
    return out;
  }();
  return w;
}

Status AppendAll(Store& store, const Workload& w) {
  Ledger ledger(store);
  for (int start = 0; start < kChanges; start += kBatch) {
    // Blobs travel with their changes; a receive writes them in its transaction.
    WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(store.db()));
    for (int i = start; i < start + kBatch; ++i) WEFT_TRY(PutBlob(store.db(), w.items[i]));
    WEFT_TRY(tx.Commit());
    std::vector<EncodedChange> batch(w.changes.begin() + start, w.changes.begin() + start + kBatch);
    WEFT_ASSIGN_OR_RETURN(AppendReport r, ledger.Append(batch));
    if (r.applied.size() != static_cast<std::size_t>(kBatch)) {
      return Fail(ErrorCode::kCorruption, "applied {} of {}", r.applied.size(), kBatch);
    }
  }
  return {};
}

void BM_AppendSyncShaped(benchmark::State& state) {
  const Workload& w = GetWorkload();
  for (auto _ : state) {
    state.PauseTiming();
    std::string dir = TempPath("append");
    auto store = Store::Init(dir + "/s", "bench");
    state.ResumeTiming();
    if (!store || !AppendAll(**store, w)) state.SkipWithError("append failed");
    state.PauseTiming();
    store->reset();
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
  }
  state.counters["changes_per_s"] =
      benchmark::Counter(static_cast<double>(kChanges) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AppendSyncShaped)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

void BM_Rebuild(benchmark::State& state) {
  const Workload& w = GetWorkload();
  std::string dir = TempPath("rebuild");
  auto store = Store::Init(dir + "/s", "bench");
  if (!store || !AppendAll(**store, w)) {
    state.SkipWithError("setup failed");
    return;
  }
  for (auto _ : state) {
    if (!Ledger(**store).Rebuild()) state.SkipWithError("rebuild failed");
  }
  state.counters["changes_per_s"] =
      benchmark::Counter(static_cast<double>(kChanges) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_Rebuild)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_MergeOnLargeStore(benchmark::State& state) {
  const Workload& w = GetWorkload();
  std::string dir = TempPath("merge");
  auto store = Store::Init(dir + "/s", "bench");
  if (!store || !AppendAll(**store, w)) {
    state.SkipWithError("setup failed");
    return;
  }
  Store& s = **store;
  int round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string branch = "feature" + std::to_string(round++);
    auto switch_to = [&](const std::string& b) {
      auto tx = Transaction::Begin(s.db());
      return tx && s.SetBranch(b) && tx->Commit();
    };
    auto bind = [&](const std::string& value) {
      ItemHash item(Sha256Of(AsBytes(value)));
      return Ledger(s).AuthorChange({SetName{Namespace::kTerm, "Bench.Data.v1", item}}, value);
    };
    bool ok = Ledger(s).AuthorChange({CreateBranch{branch}}, "branch") && switch_to(branch) &&
              bind(branch + "-side") && switch_to("main") && bind(branch + "-main");
    auto heads = BranchHeads(s.db(), branch);
    if (!ok || !heads) state.SkipWithError("setup failed");
    state.ResumeTiming();
    Ledger::Authoring how{
        {MergeBranch{branch},
         SetName{Namespace::kTerm, "Bench.Data.v1", ItemHash(Sha256Of(AsBytes(branch + "-side")))}},
        *heads};
    auto merged =
        Ledger(s).AuthorChange([&]() -> Result<Ledger::Authoring> { return how; }, "merge");
    if (!merged) state.SkipWithError(merged.error().message().c_str());
  }
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_MergeOnLargeStore)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_HotNameRace(benchmark::State& state) {
  const int history = static_cast<int>(state.range(0));
  constexpr int kRacers = 100;
  const std::string name = "Bench.Hot.name";
  auto bind = [&](ActorId actor, std::uint64_t seq, std::vector<ChangeHash> deps, int value) {
    Change c;
    c.actor = actor;
    c.seq = seq;
    c.deps = std::move(deps);
    c.hlc = Hlc::From(1'700'000'000'000 + static_cast<std::uint64_t>(value), 0);
    c.branch = "main";
    c.message = "bench";
    c.ops = {SetName{Namespace::kTerm, name, ItemHash(Sha256Of(AsBytes(std::to_string(value))))}};
    return EncodedChange::FromChange(std::move(c));
  };
  std::vector<EncodedChange> chain;
  const ActorId owner = ActorId::Random();
  for (int i = 0; i < history; ++i) {
    std::vector<ChangeHash> deps;
    if (!chain.empty()) deps.push_back(chain.back().hash);
    chain.push_back(bind(owner, static_cast<std::uint64_t>(i + 1), deps, i));
  }
  std::vector<EncodedChange> racers;
  for (int k = 0; k < kRacers; ++k)
    racers.push_back(bind(ActorId::Random(), 1, {chain.front().hash}, history + k));
  for (auto _ : state) {
    state.PauseTiming();
    std::string dir = TempPath("hot");
    auto store = Store::Init(dir + "/s", "bench");
    if (!store || !Ledger(**store).Append(chain)) state.SkipWithError("setup failed");
    state.ResumeTiming();
    for (const EncodedChange& r : racers) {
      if (!Ledger(**store).Append({r})) state.SkipWithError("append failed");
    }
    state.PauseTiming();
    store->reset();
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
  }
  state.counters["ms_per_racing_change"] =
      benchmark::Counter(static_cast<double>(kRacers) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_HotNameRace)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace weft

BENCHMARK_MAIN();
