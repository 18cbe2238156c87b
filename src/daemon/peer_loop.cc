#include "daemon/peer_loop.h"

#include <random>

#include "daemon/backoff.h"
#include "fold/ledger.h"
#include "fold/open.h"
#include "net/http_peer.h"
#include "net/identity.h"
#include "store/change_log.h"
#include "workspace/sync.h"
#include "workspace/sync_events.h"

namespace weft::daemon {
namespace {

std::uint64_t Seed(const std::string& name) {
  return std::random_device{}() ^ std::hash<std::string>{}(name);
}

std::int64_t NowMs() { return static_cast<std::int64_t>(SystemMillis()); }

}  // namespace

PeerLoop::PeerLoop(LoopOptions options, Peer peer)
    : options_(std::move(options)), peer_(std::move(peer)) {
  runner_ = std::thread([this] { Run(); });
  if (net::LooksLikeUrl(peer_.address)) {
    listening_ = true;
    listener_ = std::thread([this] {
      Listen();
      {
        std::lock_guard lock(mu_);
        listening_ = false;
      }
      cv_.notify_all();
    });
  }
}

PeerLoop::~PeerLoop() { Stop(); }

void PeerLoop::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  // A cancel that lands while the long poll is still connecting is lost (the
  // request starts after it), so it is repeated until the listener is out.
  while (true) {
    std::function<void()> cancel;
    {
      std::unique_lock lock(mu_);
      if (!listening_) break;
      cancel = cancel_polling_;
    }
    if (cancel) cancel();
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(50), [&] { return !listening_; });
  }
  if (runner_.joinable()) runner_.join();
  if (listener_.joinable()) listener_.join();
}

void PeerLoop::Log(const std::string& line) const {
  if (options_.log) options_.log(peer_.name + ": " + line);
}

void PeerLoop::OurHeadsChanged() { Wake("heads", {}); }

void PeerLoop::Wake(const std::string& trigger, std::vector<ChangeHash> their_heads) {
  {
    std::lock_guard lock(mu_);
    // An event's heads replace the last event's (none: the peer's events were
    // missed, so sync whatever they are).
    if (trigger == "event") their_heads_ = std::move(their_heads);
    if (!wake_ || trigger == "event") wake_ = trigger;
  }
  cv_.notify_all();
}

std::string PeerLoop::WaitForWake(std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, wait, [&] { return stop_ || wake_.has_value(); });
  if (stop_) return "stop";
  if (!wake_) return "timer";
  return std::exchange(wake_, std::nullopt).value();
}

void PeerLoop::Run() {
  Backoff backoff(options_.floor, options_.ceiling, Seed(peer_.name));
  std::unique_ptr<Store> store;
  std::vector<ChangeHash> synced_heads;  // ours, when the last cycle ended in sync
  std::string trigger = "start";
  while (trigger != "stop") {
    if (!store) {
      auto opened = OpenStore(options_.store_dir, Store::Access::kReadWrite, SystemMillis, nullptr,
                              options_.busy_timeout);
      if (!opened) {
        Log("cannot open the store: " + opened.error().message());
        trigger = WaitForWake(backoff.Next());
        continue;
      }
      store = std::move(*opened);
    }
    // Skip a cycle that cannot move anything: our heads are the ones the peer
    // last held, or the peer's new heads are all here already.
    bool skip = false;
    if (trigger == "heads") {
      auto heads = LogHeads(store->db());
      skip = heads && !synced_heads.empty() && *heads == synced_heads;
    } else if (trigger == "event") {
      std::vector<ChangeHash> theirs;
      {
        std::lock_guard lock(mu_);
        theirs = their_heads_;
      }
      skip = !theirs.empty();
      for (const auto& h : theirs) {
        auto held = HasChange(store->db(), h);
        if (!held || !*held) skip = false;
      }
    }
    if (skip) {
      trigger = WaitForWake(backoff.step());
      continue;
    }
    workspace::Target target{peer_.name, peer_.address, true, peer_.device_id};
    workspace::SyncRequest request;
    request.timeout_s = options_.sync_timeout_s;
    request.retry_unreachable = false;
    request.trigger = trigger;
    const std::int64_t started_ms = NowMs();
    const auto started = std::chrono::steady_clock::now();
    auto outcome = workspace::SyncWithPeer(*store, target, request);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    // SyncWithPeer recorded the same event; this copy is for the log.
    const SyncEvent event = workspace::SyncEventOf(peer_.name, trigger, started_ms, took, outcome);
    if (!event.error.empty()) {
      synced_heads.clear();
      Log(fmt::format("sync failed ({}), retrying in about {} s: {}", trigger,
                      backoff.step().count() / 1000, event.error));
    } else {
      if (outcome->verdict == workspace::SyncVerdict::kInSync) {
        synced_heads = outcome->heads;
      } else {
        synced_heads.clear();
      }
      if (event.pulled > 0 || event.pushed > 0) {
        Log(fmt::format("{}: pulled {}, pushed {} in {} ms{}", trigger, event.pulled, event.pushed,
                        took.count(), event.names.empty() ? "" : " (" + event.names + ")"));
        backoff.Reset();
      }
    }
    if (!outcome && outcome.error().code() != ErrorCode::kUnavailable &&
        outcome.error().code() != ErrorCode::kTimeout) {
      store.reset();  // a store error: open it again next time
    }
    trigger = WaitForWake(backoff.Next());
    if (trigger == "heads" || trigger == "event") backoff.Reset();
  }
}

bool PeerLoop::Stopped() {
  std::lock_guard lock(mu_);
  return stop_;
}

void PeerLoop::Listen() {
  auto url = net::ParsePeerUrl(peer_.address);
  if (!url) {
    Log("not listening for its events: " + url.error().message());
    return;
  }
  {
    auto store = OpenStore(options_.store_dir, Store::Access::kReadOnly, SystemMillis, nullptr,
                           options_.busy_timeout);
    if (!store) {
      Log("not listening for its events: " + store.error().message());
      return;
    }
    auto hub = FindHubPeer((*store)->db(), peer_.name);
    if (hub && *hub) return ListenToHub(**hub);
  }
  Backoff backoff(options_.floor, options_.ceiling, Seed(peer_.name) + 1);
  std::optional<net::DeviceIdentity> me;
  std::string epoch;
  std::uint64_t after = 0;
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
    }
    if (!me) {
      auto loaded = net::DeviceIdentity::LoadOrCreate(options_.store_dir, peer_.name);
      if (loaded) me.emplace(std::move(*loaded));
    }
    workspace::Target target{peer_.name, peer_.address, true, peer_.device_id};
    net::HttpPeerOptions o = workspace::HttpOptions(
        target, me ? &*me : nullptr,
        std::chrono::steady_clock::now() + options_.poll_wait + std::chrono::seconds(10), false);
    o.retry_unreachable = false;
    std::shared_ptr<net::HttpPeer> peer;
    if (auto opened = net::HttpPeer::Open(*url, o)) peer = std::move(*opened);
    Result<net::EventBatch> batch = Fail(ErrorCode::kUnavailable, "no client");
    if (peer) {
      {
        std::lock_guard lock(mu_);
        if (stop_) return;
        cancel_polling_ = [peer] { peer->Cancel(); };
      }
      batch =
          peer->WaitForEvents(after, epoch.empty() ? std::chrono::seconds(0) : options_.poll_wait);
      std::lock_guard lock(mu_);
      cancel_polling_ = nullptr;
    }
    if (!batch) {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, backoff.Next(), [&] { return stop_; });
      continue;
    }
    backoff.Reset();
    const bool first = epoch.empty();
    const bool restarted = !first && batch->epoch != epoch;
    epoch = batch->epoch;
    const bool news = !batch->events.empty() || batch->missed || restarted;
    after = batch->latest;
    // The first answer only sets where to listen from: the loop's first cycle
    // covers what the peer held then.
    if (!first && news) {
      Wake("event", batch->events.empty() ? std::vector<ChangeHash>{} : batch->events.back().heads);
    }
  }
}

}  // namespace weft::daemon
