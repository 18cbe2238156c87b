// Test helpers for the fold: stores in a temp dir and a scripted author that makes
// well-formed changes (deps, per-actor seq) without going through a store.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fold/conflict_queries.h"
#include "fold/digest.h"
#include "fold/ledger.h"
#include "store/store.h"
#include "test_util.h"

namespace weft::testing {

inline std::unique_ptr<Store> MakeStore(const TempDir& dir, const std::string& name) {
  auto s = Store::Init(dir.Sub(name), name);
  EXPECT_TRUE(s) << s.error().message();
  return std::move(*s);
}

inline std::string DigestHex(Store& s) {
  auto d = ProjectionDigest(s.db());
  EXPECT_TRUE(d) << d.error().message();
  return d ? DigestToHex(*d) : "";
}

// Makes changes for one actor: each depends on the actor's previous change plus
// whatever the caller passes.
class ScriptedAuthor {
 public:
  explicit ScriptedAuthor(std::uint64_t start_ms = 1000)
      : actor_(ActorId::Random()), ms_(start_ms) {}

  // The stamp is the author's next millisecond, or `hlc` when given; either is
  // raised past every dep's stamp (a store refuses, as corrupt, a change stamped
  // at or before what it depends on). Concurrent changes may share a stamp.
  EncodedChange Make(std::vector<Op> ops, std::vector<ChangeHash> deps = {},
                     const std::string& branch = "main", std::optional<Hlc> hlc = std::nullopt) {
    Change c;
    c.actor = actor_;
    c.seq = ++seq_;
    if (prev_) deps.push_back(*prev_);
    std::uint64_t floor = 0;
    for (const auto& d : deps) {
      if (auto it = Stamps().find(d); it != Stamps().end()) floor = std::max(floor, it->second + 1);
    }
    ms_ = std::max(ms_, floor);
    c.deps = std::move(deps);
    c.hlc = hlc ? (hlc->millis() < floor ? Hlc::From(floor, 0) : *hlc) : Hlc::From(ms_++, 0);
    c.branch = branch;
    c.message = "scripted";
    c.ops = std::move(ops);
    EncodedChange e = EncodedChange::FromChange(std::move(c));
    Stamps()[e.hash] = e.change.hlc.millis();
    prev_ = e.hash;
    return e;
  }

  const ActorId& actor() const { return actor_; }

 private:
  // Every scripted change's stamp (ms), so dependents are stamped after it.
  static std::map<ChangeHash, std::uint64_t>& Stamps() {
    static std::map<ChangeHash, std::uint64_t> stamps;
    return stamps;
  }

  ActorId actor_;
  std::uint64_t seq_ = 0;
  std::uint64_t ms_;
  std::optional<ChangeHash> prev_;
};

inline ItemHash FakeItem(const std::string& text) { return TextItem(text).Hash(); }

inline std::vector<ConflictInfo> Conflicts(Store& s) {
  auto c = ListConflicts(s.db(), std::nullopt);
  EXPECT_TRUE(c) << c.error().message();
  return c ? *c : std::vector<ConflictInfo>{};
}

inline void AppendAll(Store& s, const std::vector<EncodedChange>& changes) {
  auto r = Ledger(s).Append(changes);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->rejected.empty()) << r->rejected.front().error.message();
}

// Appends `changes` one at a time in the given order to a fresh store; returns
// its projection digest and conflict records.
struct Folded {
  std::string digest;
  std::vector<ConflictInfo> conflicts;
};
inline Folded FoldInOrder(const TempDir& dir, const std::string& name,
                          const std::vector<EncodedChange>& changes) {
  auto s = MakeStore(dir, name);
  for (const auto& c : changes) AppendAll(*s, {c});
  return Folded{DigestHex(*s), Conflicts(*s)};
}

// Every ordering of `changes` that respects deps.
inline std::vector<std::vector<EncodedChange>> CausalOrders(std::vector<EncodedChange> changes) {
  std::sort(changes.begin(), changes.end(),
            [](const auto& x, const auto& y) { return x.hash < y.hash; });
  std::vector<std::vector<EncodedChange>> out;
  do {
    std::set<ChangeHash> seen;
    bool ok = true;
    for (const auto& c : changes) {
      for (const auto& d : c.change.deps) ok = ok && seen.contains(d);
      seen.insert(c.hash);
    }
    if (ok) out.push_back(changes);
  } while (std::next_permutation(changes.begin(), changes.end(),
                                 [](const auto& x, const auto& y) { return x.hash < y.hash; }));
  return out;
}

inline Op Bind(const std::string& loc, const std::string& text) {
  return SetName{Namespace::kTerm, loc, FakeItem(text)};
}

}  // namespace weft::testing
