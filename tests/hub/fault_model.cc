// The hub under faults (docs/design/hub.md): 95 lightweight devices (their own
// actor each, chains whose changes also depend on what they pulled from others)
// and 5 real weft stores push and pull at random through two replicas while the
// test kills and restarts a replica, restarts PostgreSQL, cuts the LISTEN
// connections, revokes a device's token (it gets a new one) and restores the hub
// from an older dump. Afterwards every device holds every change once, and the
// tenant's arrival numbers run 1..N without a gap.
//
// Usage: hub_fault_model WEFT_BINARY   (the seed is printed; WEFT_SEED replays the
// devices' actors and choices, not the processes' timing nor the real stores'
// actors)
#include <algorithm>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "hub/pg.h"
#include "hub/tenants.h"
#include "hub_changes.h"
#include "net/hub_client.h"
#include "pg_server.h"
#include "replicas.h"

namespace weft::hub::testing {
namespace {

using Clock = std::chrono::steady_clock;

int failures = 0;
void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::cout << "FAIL " << what << std::endl;
    ++failures;
  }
}

struct World {
  std::string weft, db, dir, pg_sh;
  Replica replicas[2];
  void Start(int i) { replicas[i] = StartReplica(weft, db, dir, i); }
  std::string Pg(const std::string& what) {
    return Shell("bash -c 'source \"" + pg_sh + "\" && pg_dir=\"" + dir + "/pg\" && " + what + "'");
  }
};

// A device that speaks the protocol itself: its own chain, and the set of every
// change it has pulled.
struct Light {
  std::string token;
  ActorId actor = ActorId::Random();
  std::vector<Built> mine;
  std::uint64_t acked = 0;  // its changes the hub said it holds
  std::set<ChangeHash> have;
  std::uint64_t stamp = 0;  // the greatest stamp (ms) of a change it holds
  std::int64_t after = 0;
  std::optional<ChangeHash> at;
  std::string epoch;
  std::int64_t seen = 0;  // the witness: the newest change it knows the hub holds
  std::optional<ChangeHash> seen_at;

  // A client of replica `replica`; nullptr while that replica is down.
  std::unique_ptr<net::HubClient> Client(const World& w, int replica) const {
    auto url = net::ParsePeerUrl(w.replicas[replica].url);
    if (!url) return nullptr;
    auto c = net::HubClient::Open(
        *url, {"hub", "team", token, Clock::now() + std::chrono::seconds(5), false});
    if (!c) return nullptr;
    return std::move(*c);
  }

  void Author(std::mt19937& rng, int n) {
    for (int i = 0; i < n; ++i) {
      std::vector<ChangeHash> deps;
      if (!mine.empty()) deps.push_back(mine.back().change.hash);
      // Now and then on something pulled from another device.
      if (!have.empty() && rng() % 3 == 0) {
        auto it = have.begin();
        std::advance(it, static_cast<long>(rng() % have.size()));
        if (std::find(deps.begin(), deps.end(), *it) == deps.end()) deps.push_back(*it);
      }
      // Stamped by the wall clock, after every change it depends on (a store
      // refuses a change stamped before its deps).
      const auto now_ms =
          static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count());
      stamp = std::max(stamp + 1, now_ms);
      mine.push_back(MakeChange(actor, mine.size() + 1, deps,
                                actor.Hex() + "/" + std::to_string(mine.size()),
                                Hlc::From(stamp, 0)));
      have.insert(mine.back().change.hash);
    }
  }

  // Pushes what the hub has not acknowledged. false: refused or unreachable.
  bool Push(const World& w, int replica) {
    if (acked >= mine.size()) return true;
    auto c = Client(w, replica);
    if (!c) return false;
    sync::Message m;
    m.release = 2;
    for (std::size_t i = acked; i < mine.size(); ++i) {
      m.changes.push_back(mine[i].change.bytes);
      m.blobs.push_back(mine[i].blob);
    }
    auto a = c->Push(m);
    if (!a) return false;
    if (a->refusal == "not_contiguous" || a->refusal == "missing_deps") {
      // The hub holds less of ours than we thought (it was restored): ask it.
      auto clock = c->Clock();
      if (!clock) return false;
      acked = 0;
      for (const auto& [who, seq] : clock->hello.clock) {
        if (who == actor) acked = seq;
      }
      return false;
    }
    if (!a->refusal.empty()) return false;
    acked = mine.size();
    if (a->last && a->latest > seen) {
      seen = a->latest;
      seen_at = a->last;
    }
    return true;
  }

  bool Pull(const World& w, int replica) {
    auto c = Client(w, replica);
    if (!c) return false;
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = c->Pull(after, at, epoch, 0, seen, seen_at);
      if (!page) return false;
      if (page->history_changed) {
        // Another history (a restore): read it again, and push again what it lacks.
        after = 0;
        at.reset();
        seen = 0;
        seen_at.reset();
        epoch = page->epoch;
        auto clock = c->Clock();
        if (!clock) return false;
        acked = 0;
        for (const auto& [who, seq] : clock->hello.clock) {
          if (who == actor) acked = std::min<std::uint64_t>(seq, mine.size());
        }
        continue;
      }
      for (const Bytes& b : page->message.changes) {
        auto e = EncodedChange::FromBytes(b);
        if (!e) return false;
        have.insert(e->hash);
        stamp = std::max<std::uint64_t>(stamp, e->change.hlc.millis());
        at = e->hash;
      }
      if (!page->message.changes.empty()) after = page->through;
      if (after > seen) {
        seen = after;
        seen_at = at;
      }
      epoch = page->epoch;
      if (!page->more) return true;
    }
    return false;
  }
};

struct Real {
  std::string store;
  int n = 0;
};

std::string Weft(const World& w, const std::string& args) {
  return Shell("timeout -k 5 120 " + w.weft + " " + args + " 2>&1");
}

int Run(const std::string& weft) {
  const char* fixed = std::getenv("WEFT_SEED");
  const unsigned seed =
      fixed ? static_cast<unsigned>(std::strtoul(fixed, nullptr, 10)) : std::random_device{}();
  std::cout << "random seed " << seed << " (replay with WEFT_SEED=" << seed << ")" << std::endl;
  std::mt19937 rng(seed);

  PgServer pg;
  if (pg.url().empty()) {
    std::cout << "FAIL PostgreSQL did not start" << std::endl;
    return 1;
  }
  World w{weft, pg.url(), pg.dir(), std::string(WEFT_TESTS_DIR) + "/hub/pg.sh", {}};
  Shell(weft + " hub migrate --db '" + w.db + "'");
  auto admin = PgConn::Connect(w.db);
  if (!admin || !CreateTenant(*admin, "team", kDefaultQuotaBytes)) {
    std::cout << "FAIL no tenant" << std::endl;
    return 1;
  }
  w.Start(0);
  w.Start(1);

  std::vector<Light> lights(95);
  for (auto& l : lights) {  // actors from the seed, so a seed replays the devices' choices
    ActorId::Raw raw;
    for (auto& b : raw) b = static_cast<std::uint8_t>(rng());
    l.actor = ActorId(raw);
  }
  for (auto& l : lights) l.token = CreateToken(*admin, "team", "light", Scope::kWrite)->secret;
  std::vector<Real> reals(5);
  for (int i = 0; i < 5; ++i) {
    reals[i].store = w.dir + "/real" + std::to_string(i);
    const std::string token_file = reals[i].store + ".token";
    Shell("umask 077 && echo '" + CreateToken(*admin, "team", "real", Scope::kWrite)->secret +
          "' > '" + token_file + "'");
    Weft(w, "--store " + reals[i].store + " init --name real" + std::to_string(i));
  }
  auto add_peers = [&](bool first) {
    for (std::size_t i = 0; i < reals.size(); ++i) {
      if (!first) Weft(w, "--store " + reals[i].store + " peer rm hub");
      const std::string out =
          Weft(w, "--store " + reals[i].store + " peer add hub " + w.replicas[i % 2].url +
                      " --tenant team --token-file " + reals[i].store + ".token");
      Check(out.find("added peer hub") != std::string::npos, "peer add: " + out);
    }
  };
  add_peers(true);

  constexpr int kRounds = 12;
  for (int round = 0; round < kRounds; ++round) {
    // One fault per round, in this order, from the third round on.
    switch (round) {
      case 2:
        StopReplica(w.replicas[0], true);  // killed mid-life
        break;
      case 3:
        // On its old port: the devices registered there come back to it.
        w.replicas[0] =
            StartReplica(weft, w.db, w.dir, 0, {},
                         std::stoi(w.replicas[0].url.substr(w.replicas[0].url.rfind(':') + 1)));
        Check(!w.replicas[0].url.empty(), "the killed replica starts again on its port");
        break;
      case 4:
        w.Pg("pg_restart");
        break;
      case 5:
        admin = PgConn::Connect(w.db);
        (void)admin->Run(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE query LIKE 'LISTEN%'");
        break;
      case 6: {  // a device's token revoked; it is given a new one
        auto id = admin->Exec("SELECT max(id)::bigint FROM tokens WHERE device = 'light'");
        Check(id.has_value() && RevokeToken(*admin, id->Int8(0, 0)).has_value(), "revoke a token");
        Light& l = lights[94];
        auto c = l.Client(w, 1);
        Check(c && !c->Pull(0, std::nullopt, "").has_value(), "a revoked token is refused");
        l.token = CreateToken(*admin, "team", "light", Scope::kWrite)->secret;
        break;
      }
      case 7:
        w.Pg("pg_dump_to \"" + w.dir + "/old.dump\"");
        break;
      case 9:  // the hub restored from the older dump
        StopReplica(w.replicas[0]);
        StopReplica(w.replicas[1]);
        admin = Fail(ErrorCode::kUnavailable, "closed for the restore");
        w.Pg("pg_restore_from \"" + w.dir + "/old.dump\"");
        admin = PgConn::Connect(w.db);
        w.Start(0);
        w.Start(1);
        add_peers(false);
        break;
      default:
        break;
    }
    for (auto& l : lights) {
      const int r = static_cast<int>(rng() % 2);
      switch (rng() % 4) {
        case 0:
          l.Author(rng, 1 + static_cast<int>(rng() % 2));
          break;
        case 1:
          l.Push(w, r);
          break;
        case 2:
          l.Pull(w, r);
          break;
        default:
          break;
      }
    }
    for (auto& real : reals) {
      if (rng() % 2 == 0) {
        Shell("echo 'val Real.R" + std::to_string(&real - reals.data()) + ".v" +
              std::to_string(real.n) + " = " + std::to_string(real.n) + "' > '" + real.store +
              ".weft'");
        ++real.n;
        Weft(w, "--store " + real.store + " add " + real.store + ".weft");
        Weft(w, "--store " + real.store + " commit -m r");
      }
      if (rng() % 2 == 0) Weft(w, "--store " + real.store + " sync hub --timeout 10");
    }
    std::cout << "round " << round << " done" << std::endl;
  }

  // Quiet: passes of pull-then-push until every device's changes are on the hub
  // (a change of one may wait on another's that the restore lost).
  for (int pass = 0; pass < 10; ++pass) {
    bool pending = false;
    for (auto& l : lights) {
      l.Pull(w, pass % 2);
      if (!l.Push(w, pass % 2)) pending = true;
    }
    for (auto& real : reals) {
      const std::string out = Weft(w, "--store " + real.store + " sync hub --timeout 30");
      if (out.find("in sync") == std::string::npos) {
        pending = true;
        std::cout << real.store << ": " << out.substr(0, 300) << std::endl;
      }
    }
    std::cout << "quiet pass " << pass << (pending ? ": some still pending" : ": all pushed")
              << std::endl;
    if (!pending) break;
  }
  for (auto& l : lights) Check(l.Pull(w, 1), "a light device pulls to the end");
  for (auto& real : reals) Weft(w, "--store " + real.store + " sync hub --timeout 30");

  // Every change authored anywhere.
  std::set<ChangeHash> all;
  for (auto& l : lights) {
    for (auto& b : l.mine) all.insert(b.change.hash);
  }
  std::map<std::string, std::set<std::string>> real_logs;
  for (auto& real : reals) {
    const std::string hashes = Shell(weft + " --store " + real.store +
                                     " log -n 1000000 --json | python3 -c 'import json,sys; "
                                     "[print(c[\"hash\"]) for c in json.load(sys.stdin)]'");
    std::set<std::string> seen;
    std::size_t lines = 0;
    for (std::size_t at = 0; at < hashes.size();) {
      const auto nl = hashes.find('\n', at);
      seen.insert(hashes.substr(at, nl - at));
      ++lines;
      at = nl == std::string::npos ? hashes.size() : nl + 1;
    }
    Check(lines == seen.size(), real.store + ": a change twice in its log");
    for (const auto& h : seen) all.insert(*ChangeHash::FromHex(h));
    real_logs[real.store] = std::move(seen);
  }
  std::cout << "changes authored: " << all.size() << std::endl;
  for (std::size_t i = 0; i < lights.size(); ++i) {
    std::size_t missing = 0;
    for (const auto& h : all) missing += lights[i].have.contains(h) ? 0 : 1;
    Check(missing == 0, "light device " + std::to_string(i) + " lacks " + std::to_string(missing));
  }
  for (auto& [store, seen] : real_logs) {
    Check(seen.size() == all.size(),
          store + " holds " + std::to_string(seen.size()) + " of " + std::to_string(all.size()));
  }
  auto n = admin->Exec(
      "SELECT count(*)::bigint, count(DISTINCT hash)::bigint, coalesce(max(seq), 0)::bigint, "
      "(SELECT next_seq - 1 FROM tenants WHERE name = 'team') FROM changes "
      "WHERE tenant_id = (SELECT id FROM tenants WHERE name = 'team')");
  Check(n.has_value(), "the hub answers");
  if (n) {
    std::cout << "hub: " << n->Int8(0, 0) << " changes, latest " << n->Int8(0, 3) << std::endl;
    Check(n->Int8(0, 0) == static_cast<std::int64_t>(all.size()), "the hub holds every change");
    Check(n->Int8(0, 0) == n->Int8(0, 1), "the hub holds a change twice");
    Check(n->Int8(0, 2) == n->Int8(0, 0) && n->Int8(0, 3) == n->Int8(0, 0),
          "the arrival numbers have a gap");
  }
  if (failures > 0) {  // what the first real store says of itself
    std::cout << Weft(w, "--store " + reals[0].store + " status") << "\n"
              << Weft(w, "--store " + reals[0].store + " sync hub") << "\n"
              << Weft(w, "--store " + reals[0].store + " sync events -n 5") << std::endl;
    std::cout << Shell("sqlite3 " + reals[0].store +
                       "/weft.db \"SELECT DISTINCT hex(dep) FROM "
                       "pending_deps WHERE dep NOT IN (SELECT hash FROM changes) LIMIT 5; SELECT "
                       "cursor, seen FROM hub_peers\"")
              << std::endl;
    auto deps = Shell("sqlite3 " + reals[0].store +
                      "/weft.db \"SELECT DISTINCT lower(hex(dep)) "
                      "FROM pending_deps WHERE dep NOT IN (SELECT hash FROM changes) LIMIT 3\"");
    for (std::size_t at = 0; at < deps.size();) {
      const auto nl = deps.find('\n', at);
      const std::string h = deps.substr(at, nl - at);
      auto r = admin->Exec("SELECT seq FROM changes WHERE hash = $1",
                           {PgBytea(ChangeHash::FromHex(h)->bytes())});
      std::cout << "dep " << h.substr(0, 8) << " on the hub at seq "
                << (r && r->rows() ? r->Int8(0, 0) : -1) << std::endl;
      at = nl == std::string::npos ? deps.size() : nl + 1;
    }
  }
  StopReplica(w.replicas[0]);
  StopReplica(w.replicas[1]);
  std::cout << (failures == 0 ? "ok" : "FAILED") << std::endl;
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace weft::hub::testing

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: hub_fault_model WEFT_BINARY\n";
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  return weft::hub::testing::Run(argv[1]);
}
