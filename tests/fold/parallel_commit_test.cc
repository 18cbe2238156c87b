// Many writers, one store: threads, each with its own Store on one directory,
// commit in parallel. Every commit must be in the log, every change stamped after
// each of its deps, and the stored clock must never go backwards, even when the
// writers' wall clocks disagree by minutes.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <thread>

#include "fold/ledger.h"
#include "store/blob_store.h"
#include "store/change_log.h"
#include "store/store.h"
#include "test_util.h"

#ifndef WEFT_PARALLEL_COMMITS
#define WEFT_PARALLEL_COMMITS 1000
#endif

namespace weft::testing {
namespace {

constexpr int kWriters = 4;
constexpr int kPerWriter = WEFT_PARALLEL_COMMITS / kWriters;

// Writer w's wall clock: the real one, one that lags by a minute, one an hour
// ahead, one stuck near the epoch. Stamps must follow causality regardless.
HlcClock::WallClock SkewedWall(int w) {
  switch (w) {
    case 1:
      return [] { return SystemMillis() - 60'000; };
    case 2:
      return [] { return SystemMillis() + 3'600'000; };
    case 3:
      return [] { return std::uint64_t{1'000}; };
    default:
      return SystemMillis;
  }
}

Result<std::uint64_t> StoredClock(Store& s) {
  WEFT_ASSIGN_OR_RETURN(auto v, s.GetMeta("hlc"));
  if (!v) return Fail(ErrorCode::kCorruption, "no stored clock");
  return std::stoull(*v);
}

TEST(ParallelCommits, EveryCommitLandsStampedAfterItsDepsAndTheClockNeverGoesBack) {
  TempDir dir;
  const std::string path = dir.Sub("shared");
  ASSERT_TRUE(Store::Init(path, "shared"));

  std::vector<std::vector<ChangeHash>> committed(kWriters);
  std::vector<std::string> errors(kWriters + 1);
  std::atomic<int> running{kWriters};
  std::atomic<int> busy{0};  // commits refused as busy (and retried)
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      auto store = Store::Open(path, Store::Access::kReadWrite, SkewedWall(w));
      if (!store) {
        errors[w] = store.error().message();
        --running;
        return;
      }
      for (int i = 0; i < kPerWriter && errors[w].empty(); ++i) {
        const std::string text = fmt::format("w{} i{}", w, i);
        auto c = Ledger(**store).AuthorChange(
            [&]() -> Result<Ledger::Authoring> {
              Item item = TextItem(text);
              WEFT_TRY(PutBlob((*store)->db(), item));
              return Ledger::Authoring{
                  {AddItem{item.Hash()},
                   SetName{Namespace::kTerm, fmt::format("P.W{}.v{}", w, i), item.Hash()}},
                  {}};
            },
            text);
        if (c) {
          committed[w].push_back(c->hash);
        } else if (c.error().code() == ErrorCode::kBusy && busy < 100) {
          // The documented answer to a busy store: nothing was written; try again.
          ++busy;
          --i;
        } else {
          errors[w] = fmt::format("commit {}: {}", i, c.error().message());
        }
      }
      --running;
    });
  }
  // A reader watches the stored clock while the writers run.
  threads.emplace_back([&] {
    auto store = Store::Open(path, Store::Access::kReadOnly);
    if (!store) {
      errors[kWriters] = store.error().message();
      return;
    }
    std::uint64_t last = 0;
    while (running > 0 && errors[kWriters].empty()) {
      auto now = StoredClock(**store);
      if (!now) {
        errors[kWriters] = now.error().message();
      } else if (*now < last) {
        errors[kWriters] = fmt::format("stored clock went back from {} to {}", last, *now);
      } else {
        last = *now;
      }
    }
  });
  for (auto& t : threads) t.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  std::printf("%d commits, %d refused as busy and retried\n", kWriters * kPerWriter, busy.load());

  auto store = Store::Open(path, Store::Access::kReadOnly);
  ASSERT_TRUE(store);
  Db& db = (*store)->db();
  std::size_t total = 0;
  for (const auto& hashes : committed) {
    total += hashes.size();
    for (const auto& h : hashes) EXPECT_TRUE(*HasChange(db, h)) << h.Short();
  }
  EXPECT_EQ(total, static_cast<std::size_t>(kWriters * kPerWriter));
  // A commit refused as busy wrote nothing: the log holds exactly the successes.
  EXPECT_EQ(*CountChanges(db), static_cast<std::int64_t>(total));

  std::map<ChangeHash, Hlc> stamps;
  std::uint64_t greatest = 0;
  ASSERT_TRUE(ForEachChange(db, [&](const EncodedChange& c) {
    stamps.emplace(c.hash, c.change.hlc);
    greatest = std::max(greatest, c.change.hlc.packed());
    return Status{};
  }));
  int unordered = 0;
  for (const auto& hashes : committed) {
    for (const auto& h : hashes) {
      auto c = LoadChange(db, h);
      ASSERT_TRUE(c && *c);
      for (const auto& d : (*c)->change.deps) {
        if (!((*c)->change.hlc > stamps.at(d))) ++unordered;
      }
    }
  }
  EXPECT_EQ(unordered, 0) << "changes stamped at or before a dependency";
  auto clock = StoredClock(**store);
  ASSERT_TRUE(clock);
  EXPECT_GE(*clock, greatest) << "the stored clock is behind a stamp it gave out";
}

}  // namespace
}  // namespace weft::testing
