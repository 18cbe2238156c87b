// PeerLoop::ListenToHub: a hub's events are its log's position. The listener
// long-polls it (GET changes with peek=1: no changes, only the position) and
// wakes a sync when the log passes the position it last saw, or its history
// changed. The sync itself reads the pages.
#include "daemon/backoff.h"
#include "daemon/peer_loop.h"
#include "net/hub_client.h"

namespace weft::daemon {

void PeerLoop::ListenToHub(const HubPeer& hub) {
  auto url = net::ParsePeerUrl(peer_.address);
  if (!url) return;
  Backoff backoff(options_.floor, options_.ceiling, std::hash<std::string>{}(peer_.name) + 2);
  std::string epoch;
  std::int64_t after = -1;  // -1: not known yet
  while (!Stopped()) {
    const int wait_s = after < 0 ? 0 : static_cast<int>(options_.poll_wait.count());
    Result<net::HubPage> page = Fail(ErrorCode::kUnavailable, "no client");
    auto token = net::ReadTokenFile(hub.token_file);
    if (token) {
      auto opened = net::HubClient::Open(
          *url, {peer_.name, hub.tenant, *token,
                 std::chrono::steady_clock::now() + std::chrono::seconds(1), false});
      if (opened) {
        std::shared_ptr<net::HubClient> client = std::move(*opened);
        {
          std::lock_guard lock(mu_);
          if (stop_) return;
          cancel_polling_ = [client] { client->Cancel(); };
        }
        page = client->Peek(std::max<std::int64_t>(after, 0), epoch, wait_s);
        std::lock_guard lock(mu_);
        cancel_polling_ = nullptr;
      }
    }
    if (!page) {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, backoff.Next(), [&] { return stop_; });
      continue;
    }
    backoff.Reset();
    const bool first = after < 0;
    const bool news = page->history_changed || page->latest > after;
    epoch = page->epoch;
    after = page->latest;
    // The first answer only sets where to listen from: the loop's first cycle
    // covers what the hub held then.
    if (!first && news) Wake("event", {});
  }
}

}  // namespace weft::daemon
