#include "net/head_events.h"

namespace weft::net {

HeadEvents::HeadEvents(std::size_t capacity)
    : capacity_(capacity), epoch_(ActorId::Random().Hex().substr(0, 16)) {}

void HeadEvents::Observe(std::vector<ChangeHash> heads, std::uint64_t changes) {
  {
    std::lock_guard lock(mu_);
    if (!events_.empty() && events_.back().heads == heads) return;
    HeadEvent e;
    e.id = next_id_++;
    e.heads = std::move(heads);
    e.changes = changes;
    e.unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    events_.push_back(std::move(e));
    while (events_.size() > capacity_) events_.pop_front();
  }
  cv_.notify_all();
}

EventBatch HeadEvents::After(std::uint64_t after, std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, wait, [&] { return closed_ || next_id_ - 1 > after; });
  EventBatch out;
  out.epoch = epoch_;
  out.latest = next_id_ - 1;
  if (after > out.latest) {
    // An id from another run of the server: everything since is news.
    out.missed = true;
    after = 0;
  }
  if (!events_.empty() && events_.front().id > after + 1) out.missed = true;
  for (const HeadEvent& e : events_) {
    if (e.id > after) out.events.push_back(e);
  }
  return out;
}

void HeadEvents::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

}  // namespace weft::net
