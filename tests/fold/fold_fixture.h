// Test helpers for the fold: stores in a temp dir and a scripted author that makes
// well-formed changes (deps, per-actor seq) without going through a store.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

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

  EncodedChange Make(std::vector<Op> ops, std::vector<ChangeHash> deps = {},
                     const std::string& branch = "main", std::optional<Hlc> hlc = std::nullopt) {
    Change c;
    c.actor = actor_;
    c.seq = ++seq_;
    if (prev_) deps.push_back(*prev_);
    c.deps = std::move(deps);
    c.hlc = hlc ? *hlc : Hlc::From(ms_++, 0);
    c.branch = branch;
    c.message = "scripted";
    c.ops = std::move(ops);
    EncodedChange e = EncodedChange::FromChange(std::move(c));
    prev_ = e.hash;
    return e;
  }

  const ActorId& actor() const { return actor_; }

 private:
  ActorId actor_;
  std::uint64_t seq_ = 0;
  std::uint64_t ms_;
  std::optional<ChangeHash> prev_;
};

inline ItemHash FakeItem(const std::string& text) { return TextItem(text).Hash(); }

inline Op Bind(const std::string& loc, const std::string& text) {
  return SetName{Namespace::kTerm, loc, FakeItem(text)};
}

}  // namespace weft::testing
