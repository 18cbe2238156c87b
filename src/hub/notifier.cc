#include "hub/notifier.h"

#include <poll.h>

#include <charconv>
#include <optional>

#include "hub/pg.h"

namespace weft::hub {

void Notifier::Raise(std::int64_t tenant, std::int64_t latest) {
  {
    std::lock_guard lock(mu_);
    auto& known = latest_[tenant];
    if (latest <= known) return;
    known = latest;
  }
  raised_.notify_all();
}

void Notifier::Set(std::int64_t tenant, std::int64_t latest) {
  {
    std::lock_guard lock(mu_);
    latest_[tenant] = latest;
  }
  raised_.notify_all();
}

std::int64_t Notifier::Wait(std::int64_t tenant, std::int64_t after,
                            std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  ++watched_[tenant];
  ++waiting_;
  raised_.wait_until(lock, deadline, [&] { return closed_ || latest_[tenant] > after; });
  --waiting_;
  if (--watched_[tenant] == 0) watched_.erase(tenant);
  return latest_[tenant];
}

std::vector<std::int64_t> Notifier::Watched() const {
  std::lock_guard lock(mu_);
  std::vector<std::int64_t> out;
  for (const auto& [tenant, n] : watched_) out.push_back(tenant);
  return out;
}

void Notifier::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  raised_.notify_all();
}

Listener::Listener(Notifier& notifier, Hooks hooks)
    : notifier_(notifier), hooks_(std::move(hooks)), thread_([this] { Run(); }) {}

Listener::~Listener() {
  stop_ = true;
  thread_.join();
}

void Listener::Run() {
  using Clock = std::chrono::steady_clock;
  std::optional<PgConn> conn;
  Clock::time_point next_poll = Clock::now(), next_connect = Clock::now();
  while (!stop_) {
    if (!conn && Clock::now() >= next_connect) {
      auto c = PgConn::Connect(hooks_.db_url);
      if (c && c->Run("LISTEN weft_hub")) {
        conn.emplace(std::move(*c));
        connected_ = true;
        if (hooks_.on_reconnect) hooks_.on_reconnect();
        next_poll = Clock::now();  // whatever was missed meanwhile
      } else {
        next_connect = Clock::now() + std::chrono::seconds(1);
      }
    }
    // Sleep until the socket speaks, the next poll, or 200 ms (to see stop_).
    const auto until = std::min(next_poll, Clock::now() + std::chrono::milliseconds(200));
    const int ms = static_cast<int>(std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count()));
    if (conn) {
      pollfd p{conn->socket(), POLLIN, 0};
      (void)::poll(&p, 1, ms);
      auto notes = conn->TakeNotifies();
      if (!notes || !conn->ok()) {
        if (hooks_.log) hooks_.log("the LISTEN connection to PostgreSQL broke; reconnecting");
        conn.reset();
        connected_ = false;
        next_connect = Clock::now();
      } else {
        for (const auto& n : *notes) {
          const auto colon = n.find(':');
          std::int64_t tenant = 0, latest = 0;
          if (colon == std::string::npos) continue;
          std::from_chars(n.data(), n.data() + colon, tenant);
          std::from_chars(n.data() + colon + 1, n.data() + n.size(), latest);
          notifier_.Raise(tenant, latest);
          if (hooks_.on_notify) hooks_.on_notify();
        }
      }
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
    if (Clock::now() >= next_poll) {
      next_poll = Clock::now() + std::chrono::seconds(1);
      const auto watched = notifier_.Watched();
      std::vector<std::pair<std::int64_t, std::int64_t>> latest;
      if (!watched.empty() && hooks_.poll && hooks_.poll(watched, latest)) {
        for (const auto& [tenant, n] : latest) notifier_.Set(tenant, n);
      }
    }
  }
}

}  // namespace weft::hub
