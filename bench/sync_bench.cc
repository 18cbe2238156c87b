// Sync benchmark driver (issue: sync). Prints one JSON document.
//
// Builds a store of N changes, each binding Bench.Data.v<i> to a value of about
// 200 bytes, then runs the real CLI (`weft sync PATH --json`) as a child process
// and reports wall time, messages, round trips, bytes and the child's peak RSS for:
//   fresh     a fresh peer's full sync
//   one_new   one new change after that
//   concurrent 1,000 changes on each side, half of them to the same names
// Usage: weft_bench_sync PATH/TO/weft [N...]   (default N = 10000 100000)
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "fold/ledger.h"
#include "lang/canonicalize.h"
#include "lang/parser.h"
#include "store/blob_store.h"
#include "store/peers.h"
#include "workspace/item_access.h"

extern char** environ;

namespace weft {
namespace {

class NoNames : public lang::NameResolver {
 public:
  Result<std::optional<Digest>> Term(const std::string&) override {
    return std::optional<Digest>();
  }
  Result<std::optional<Digest>> Type(const std::string&) override {
    return std::optional<Digest>();
  }
  Result<std::vector<lang::CaseInfo>> TypeCases(const Digest&) override {
    return std::vector<lang::CaseInfo>{};
  }
  Result<Digest> HashPrefix(const std::string& h) override {
    return Fail(ErrorCode::kNotFound, "{}", h);
  }
};

std::string Value(std::uint64_t i, const std::string& salt) {
  std::string s = salt;
  while (s.size() < 200) s += "value-" + std::to_string(i) + "-";
  s.resize(200);
  return s;
}

// Authors `count` changes on `store`, each binding one name, 1,000 per transaction.
void Author(Store& store, std::uint64_t first, std::uint64_t count, const std::string& salt) {
  NoNames names;
  Ledger ledger(store);
  std::uint64_t done = 0;
  while (done < count) {
    for (std::uint64_t k = 0; k < 1000 && done < count; ++k, ++done) {
      std::uint64_t i = first + done;
      std::string src = "val Bench.Data.v" + std::to_string(i) + " = \"" + Value(i, salt) + "\"";
      auto defs = lang::ParseFile(src, "bench");
      auto items = lang::Canonicalize(*defs, names, HashForLang, "bench");
      const auto& c = items->front();
      std::vector<ItemHash> refs;
      Item item = Item::Make(c.kind, refs, c.body, c.display);
      auto tx = Transaction::Begin(store.db());
      (void)PutBlob(store.db(), item);
      (void)tx->Commit();
      auto ch = ledger.AuthorChange(
          {AddItem{item.Hash()}, SetName{Namespace::kTerm, c.name, item.Hash()}}, "bench");
      if (!ch) {
        std::cerr << ch.error().message() << "\n";
        std::exit(1);
      }
    }
  }
}

nlohmann::json RunSync(const std::string& weft, const std::string& ours, const std::string& peer) {
  std::vector<std::string> args = {weft, "--store", ours,        "sync",
                                   peer, "--json",  "--timeout", "600"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int pipefd[2];
  if (pipe(pipefd) != 0) std::exit(1);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
  posix_spawn_file_actions_addclose(&fa, pipefd[0]);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, weft.c_str(), &fa, nullptr, argv.data(), environ) != 0) std::exit(1);
  close(pipefd[1]);
  std::string out;
  char buf[4096];
  ssize_t n = 0;
  while ((n = read(pipefd[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(pipefd[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json report = nlohmann::json::parse(out, nullptr, false);
  std::size_t messages = report.is_object() ? report.value("messages", 0u) : 0u;
  return {{"seconds", secs},
          {"messages", messages},
          {"round_trips", (messages + 1) / 2},
          {"bytes", report.is_object() ? report.value("bytes", 0u) : 0u},
          {"received", report.is_object() ? report.value("received", 0u) : 0u},
          {"sent", report.is_object() ? report.value("sent", 0u) : 0u},
          {"in_sync", report.is_object() && report.value("in_sync", false)},
          {"peak_rss_mb", static_cast<double>(usage.ru_maxrss) / 1024.0},
          {"exit", WEXITSTATUS(status)}};
}

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
  for (int i = 2; i < argc; ++i) sizes.push_back(std::stoull(argv[i]));
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
    nlohmann::json r = {{"changes", n}, {"build_seconds", build}};
    // A registered peer keeps its shared heads between sessions, as in real use.
    if (auto added = AddPeer((*fresh)->db(), "base", root + "/base"); !added) {
      std::cerr << "weft_bench_sync: " << added.error().message() << "\n";
      return 1;
    }
    fresh->reset();
    r["fresh"] = RunSync(weft, root + "/fresh", "base");
    Author(**base, n, 1, "new");
    r["one_new"] = RunSync(weft, root + "/fresh", "base");
    {
      auto f = Store::Open(root + "/fresh", Store::Access::kReadWrite);
      Author(**f, n / 2, 1000, "fresh-side");  // 500 of these names are also edited below
    }
    Author(**base, n / 2 + 500, 1000, "base-side");
    r["concurrent"] = RunSync(weft, root + "/fresh", "base");
    all.push_back(r);
    std::cerr << r.dump() << "\n";
    base->reset();
    std::filesystem::remove_all(root);
  }
  std::cout << all.dump(2) << "\n";
  return 0;
}
