#include "net/head_events.h"

namespace weft::net {

nlohmann::json EventBatchToJson(const EventBatch& batch) {
  nlohmann::json list = nlohmann::json::array();
  for (const HeadEvent& e : batch.events) {
    nlohmann::json heads = nlohmann::json::array();
    for (const auto& h : e.heads) heads.push_back(h.Hex());
    list.push_back({{"id", e.id}, {"heads", heads}, {"changes", e.changes}, {"at_ms", e.unix_ms}});
  }
  return {
      {"epoch", batch.epoch}, {"latest", batch.latest}, {"missed", batch.missed}, {"events", list}};
}

Result<EventBatch> EventBatchFromJson(const nlohmann::json& doc) {
  auto bad = [] { return Fail(ErrorCode::kProtocol, "the events document is malformed"); };
  if (!doc.is_object() || !doc.contains("epoch") || !doc["epoch"].is_string() ||
      !doc.contains("latest") || !doc["latest"].is_number_unsigned() || !doc.contains("missed") ||
      !doc["missed"].is_boolean() || !doc.contains("events") || !doc["events"].is_array()) {
    return bad();
  }
  EventBatch batch;
  batch.epoch = doc["epoch"].get<std::string>();
  batch.latest = doc["latest"].get<std::uint64_t>();
  batch.missed = doc["missed"].get<bool>();
  for (const auto& e : doc["events"]) {
    if (!e.is_object() || !e.contains("id") || !e["id"].is_number_unsigned() ||
        !e.contains("heads") || !e["heads"].is_array()) {
      return bad();
    }
    HeadEvent ev;
    ev.id = e["id"].get<std::uint64_t>();
    if (e.contains("changes") && e["changes"].is_number_unsigned()) {
      ev.changes = e["changes"].get<std::uint64_t>();
    }
    if (e.contains("at_ms") && e["at_ms"].is_number_integer()) {
      ev.unix_ms = e["at_ms"].get<std::int64_t>();
    }
    for (const auto& h : e["heads"]) {
      if (!h.is_string()) return bad();
      auto hash = ChangeHash::FromHex(h.get<std::string>());
      if (!hash) return bad();
      ev.heads.push_back(*hash);
    }
    batch.events.push_back(std::move(ev));
  }
  return batch;
}

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
