// HeadEvents: "the heads changed" notifications for long-polling clients.
//
// Ids are contiguous from 1 within one server run (`epoch` names the run), so a
// client that asks for events after N and gets N+k first, or another epoch,
// knows it missed some. Only the latest `capacity` events are kept; a client that
// fell further behind is told so (`missed`) and re-reads the heads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/ids.h"

namespace weft::net {

struct HeadEvent {
  std::uint64_t id = 0;
  std::vector<ChangeHash> heads;
  std::uint64_t changes = 0;
  std::int64_t unix_ms = 0;
};

struct EventBatch {
  std::string epoch;
  std::vector<HeadEvent> events;
  bool missed = false;  // events after `after` were dropped (or another epoch)
  std::uint64_t latest = 0;
};

// The /v1/events answer (docs/design/network.md): `epoch`, `latest`, `missed`,
// `events` (`id`, `heads`, `changes`, `at_ms`). Reading it: kProtocol when a field
// is missing or malformed.
nlohmann::json EventBatchToJson(const EventBatch& batch);
Result<EventBatch> EventBatchFromJson(const nlohmann::json& doc);

class HeadEvents {
 public:
  explicit HeadEvents(std::size_t capacity = 1024);

  // Records new heads when they differ from the latest recorded ones.
  void Observe(std::vector<ChangeHash> heads, std::uint64_t changes);
  // The events after `after`, waiting up to `wait` for one when there are none.
  // Returns early (empty) when Close is called.
  EventBatch After(std::uint64_t after, std::chrono::milliseconds wait);
  void Close();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<HeadEvent> events_;
  std::size_t capacity_;
  std::uint64_t next_id_ = 1;
  bool closed_ = false;
  std::string epoch_;
};

}  // namespace weft::net
