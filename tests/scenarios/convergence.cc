#include "convergence.h"

#include <deque>
#include <filesystem>
#include <random>
#include <set>
#include <sstream>

#include "fold/conflict_queries.h"
#include "fold/queries.h"
#include "instance.h"
#include "net/session.h"
#include "net/store_adapter.h"
#include "store/change_log.h"
#include "store/schema.h"
#include "store/wip.h"
#include "workspace/branches.h"
#include "workspace/conflicts.h"

namespace weft::scenarios {
namespace {

// Round bounds a session must meet (a round: one message each way). A re-sync
// with nothing to move: heads, then quiet. A clean session, its Bloom filters all
// but free of false positives, usually takes 3 or 4 (heads and filters, the
// changes, heads that say both are done, quiet); about one seed in 3,000 has one
// take 8, which is not yet understood (the note of stop 21). The bound is set
// above what was seen: a protocol needing a round per change still fails it
// whenever a session moves more than a dozen changes.
constexpr std::size_t kMaxCleanRounds = 12;
constexpr std::size_t kMaxResyncRounds = 2;

using weft::testing::TempDir;

struct World {
  std::mt19937 rng;
  TempDir dir;
  std::vector<std::unique_ptr<Instance>> nodes;
  std::vector<std::string> names;
  // Messages that were not delivered in their session, kept to be delivered
  // late (and out of order) in a later one: (to, from, bytes).
  std::deque<std::tuple<std::size_t, std::size_t, Bytes>> stale;
  std::set<std::size_t> backed_up;  // nodes with a backup to restore
  std::string failure;
  ConvergenceStats stats;
  // The world's wall clock, shared by its nodes and moved on a millisecond a step,
  // so that a seed replays the same clocks (and, with seeded actors, the same
  // change hashes and the same winners).
  std::uint64_t now_ms = 1'800'000'000'000;

  HlcClock::WallClock Wall() {
    return [this] { return now_ms; };
  }

  std::uint32_t Pick(std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); }

  std::string Name(std::uint32_t k) { return "Demo.P.n" + std::to_string(k); }

  void Add(Store& s, const std::string& source) {
    auto r = workspace::AddSource(s, source, "t.weft");
    if (!r) failure = "add: " + r.error().message();
  }

  // Commits what is staged, as a person does before a command that refuses staged
  // work; false on failure.
  bool CommitStaged(Store& s) {
    if (!HasStaged(s)) return true;
    auto c = Ledger(s).Commit("before a branch operation");
    if (!c) failure = "commit: " + c.error().message();
    return c.has_value();
  }

  bool HasStaged(Store& s) {
    auto n = CountStaged(s.db(), s.branch());
    return !n || *n > 0;
  }

  void Edit(std::size_t index) {
    Instance& node = *nodes[index];
    Store& s = node.store();
    const std::string name = Name(Pick(6));
    auto bound = FindBindingFor(s, name);
    // The edits of the first convergence property, then (one time in two) those
    // added for the faults of issue 9.
    static constexpr std::uint32_t kFaultKinds[] = {20, 21, 22, 22, 22, 23, 23, 24, 25, 26, 27};
    const std::uint32_t kind = Pick(2) == 0 ? Pick(12) : kFaultKinds[Pick(std::size(kFaultKinds))];
    switch (kind) {
      case 0:
      case 1:
      case 2: {  // add or rebind
        Add(s, "val " + name + " = " + std::to_string(Pick(5)));
        break;
      }
      case 20: {  // a recursive group, authored whole
        const std::string k = std::to_string(Pick(3));
        Add(s, "fn Demo.R.ping n = if n == 0 then " + k + " else Demo.R.pong (n - 1)\n" +
                   "fn Demo.R.pong n = if n == 0 then " + std::to_string(Pick(3)) +
                   " else Demo.R.ping (n - 1)");
        break;
      }
      case 21: {  // one member of a recursive group re-added: propagation crosses the group
        if (!FindBindingFor(s, "Demo.R.ping") || !FindBindingFor(s, "Demo.R.pong")) return;
        Add(s, "fn Demo.R.pong n = if n == 0 then " + std::to_string(Pick(3)) +
                   " else Demo.R.ping (n - 1)");
        break;
      }
      case 22: {  // a helper with dependents: races on it tie its dependents' races
        if (!FindBindingFor(s, "Demo.H.helper")) {
          Add(s,
              "fn Demo.H.helper x = x + 1\nfn Demo.H.d1 x = 1 * Demo.H.helper x\n"
              "fn Demo.H.d2 x = 2 * Demo.H.helper x\nfn Demo.H.d3 x = Demo.H.d2 x + 3");
        } else {
          Add(s, "fn Demo.H.helper x = x + " + std::to_string(2 + Pick(4)));
        }
        break;
      }
      case 23: {  // staged only: a later sync may overtake it before it is committed
        Add(s, "val " + name + " = " + std::to_string(Pick(5)));
        return;
      }
      case 24:  // commit whatever is staged (below)
        break;
      case 25: {  // back the store up, as a person would
        node.Backup(BackupDir(index));
        backed_up.insert(index);
        return;
      }
      case 26:  // restore the backup, author again, and meet a peer
        if (backed_up.contains(index)) RestoreAndAuthor(index);
        return;
      case 27: {  // another process writes the same store meanwhile
        auto other = Store::Open(node.dir(), Store::Access::kReadWrite, Wall());
        if (!other) {
          failure = "second writer: " + other.error().message();
          return;
        }
        auto r = workspace::AddSource(
            **other, "val " + Name(Pick(6)) + " = " + std::to_string(Pick(5)), "t.weft");
        if (!r) failure = "second writer add: " + r.error().message();
        if (r && HasStaged(**other)) {
          auto c = Ledger(**other).Commit("second writer");
          if (!c) failure = "second writer commit: " + c.error().message();
        }
        return;
      }
      case 3:  // unbind
        if (bound) (void)StageOp(s.db(), s.branch(), Unname{Namespace::kTerm, name});
        break;
      case 4:  // rename
        if (bound && !FindBindingFor(s, name + "r")) {
          (void)StageOp(s.db(), s.branch(), Unname{Namespace::kTerm, name});
          (void)StageOp(s.db(), s.branch(), SetName{Namespace::kTerm, name + "r", *bound});
        }
        break;
      case 5:  // deprecate / undeprecate
        (void)StageOp(s.db(), s.branch(),
                      Pick(2) ? Op(Deprecate{name, "old", std::nullopt}) : Op(Undeprecate{name}));
        break;
      case 6: {                        // a branch
        if (!CommitStaged(s)) return;  // refused with staged ops, by design
        std::string branch = "b" + std::to_string(Pick(3));
        auto exists = BranchExists(s.db(), branch);
        if (exists && !*exists) {
          auto c = Ledger(s).AuthorChange({CreateBranch{branch}}, "branch");
          if (!c) failure = "branch: " + c.error().message();
        }
        return;
      }
      case 7: {  // switch branch
        if (Pick(2)) SwitchBranch(s);
        return;
      }
      case 8: {  // resolve an open race on this branch
        auto open = ListConflicts(s.db(), s.branch());
        if (!open) {
          failure = "conflicts: " + open.error().message();
          return;
        }
        std::erase_if(*open, [](const auto& c) { return c.state != ConflictState::kOpen; });
        if (open->empty()) return;
        const ConflictInfo& c = (*open)[Pick(static_cast<std::uint32_t>(open->size()))];
        const std::string choice =
            c.candidates[Pick(static_cast<std::uint32_t>(c.candidates.size()))].change.Hex();
        auto r = workspace::ResolveConflict(s, c, choice);
        if (!r) {
          failure = "resolve: " + r.error().message();
          return;
        }
        ++stats.resolutions;
        return;
      }
      default: {                       // merge another branch into this one
        if (!CommitStaged(s)) return;  // refused with staged ops, by design
        auto listed = ListBranches(s.db());
        if (!listed || listed->size() < 2) return;
        const std::string from = (*listed)[Pick(static_cast<std::uint32_t>(listed->size()))].name;
        if (from == s.branch()) return;
        auto r = workspace::MergeIntoCurrent(s, from);
        if (!r) {
          failure = "merge: " + r.error().message();
          return;
        }
        if (r->change) ++stats.merges;
        return;
      }
    }
    auto staged = LoadStaged(s.db(), s.branch());
    if (staged && !staged->empty()) {
      auto c = Ledger(s).Commit("edit");
      if (!c) failure = "commit: " + c.error().message();
    }
  }

  std::string BackupDir(std::size_t index) { return dir.Sub("backup-" + names[index]); }

  // Puts node `index`'s backup back in place (same host, same path, same actor),
  // authors a change, and syncs with a peer that holds the work the restore lost
  // (when one does), as a person restoring a laptop would next sync with the
  // desktop: the clash is found there and the restored store re-issues its work.
  void RestoreAndAuthor(std::size_t index) {
    Instance& node = *nodes[index];
    const ActorId actor = node.store().actor();
    const auto before = node.Changes();
    node.Restore(BackupDir(index));
    backed_up.erase(index);
    // Messages the store sent before the restore and that are still in flight
    // would carry its lost work to instances after its new work: the one case the
    // re-issue cannot repair (docs/design/restore.md, Limits).
    std::erase_if(stale, [&](const auto& m) { return std::get<1>(m) == index; });
    ++stats.restores;
    const auto after = node.Changes();
    // Our own work the restore lost: the lineage a new change would clash with.
    std::set<ChangeHash> lost;
    for (const auto& h : before) {
      if (after.contains(h)) continue;
      auto meta = LoadChangeMeta(nodes[index]->store().db(), h);
      if (meta && !*meta) {
        // Not held any more: ask the instances that do who authored it.
        for (const auto& other : nodes) {
          auto m = LoadChangeMeta(other->store().db(), h);
          if (m && *m) {
            if ((*m)->actor == actor) lost.insert(h);
            break;
          }
        }
      }
    }
    Add(node.store(), "val " + Name(Pick(6)) + " = " + std::to_string(Pick(5)));
    if (!failure.empty()) return;
    if (HasStaged(node.store())) {
      auto c = Ledger(node.store()).Commit("after restore");
      if (!c) failure = "commit after restore: " + c.error().message();
    }
    std::size_t peer =
        (index + 1 + Pick(static_cast<std::uint32_t>(nodes.size() - 1))) % nodes.size();
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      if (k == index) continue;
      const auto held = nodes[k]->Changes();
      if (std::any_of(lost.begin(), lost.end(), [&](const auto& h) { return held.contains(h); })) {
        peer = k;
        break;
      }
    }
    nodes[index]->Reload(names[peer]);
    nodes[peer]->Reload(names[index]);
    auto r = net::SyncStores(nodes[index]->store(), nodes[peer]->store(),
                             nodes[index]->StateFor(names[peer]),
                             nodes[peer]->StateFor(names[index]), 200);
    if (!r) failure = "sync after restore: " + r.error().message();
    if (r && !r->notices.empty()) ++stats.reissues;
  }

  // Switches to main or to a random existing branch.
  void SwitchBranch(Store& s) {
    auto listed = ListBranches(s.db());
    if (!listed) return;
    std::vector<std::string> branches;
    for (const auto& b : *listed) branches.push_back(b.name);
    std::string to = branches[Pick(static_cast<std::uint32_t>(branches.size()))];
    auto tx = Transaction::Begin(s.db());
    if (tx && s.SetBranch(to)) (void)tx->Commit();
  }

  std::optional<ItemHash> FindBindingFor(Store& s, const std::string& name) {
    auto b = FindBinding(s.db(), s.branch(), name, Namespace::kTerm);
    if (!b || !*b) return std::nullopt;
    return (*b)->item;
  }

  // A session driver for node `self` talking to node `other`, as a carrier would
  // make one: the same PeerSession the file carrier and HTTP use.
  std::unique_ptr<net::PeerSession> SessionFor(std::size_t self, std::size_t other,
                                               net::StoreAdapter& adapter) {
    auto hello = adapter.Hello();
    if (!hello) {
      failure = "hello: " + hello.error().message();
      return nullptr;
    }
    return std::make_unique<net::PeerSession>(adapter, nodes[self]->StateFor(names[other]),
                                              std::move(*hello), kRelease);
  }

  // Hands `bytes` to a session; a store error (not a malformed message, which the
  // session survives by resetting) fails the seed.
  void Deliver(net::PeerSession& to, const Bytes& bytes) {
    auto r = to.Take(bytes);
    if (!r) failure = "receive: " + r.error().message();
  }

  // One session between a and b with faults: loss, duplication, late delivery and
  // interruption. Sessions start from the persisted part of the state only.
  void FaultySession(std::size_t a, std::size_t b) {
    nodes[a]->Reload(names[b]);
    nodes[b]->Reload(names[a]);
    net::StoreAdapter sa(nodes[a]->store()), sb(nodes[b]->store());
    auto session_a = SessionFor(a, b, sa);
    auto session_b = SessionFor(b, a, sb);
    if (!session_a || !session_b) return;
    const std::uint32_t rounds = 1 + Pick(12);
    // A stale message from an earlier session, delivered now.
    if (!stale.empty() && Pick(3) == 0) {
      auto [to, from, bytes] = stale.front();
      stale.pop_front();
      net::StoreAdapter st(nodes[to]->store());
      if (auto late = SessionFor(to, from, st)) Deliver(*late, bytes);
      if (!failure.empty()) return;
    }
    for (std::uint32_t r = 0; r < rounds; ++r) {
      bool any = false;
      for (int side = 0; side < 2; ++side) {
        net::PeerSession& from = side == 0 ? *session_a : *session_b;
        net::PeerSession& to = side == 0 ? *session_b : *session_a;
        auto msg = from.Next();
        if (!msg) {
          failure = "generate: " + msg.error().message();
          return;
        }
        if (!*msg) continue;
        any = true;
        const Bytes& bytes = **msg;
        switch (Pick(12)) {
          case 0:  // lost
            break;
          case 1:  // kept for a later session
            stale.emplace_back(side == 0 ? b : a, side == 0 ? a : b, bytes);
            break;
          case 2:  // duplicated
            Deliver(to, bytes);
            Deliver(to, bytes);
            break;
          default:
            Deliver(to, bytes);
        }
        if (!failure.empty()) return;
      }
      if (!any) break;
    }
  }
};

}  // namespace

std::string RunConvergenceSeed(std::uint32_t seed, ConvergenceStats* stats) {
  World w{std::mt19937(seed), {}, {}, {}, {}, {}, {}, {}};
  const std::uint32_t n = 3 + w.Pick(3);
  std::mt19937 actors(seed ^ 0xac7025u);  // apart from w.rng, whose draws stay as they were
  for (std::uint32_t i = 0; i < n; ++i) {
    w.names.push_back("node" + std::to_string(i));
    ActorId::Raw raw;
    for (auto& byte : raw) byte = static_cast<std::uint8_t>(actors());
    w.nodes.push_back(std::make_unique<Instance>(w.dir, w.names.back(), w.Wall(), ActorId(raw)));
  }
  const std::uint32_t steps = 30 + w.Pick(30);
  for (std::uint32_t step = 0; step < steps && w.failure.empty(); ++step) {
    ++w.now_ms;
    if (w.Pick(3) == 0) {
      std::size_t a = w.Pick(n), b = w.Pick(n);
      if (a != b) w.FaultySession(a, b);
    } else {
      w.Edit(w.Pick(n));
    }
  }
  if (!w.failure.empty()) return w.failure;
  // Clean all-pairs sync, repeated until nothing moves. Its Bloom filters are
  // sized so that a false positive is vanishingly rare (about 2e-7 per change):
  // each one costs a round of its own, and the round bound is about the protocol.
  const sync::BloomParams exact{32, 20};
  for (int pass = 0; pass < 4; ++pass) {
    std::size_t moved = 0;
    for (std::size_t a = 0; a < n; ++a) {
      for (std::size_t b = a + 1; b < n; ++b) {
        w.nodes[a]->StateFor(w.names[b]).options.bloom = exact;
        w.nodes[b]->StateFor(w.names[a]).options.bloom = exact;
        w.nodes[a]->Reload(w.names[b]);
        w.nodes[b]->Reload(w.names[a]);
        auto r = net::SyncStores(w.nodes[a]->store(), w.nodes[b]->store(),
                                 w.nodes[a]->StateFor(w.names[b]), w.nodes[b]->StateFor(w.names[a]),
                                 200);
        if (!r) return "final sync: " + r.error().message();
        w.stats.max_clean_rounds = std::max(w.stats.max_clean_rounds, r->rounds);
        if (r->rounds > kMaxCleanRounds) {
          return fmt::format(
              "final sync between {} and {} took {} rounds (bound {}): {} messages, {} bytes, {} "
              "sent, {} received",
              w.names[a], w.names[b], r->rounds, kMaxCleanRounds, r->messages, r->bytes, r->sent,
              r->received.size());
        }
        if (!r->quiet) {
          std::string why = r->stalled ? "stalled" : "round limit";
          for (const auto& p : r->problems) why += "; " + p;
          return "final sync between " + w.names[a] + " and " + w.names[b] + " did not go quiet (" +
                 why + ")";
        }
        moved += r->sent + r->received.size();
      }
    }
    if (moved == 0 && pass > 0) break;
  }
  std::ostringstream problems;
  auto changes = w.nodes[0]->Changes();
  auto digest = w.nodes[0]->Digest();
  for (std::size_t i = 1; i < n; ++i) {
    if (w.nodes[i]->Changes() != changes)
      problems << w.names[i] << " holds other changes than node0; ";
    if (w.nodes[i]->Digest() != digest)
      problems << w.names[i] << " has other projections than node0; ";
  }
  // The same conflict records everywhere (the digest covers them; this says so
  // by name when it fails).
  auto conflicts = ConflictStates(w.nodes[0]->store().db());
  if (!conflicts) return "conflicts: " + conflicts.error().message();
  for (std::size_t i = 1; i < n; ++i) {
    auto other = ConflictStates(w.nodes[i]->store().db());
    if (!other || *other != *conflicts)
      problems << w.names[i] << " records other conflicts than node0; ";
  }
  for (const auto& [id, state] : *conflicts) {
    ++w.stats.conflicts;
    if (state == ConflictState::kOpen) ++w.stats.open;
  }
  // Re-syncing is a no-op.
  for (std::size_t a = 0; a + 1 < n; ++a) {
    auto r = net::SyncStores(w.nodes[a]->store(), w.nodes[a + 1]->store(),
                             w.nodes[a]->StateFor(w.names[a + 1]),
                             w.nodes[a + 1]->StateFor(w.names[a]), 200);
    if (!r || r->sent != 0 || !r->received.empty()) problems << "re-sync moved changes; ";
    if (r) w.stats.max_resync_rounds = std::max(w.stats.max_resync_rounds, r->rounds);
    if (r && r->rounds > kMaxResyncRounds) problems << "re-sync took " << r->rounds << " rounds; ";
  }
  if (w.nodes[0]->Digest() != digest) problems << "re-sync changed projections; ";
  // A rebuild reproduces the projections, conflict records included.
  if (auto st = Ledger(w.nodes[n - 1]->store()).Rebuild(); !st) {
    problems << "rebuild: " << st.error().message() << "; ";
  } else if (w.nodes[n - 1]->Digest() != digest) {
    problems << "rebuild changed projections; ";
  }
  // Staged work that a sync overtook was committed as a race: count the Base ops.
  if (auto st = ForEachChange(w.nodes[0]->store().db(),
                              [&](const EncodedChange& c) {
                                for (const Op& op : c.change.ops) {
                                  if (std::holds_alternative<Base>(op)) ++w.stats.overtaken;
                                  if (std::holds_alternative<Repoint>(op)) ++w.stats.repointed;
                                }
                                return Status{};
                              });
      !st) {
    return "scan: " + st.error().message();
  }
  auto listed = ListConflicts(w.nodes[0]->store().db(), std::nullopt);
  if (!listed) return "conflicts: " + listed.error().message();
  for (const auto& c : *listed) w.stats.tied += c.cause ? 1 : 0;
  if (stats != nullptr) {
    stats->conflicts += w.stats.conflicts;
    stats->open += w.stats.open;
    stats->resolutions += w.stats.resolutions;
    stats->merges += w.stats.merges;
    stats->restores += w.stats.restores;
    stats->reissues += w.stats.reissues;
    stats->overtaken += w.stats.overtaken;
    stats->repointed += w.stats.repointed;
    stats->tied += w.stats.tied;
    stats->max_clean_rounds = std::max(stats->max_clean_rounds, w.stats.max_clean_rounds);
    stats->max_resync_rounds = std::max(stats->max_resync_rounds, w.stats.max_resync_rounds);
  }
  if (!problems.str().empty()) {
    // Keep the stores for inspection: the temp dir is removed on return.
    std::string keep =
        (std::filesystem::temp_directory_path() / ("weft-convergence-" + std::to_string(seed)))
            .string();
    std::filesystem::remove_all(keep);
    std::filesystem::copy(w.dir.path(), keep, std::filesystem::copy_options::recursive);
    problems << "stores kept in " << keep;
  }
  return problems.str();
}

}  // namespace weft::scenarios
