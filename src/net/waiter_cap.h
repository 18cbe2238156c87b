// A cap on requests that wait (a long poll on /v1/events, an eval waiting for
// its heads): each holds a server worker thread while it waits, so at most
// `limit` may, and waiters never starve syncs.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <utility>

namespace weft::net {

class WaiterCap {
 public:
  explicit WaiterCap(std::size_t limit) : limit_(limit) {}

  // Held while a request waits; gives its place back when destroyed.
  class Slot {
   public:
    explicit Slot(std::atomic<std::size_t>* count) : count_(count) {}
    Slot(Slot&& o) noexcept : count_(std::exchange(o.count_, nullptr)) {}
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (count_ != nullptr) --*count_;
    }

   private:
    std::atomic<std::size_t>* count_;
  };

  // A place, or none when `limit` requests wait already.
  std::optional<Slot> TryTake() {
    if (waiting_.fetch_add(1) >= limit_) {
      --waiting_;
      return std::nullopt;
    }
    return std::optional<Slot>(std::in_place, &waiting_);
  }

 private:
  std::size_t limit_;
  std::atomic<std::size_t> waiting_{0};
};

}  // namespace weft::net
