// The hub's figures (docs/benchmarks.md, "The hub"): a durable PostgreSQL of its
// own (tests/hub/pg.sh with PG_DURABLE=1) and real `weft hub serve` replicas on
// loopback, driven through the device's own client (net/hub_client.h).
//
// Usage: weft_bench_hub WEFT_BINARY [--quick] [--only SECTION,...]
//   (prints one JSON document; sections: latency reconnect bulk many single polls)
// Peak RSS of a replica is its own VmHWM (/proc/PID/status), read from the
// replica process, never this one's.
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "hub/tenants.h"
#include "hub_changes.h"
#include "net/hub_client.h"
#include "replicas.h"

namespace weft {
namespace {

using Clock = std::chrono::steady_clock;
using hub::testing::Built;
using hub::testing::MakeChange;
using hub::testing::PeakRssKb;
using hub::testing::Replica;
using hub::testing::Shell;
using hub::testing::StartReplica;
using hub::testing::StopReplica;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

struct Env {
  std::string weft, db, dir;
  int tokens = 0;
  // A tenant and a write token for it.
  std::string Tenant(const std::string& name) {
    Shell(weft + " hub tenant create " + name + " --quota 100000000000 --db '" + db + "'");
    return Token(name);
  }
  std::string Token(const std::string& tenant) {
    return Shell(weft + " hub token create --tenant " + tenant + " --device d" +
                 std::to_string(++tokens) + " --db '" + db + "' 2>/dev/null");
  }
  // `n` tokens at once (one device each), straight through the hub's own code.
  std::vector<std::string> Tokens(const std::string& tenant, int n) {
    std::vector<std::string> out;
    auto c = hub::PgConn::Connect(db);
    for (int i = 0; c && i < n; ++i) {
      auto t = hub::CreateToken(*c, tenant, "dev" + std::to_string(++tokens), hub::Scope::kWrite);
      if (t) out.push_back(t->secret);
    }
    return out;
  }
};

std::unique_ptr<net::HubClient> Client(const Replica& r, const std::string& tenant,
                                       const std::string& token, int deadline_s = 120) {
  auto url = net::ParsePeerUrl(r.url);
  auto c = net::HubClient::Open(
      *url, {"bench", tenant, token, Clock::now() + std::chrono::seconds(deadline_s)});
  return std::move(*c);
}

// A chain of `n` changes of one actor, each adding one ~200-byte item.
std::vector<Built> Chain(std::size_t n, const std::string& salt) {
  std::vector<Built> out;
  out.reserve(n);
  const ActorId a = ActorId::Random();
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<ChangeHash> deps;
    if (!out.empty()) deps.push_back(out.back().change.hash);
    out.push_back(
        MakeChange(a, i + 1, deps,
                   salt + std::to_string(i) + std::string(180, static_cast<char>('a' + i % 26))));
  }
  return out;
}

sync::Message Message(const std::vector<Built>& all, std::size_t from, std::size_t to) {
  sync::Message m;
  m.release = 2;
  for (std::size_t i = from; i < to; ++i) {
    m.changes.push_back(all[i].change.bytes);
    m.blobs.push_back(all[i].blob);
  }
  return m;
}

// Pushes `all` in messages of `per` changes; returns changes a second.
double BulkPush(net::HubClient& c, const std::vector<Built>& all, std::size_t per) {
  const auto start = Clock::now();
  for (std::size_t i = 0; i < all.size(); i += per) {
    auto a = c.Push(Message(all, i, std::min(all.size(), i + per)));
    if (!a || !a->refusal.empty()) {
      std::cerr << "bulk push failed: " << (a ? a->sentence : a.error().message()) << "\n";
      return 0;
    }
  }
  return static_cast<double>(all.size()) /
         std::chrono::duration<double>(Clock::now() - start).count();
}

// Pulls every page; returns the number of changes.
std::size_t Clone(net::HubClient& c) {
  std::int64_t after = 0;
  std::optional<ChangeHash> at;
  std::string epoch;
  std::size_t n = 0;
  for (;;) {
    auto page = c.Pull(after, at, epoch);
    if (!page || page->history_changed) return n;
    n += page->message.changes.size();
    if (!page->message.changes.empty()) {
      at = EncodedChange::FromBytes(page->message.changes.back())->hash;
      after = page->through;
    }
    epoch = page->epoch;
    if (!page->more) return n;
  }
}

nlohmann::json PushToVisible(Env& env, Replica& a, Replica& b, int samples) {
  const std::string token = env.Tenant("latency");
  auto pusher = Client(a, "latency", token);
  auto poller = Client(b, "latency", token);
  std::vector<Built> chain = Chain(static_cast<std::size_t>(samples) + 1, "lat");
  (void)pusher->Push(Message(chain, 0, 1));
  std::atomic<std::int64_t> seen{1};
  std::vector<Clock::time_point> seen_at(chain.size());
  std::thread poll([&] {
    std::int64_t after = 1;
    std::optional<ChangeHash> at = chain[0].change.hash;
    std::string epoch;
    while (after < static_cast<std::int64_t>(chain.size())) {
      auto page = poller->Pull(after, at, epoch, 25);
      const auto now = Clock::now();
      if (!page) break;
      epoch = page->epoch;
      for (const Bytes& bytes : page->message.changes) {
        seen_at[static_cast<std::size_t>(after)] = now;
        ++after;
        at = EncodedChange::FromBytes(bytes)->hash;
      }
      seen = after;
    }
  });
  std::vector<double> lat;
  for (int i = 1; i <= samples; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(15));
    const auto start = Clock::now();
    auto r =
        pusher->Push(Message(chain, static_cast<std::size_t>(i), static_cast<std::size_t>(i) + 1));
    if (!r || !r->refusal.empty()) break;
    while (seen.load() <= i && Clock::now() - start < std::chrono::seconds(5)) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    lat.push_back(Ms(seen_at[static_cast<std::size_t>(i)] - start));
  }
  poll.join();
  return {{"samples", lat.size()},
          {"p50_ms", Percentile(lat, 0.5)},
          {"p99_ms", Percentile(lat, 0.99)},
          {"max_ms", Percentile(lat, 1.0)}};
}

nlohmann::json Reconnect(Env& env, Replica& a) {
  const std::string token = env.Tenant("reconnect");
  auto c = Client(a, "reconnect", token);
  std::vector<Built> one = Chain(1, "re");
  auto pushed = c->Push(Message(one, 0, 1));
  // Exactly what crosses the wire, by curl: one GET after the device's position.
  const std::string out = Shell(
      "curl -s -o /dev/null -w '%{size_request} %{size_header} %{size_download} %{num_connects}' "
      "-H 'Authorization: Bearer " +
      token + "' -H 'User-Agent: weft' '" + a.url + "/v1/t/reconnect/changes?after=1&at=" +
      one[0].change.hash.Hex() + "&epoch=" + (pushed ? pushed->epoch : "") + "'");
  std::istringstream in(out);
  long req = 0, hdr = 0, body = 0, connects = 0;
  in >> req >> hdr >> body >> connects;
  return {{"round_trips", 1},
          {"request_bytes", req},
          {"response_bytes", hdr + body},
          {"total_bytes", req + hdr + body}};
}

nlohmann::json LongPolls(Env& env, int n) {
  Replica r =
      StartReplica(env.weft, env.db, env.dir, 9, {"--max-long-polls", std::to_string(n + 100)});
  const std::string token = env.Tenant("polls");
  const std::vector<std::string> tokens = env.Tokens("polls", n);  // one device each
  auto url = net::ParsePeerUrl(r.url);
  std::vector<int> socks;
  for (int i = 0; i < n && i < static_cast<int>(tokens.size()); ++i) {
    const std::string req =
        "GET /v1/t/polls/changes?after=0&wait=25 HTTP/1.1\r\nHost: x\r\n"
        "Authorization: Bearer " +
        tokens[static_cast<std::size_t>(i)] + "\r\n\r\n";
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(url->port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s < 0 || connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) break;
    (void)!write(s, req.data(), req.size());
    socks.push_back(s);
    // Devices come one after another, not in one burst: a burst past the queue
    // for a database connection (256) is refused with 503 by design.
    if (i % 100 == 99) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Wait until the replica holds them all.
  double held = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string m =
        Shell("curl -s " + r.url + "/metrics | sed -n 's/^weft_hub_long_polls //p'");
    held = m.empty() ? 0 : std::stod(m);
    if (held >= n) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const long rss = PeakRssKb(r.pid);
  // One push answers every one of them.
  auto c = Client(r, "polls", token);
  std::vector<Built> one = Chain(1, "lp");
  const auto start = Clock::now();
  (void)c->Push(Message(one, 0, 1));
  std::vector<pollfd> fds;
  for (int s : socks) fds.push_back({s, POLLIN, 0});
  std::size_t answered = 0, with_change = 0, pending = fds.size();
  while (pending > 0 && Clock::now() - start < std::chrono::seconds(10)) {
    if (::poll(fds.data(), fds.size(), 100) <= 0) continue;
    for (auto& f : fds) {
      if (f.fd >= 0 && (f.revents & (POLLIN | POLLHUP))) {
        char head[16] = {};
        const ssize_t got = read(f.fd, head, sizeof head - 1);
        if (got > 0 && std::string_view(head).starts_with("HTTP/1.1 200")) ++with_change;
        ++answered;
        --pending;
        close(f.fd);  // the device has its answer and goes (a daemon would ask again)
        f.fd = -1;
      }
    }
  }
  const double all_ms = Ms(Clock::now() - start);
  for (const auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  StopReplica(r);
  return {{"opened", socks.size()},
          {"held", held},
          {"answered_after_one_push", answered},
          {"answered_200", with_change},
          {"answer_all_ms", all_ms},
          {"replica_peak_rss_mb", static_cast<double>(rss) / 1024}};
}

}  // namespace
}  // namespace weft

int main(int argc, char** argv) {
  using namespace weft;
  if (argc < 2) {
    std::cerr << "usage: weft_bench_hub WEFT_BINARY [--quick] [--only SECTION,...]\n";
    return 2;
  }
  bool quick = false;
  std::string only;  // empty: every section
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      quick = true;
    } else if (arg == "--only" && i + 1 < argc) {
      only = "," + std::string(argv[++i]) + ",";
    } else {
      std::cerr << "weft_bench_hub: unknown argument " << arg << "\n";
      return 2;
    }
  }
  auto wanted = [&](const char* section) {
    return only.empty() || only.find("," + std::string(section) + ",") != std::string::npos;
  };
  signal(SIGPIPE, SIG_IGN);
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, 65536);
  setrlimit(RLIMIT_NOFILE, &lim);

  weft::testing::TempDir dir;
  Env env{argv[1], "", dir.path()};
  const std::string pg_sh = std::string(WEFT_SOURCE_DIR) + "/tests/hub/pg.sh";
  env.db = Shell("PG_DURABLE=1 bash -c 'source \"" + pg_sh + "\" && pg_start \"" + dir.path() +
                 "\" >/dev/null && echo \"$PGURL\"'");
  if (env.db.empty()) {
    std::cerr << "PostgreSQL did not start\n";
    return 1;
  }
  Shell(env.weft + " hub migrate --db '" + env.db + "'");
  nlohmann::json out;
  const auto began = Clock::now();
  auto mark = [&](const char* what) {  // progress on stderr; the figures go to stdout
    std::cerr << fmt::format("{:7.1f} s  {}\n",
                             std::chrono::duration<double>(Clock::now() - began).count(), what);
  };
  const std::size_t big = quick ? 10000 : 100000, each = quick ? 2000 : 10000;
  const int devices = quick ? 20 : 100;
  Replica a = StartReplica(env.weft, env.db, env.dir, 1),
          b = StartReplica(env.weft, env.db, env.dir, 2);

  if (wanted("latency")) {
    out["push_to_visible_other_replica"] = PushToVisible(env, a, b, quick ? 50 : 300);
    mark("push to visible");
  }
  if (wanted("reconnect")) {
    out["reconnect_nothing_new"] = Reconnect(env, a);
    mark("reconnect");
  }
  if (wanted("bulk")) {  // Bulk push, then a fresh replica serves one device's clone.
    // Three runs into three tenants (one in --quick): the rate is PostgreSQL's
    // insert on this machine, which varies by a fifth from run to run.
    const int runs = quick ? 1 : 3;
    std::vector<double> rates;
    std::string token;
    for (int run = 0; run < runs; ++run) {
      const std::string tenant = "bulk" + std::to_string(run);
      token = env.Tenant(tenant);
      const std::vector<Built> chain = Chain(big, tenant);
      auto c = Client(a, tenant, token, 600);
      rates.push_back(BulkPush(*c, chain, 5000));
    }
    out["bulk_push"] = {{"changes", big},
                        {"per_message", 5000},
                        {"runs", rates},
                        {"changes_per_s", Percentile(rates, 0.5)}};
    const std::string bulk = "bulk" + std::to_string(runs - 1);
    Replica fresh = StartReplica(env.weft, env.db, env.dir, 3);
    auto cl = Client(fresh, bulk, token, 600);
    const auto start = Clock::now();
    const std::size_t got = Clone(*cl);
    out["clone"] = {{"changes", got},
                    {"seconds", std::chrono::duration<double>(Clock::now() - start).count()},
                    {"replica_peak_rss_mb", static_cast<double>(PeakRssKb(fresh.pid)) / 1024}};
    StopReplica(fresh);
    mark("bulk push and clone");
  }
  if (wanted("many")) {  // Many devices clone at once, through two fresh replicas.
    const std::string token = env.Tenant("many");
    const std::vector<Built> chain = Chain(each, "many");
    auto c = Client(a, "many", token, 600);
    BulkPush(*c, chain, 5000);
    Replica r1 = StartReplica(env.weft, env.db, env.dir, 4),
            r2 = StartReplica(env.weft, env.db, env.dir, 5);
    const std::vector<std::string> tokens = env.Tokens("many", devices);
    std::vector<double> secs(static_cast<std::size_t>(devices));
    std::vector<std::size_t> got(static_cast<std::size_t>(devices));
    std::vector<std::thread> ts;
    const auto start = Clock::now();
    for (int i = 0; i < devices; ++i) {
      ts.emplace_back([&, i] {
        auto cl = Client(i % 2 ? r1 : r2, "many", tokens[static_cast<std::size_t>(i)], 600);
        const auto t0 = Clock::now();
        got[static_cast<std::size_t>(i)] = Clone(*cl);
        secs[static_cast<std::size_t>(i)] =
            std::chrono::duration<double>(Clock::now() - t0).count();
      });
    }
    for (auto& t : ts) t.join();
    const bool all = std::all_of(got.begin(), got.end(), [&](std::size_t n) { return n == each; });
    out["many_clones"] = {{"devices", devices},
                          {"changes_each", each},
                          {"all_complete", all},
                          {"p50_s", Percentile(secs, 0.5)},
                          {"p99_s", Percentile(secs, 0.99)},
                          {"wall_s", std::chrono::duration<double>(Clock::now() - start).count()},
                          {"replicas_peak_rss_mb",
                           static_cast<double>(PeakRssKb(r1.pid) + PeakRssKb(r2.pid)) / 1024}};
    StopReplica(r1);
    StopReplica(r2);
    mark("many clones");
  }
  for (bool own_tenants : {true, false}) {  // single-change pushes from 8 writers
    if (!wanted("single")) break;
    constexpr int kWriters = 8;
    const int per = quick ? 50 : 250;
    std::vector<std::pair<std::string, std::string>> who;
    const std::string shared = own_tenants ? "" : "single";
    const std::string shared_token = own_tenants ? "" : env.Tenant("single");
    for (int w = 0; w < kWriters; ++w) {
      if (own_tenants) {
        const std::string t = "w" + std::to_string(w);
        who.emplace_back(t, env.Tenant(t));
      } else {
        who.emplace_back(shared, env.Token(shared));
      }
    }
    std::vector<std::vector<Built>> chains;
    for (int w = 0; w < kWriters; ++w) chains.push_back(Chain(static_cast<std::size_t>(per), "s"));
    std::atomic<int> failed{0};
    std::vector<std::thread> ts;
    const auto start = Clock::now();
    for (int w = 0; w < kWriters; ++w) {
      ts.emplace_back([&, w] {
        auto c = Client(w % 2 ? a : b, who[static_cast<std::size_t>(w)].first,
                        who[static_cast<std::size_t>(w)].second);
        for (int i = 0; i < per; ++i) {
          auto r = c->Push(Message(chains[static_cast<std::size_t>(w)], static_cast<std::size_t>(i),
                                   static_cast<std::size_t>(i) + 1));
          if (!r || !r->refusal.empty()) ++failed;
        }
      });
    }
    for (auto& t : ts) t.join();
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    out[own_tenants ? "single_pushes_8_writers_own_tenants"
                    : "single_pushes_8_writers_one_tenant"] = {
        {"pushes", kWriters * per},
        {"failed", failed.load()},
        {"pushes_per_s", kWriters * per / s}};
  }
  StopReplica(a);
  StopReplica(b);
  if (wanted("single")) mark("single pushes");
  if (wanted("polls")) {
    out["long_polls_one_replica"] = LongPolls(env, quick ? 500 : 2000);
    mark("long polls");
  }
  Shell("bash -c 'source \"" + pg_sh + "\" && pg_dir=\"" + dir.path() + "/pg\" && pg_stop'");
  std::cout << out.dump(2) << std::endl;
  return 0;
}
