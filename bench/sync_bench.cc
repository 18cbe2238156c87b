// Sync benchmark driver (issue: sync). Prints one JSON document.
//
// Builds a store of N changes, each binding Bench.Data.v<i> to a value of about
// 200 bytes, then runs the real CLI (`weft sync PATH --json`) as a child process
// and reports wall time, messages, round trips, bytes and the child's peak RSS for:
//   fresh     a fresh peer's full sync
//   one_new   one new change after that (the fresh side asks)
//   one_new_push  one more, sent by the side that has it (file carrier only)
//   reconnect both sides in sync, neither with a saved sync state
//   concurrent 1,000 changes on each side, half of them to the same names
// and, after the fresh sync, the fresh store's size on disk (store_bytes) and the
// time to open it and print its status (open). round_trips is messages / 2,
// rounded up, as ever; exchanges is the round trips the session really made
// (a round trip may carry several messages each way).
// With --http, the base store is served by `weft serve --tls` (a child process)
// and the fresh one syncs with it over HTTPS; the report adds the server's own
// peak RSS for each scenario (VmHWM, reset before each through clear_refs).
// Usage: weft_bench_sync PATH/TO/weft [--http] [N...]   (default N = 10000 100000)
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "net/identity.h"
#include "store/peers.h"
#include "tools/fill.h"

extern char** environ;

namespace weft {
namespace {

// Authors `count` changes on `store` (tools/fill.h); exits on failure.
void Author(Store& store, std::uint64_t first, std::uint64_t count, const std::string& salt) {
  if (auto filled = tools::FillStore(store, first, count, salt); !filled) {
    std::cerr << "weft_bench_sync: " << filled.error().message() << "\n";
    std::exit(1);
  }
}

// Starts `args` (args[0] is the program) with its stdout on a pipe; returns the
// child and the pipe's read end.
std::pair<pid_t, int> Spawn(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int pipefd[2];
  if (pipe(pipefd) != 0) std::exit(1);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
  posix_spawn_file_actions_addclose(&fa, pipefd[0]);
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0].c_str(), &fa, nullptr, argv.data(), environ) != 0) std::exit(1);
  posix_spawn_file_actions_destroy(&fa);
  close(pipefd[1]);
  return {pid, pipefd[0]};
}

nlohmann::json RunSync(const std::string& weft, const std::string& ours, const std::string& peer) {
  auto start = std::chrono::steady_clock::now();
  auto [pid, out_fd] = Spawn({weft, "--store", ours, "sync", peer, "--json", "--timeout", "600"});
  std::string out;
  char buf[4096];
  ssize_t n = 0;
  while ((n = read(out_fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(out_fd);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json doc = nlohmann::json::parse(out, nullptr, false);
  // `sync --json` reports each peer under "peers" (docs/json.md).
  nlohmann::json report = doc.is_object() && doc.contains("peers") && !doc["peers"].empty()
                              ? doc["peers"][0]
                              : nlohmann::json();
  std::size_t messages = report.is_object() ? report.value("messages", 0u) : 0u;
  return {{"seconds", secs},
          {"messages", messages},
          {"round_trips", (messages + 1) / 2},
          {"exchanges", report.is_object() ? report.value("round_trips", 0u) : 0u},
          {"bytes", report.is_object() ? report.value("bytes", 0u) : 0u},
          {"received", report.is_object() ? report.value("received", 0u) : 0u},
          {"sent", report.is_object() ? report.value("sent", 0u) : 0u},
          {"in_sync", report.is_object() && report.value("in_sync", false)},
          {"peak_rss_mb", static_cast<double>(usage.ru_maxrss) / 1024.0},
          {"exit", WEXITSTATUS(status)}};
}

// The store's files on disk (database and WAL), after the last process closed it.
std::uint64_t StoreBytes(const std::string& dir) {
  std::uint64_t total = 0;
  for (const char* f : {"weft.db", "weft.db-wal"}) {
    std::error_code ec;
    auto size = std::filesystem::file_size(std::filesystem::path(dir) / f, ec);
    if (!ec) total += size;
  }
  return total;
}

// Wall time and the child's own peak RSS of one command whose output is dropped.
nlohmann::json TimeCommand(std::vector<std::string> args) {
  auto start = std::chrono::steady_clock::now();
  auto [pid, out_fd] = Spawn(std::move(args));
  char buf[4096];
  while (read(out_fd, buf, sizeof buf) > 0) {
  }
  close(out_fd);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {{"seconds", secs},
          {"peak_rss_mb", static_cast<double>(usage.ru_maxrss) / 1024.0},
          {"exit", WEXITSTATUS(status)}};
}

// `weft serve` for the base store, over TLS on a free loopback port.
struct Server {
  pid_t pid = 0;
  std::string url;
  std::string device_id;

  static Server Start(const std::string& weft, const std::string& dir) {
    Server s;
    int fd = -1;
    std::tie(s.pid, fd) =
        Spawn({weft, "--store", dir, "serve", "--listen", "127.0.0.1:0", "--tls", "--quiet"});
    std::string line;
    char c = 0;
    while (read(fd, &c, 1) == 1 && c != '\n') line += c;
    close(fd);
    // "serving at URL (device id ID)"
    auto at = line.find("serving at ");
    auto id = line.find("(device id ");
    if (at == std::string::npos || id == std::string::npos) {
      std::cerr << "weft_bench_sync: weft serve did not start: " << line << "\n";
      std::exit(1);
    }
    s.url = line.substr(at + 11, line.find(' ', at + 11) - at - 11);
    s.device_id = line.substr(id + 11, line.find(')', id) - id - 11);
    return s;
  }
  void ResetPeak() const { std::ofstream(fmt::format("/proc/{}/clear_refs", pid)) << "5"; }
  double PeakMb() const {
    std::ifstream in(fmt::format("/proc/{}/status", pid));
    std::string key;
    while (in >> key) {
      if (key == "VmHWM:") {
        double kb = 0;
        in >> kb;
        return kb / 1024.0;
      }
    }
    return 0;
  }
  void Stop() const {
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
  }
};

}  // namespace
}  // namespace weft

int main(int argc, char** argv) {
  using namespace weft;
  if (argc < 2) {
    std::cerr << "usage: weft_bench_sync PATH/TO/weft [N...]\n";
    return 2;
  }
  std::string weft = argv[1];
  std::vector<std::uint64_t> sizes;
  bool http = false;
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--http") {
      http = true;
      continue;
    }
    sizes.push_back(std::stoull(argv[i]));
  }
  if (sizes.empty()) sizes = {10'000, 100'000};
  nlohmann::json all = nlohmann::json::array();
  for (std::uint64_t n : sizes) {
    std::string root =
        (std::filesystem::temp_directory_path() / ("weft-bench-sync-" + std::to_string(n)))
            .string();
    std::filesystem::remove_all(root);
    auto base = Store::Init(root + "/base", "base");
    auto fresh = Store::Init(root + "/fresh", "fresh");
    auto t0 = std::chrono::steady_clock::now();
    Author(**base, 0, n, "");
    double build = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    nlohmann::json r = {
        {"changes", n}, {"build_seconds", build}, {"carrier", http ? "https" : "file"}};
    // A registered peer keeps its shared heads between sessions, as in real use.
    std::optional<Server> server;
    std::string address = root + "/base";
    std::string device_id;
    if (http) {
      auto fresh_id = net::DeviceIdentity::LoadOrCreate(root + "/fresh", "fresh");
      if (!fresh_id || !AddPeer((*base)->db(), "fresh", "", fresh_id->id().ToString())) {
        std::cerr << "weft_bench_sync: cannot register the fresh store with the base\n";
        return 1;
      }
      server = Server::Start(weft, root + "/base");
      address = server->url;
      device_id = server->device_id;
    }
    if (auto added = AddPeer((*fresh)->db(), "base", address, device_id); !added) {
      std::cerr << "weft_bench_sync: " << added.error().message() << "\n";
      return 1;
    }
    fresh->reset();
    auto run = [&] {
      if (server) server->ResetPeak();
      nlohmann::json one = RunSync(weft, root + "/fresh", "base");
      if (server) one["server_peak_rss_mb"] = server->PeakMb();
      return one;
    };
    r["fresh"] = run();
    r["store_bytes"] = StoreBytes(root + "/fresh");
    r["open"] = TimeCommand({weft, "--store", root + "/fresh", "status", "--json"});
    Author(**base, n, 1, "new");
    r["one_new"] = run();
    if (!http) {
      // The side with news speaks first: the base, with the fresh store as its
      // peer, sends one new change (a first session records what they share).
      if (auto added = AddPeer((*base)->db(), "fresh", root + "/fresh", ""); !added) {
        std::cerr << "weft_bench_sync: " << added.error().message() << "\n";
        return 1;
      }
      base->reset();
      RunSync(weft, root + "/base", "fresh");
      base = Store::Open(root + "/base", Store::Access::kReadWrite);
      Author(**base, n + 1, 1, "pushed");
      base->reset();
      r["one_new_push"] = RunSync(weft, root + "/base", "fresh");
      base = Store::Open(root + "/base", Store::Access::kReadWrite);
    }
    {
      // Both sides forget what they shared: the next session starts from nothing
      // but what each holds.
      auto f = Store::Open(root + "/fresh", Store::Access::kReadWrite);
      if (!f || !SavePeerState((*f)->db(), "base", {})) {
        std::cerr << "weft_bench_sync: cannot clear the saved sync state\n";
        return 1;
      }
    }
    r["reconnect"] = run();
    {
      auto f = Store::Open(root + "/fresh", Store::Access::kReadWrite);
      Author(**f, n / 2, 1000, "fresh-side");  // 500 of these names are also edited below
    }
    Author(**base, n / 2 + 500, 1000, "base-side");
    r["concurrent"] = run();
    if (server) server->Stop();
    all.push_back(r);
    std::cerr << r.dump() << "\n";
    base->reset();
    std::filesystem::remove_all(root);
  }
  std::cout << all.dump(2) << "\n";
  return 0;
}
