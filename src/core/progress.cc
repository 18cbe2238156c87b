#include "core/progress.h"

namespace weft::progress {

namespace {
thread_local Meter* watched = nullptr;
}  // namespace

Reading Meter::ReadLocked() const {
  Reading r = current_;
  r.done = done_.load();
  r.total = total_.load();
  r.bytes = bytes_.load();
  return r;
}

void Meter::Begin(std::string_view name, std::uint64_t total, std::string_view unit) {
  End();
  Reading begun;
  std::function<void(const Reading&)> listener;
  {
    std::lock_guard lock(mu_);
    current_.phase = name;
    current_.unit = unit;
    current_.serial++;
    current_.active = true;
    current_.started = std::chrono::steady_clock::now();
    done_ = 0;
    total_ = total;
    bytes_ = 0;
    begun = ReadLocked();
    listener = on_begin_;
  }
  if (listener) listener(begun);
  phase_begun_.notify_all();
}

void Meter::End() {
  Reading ended;
  std::function<void(const Reading&)> listener;
  {
    std::lock_guard lock(mu_);
    if (!current_.active) return;
    current_.active = false;
    ended = ReadLocked();
    listener = on_end_;
  }
  if (listener) listener(ended);
}

void Meter::Advance(std::uint64_t n, std::uint64_t bytes) {
  done_.fetch_add(n, std::memory_order_relaxed);
  bytes_.fetch_add(bytes, std::memory_order_relaxed);
}

void Meter::SetTotal(std::uint64_t total) { total_.store(total, std::memory_order_relaxed); }

Reading Meter::Read() const {
  std::lock_guard lock(mu_);
  return ReadLocked();
}

void Meter::OnBegin(std::function<void(const Reading&)> listener) {
  std::lock_guard lock(mu_);
  on_begin_ = std::move(listener);
}

void Meter::OnEnd(std::function<void(const Reading&)> listener) {
  std::lock_guard lock(mu_);
  on_end_ = std::move(listener);
}

void Meter::WaitForPhase(std::uint64_t seen_serial, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  phase_begun_.wait_for(lock, timeout,
                        [&] { return interrupted_ || current_.serial != seen_serial; });
}

void Meter::Interrupt() {
  {
    std::lock_guard lock(mu_);
    interrupted_ = true;
  }
  phase_begun_.notify_all();
}

Watch::Watch(Meter* meter) : saved_(watched) { watched = meter; }
Watch::~Watch() { watched = saved_; }

Scope::Scope(std::string_view name, std::uint64_t total, std::string_view unit) : meter_(watched) {
  if (meter_ != nullptr) meter_->Begin(name, total, unit);
}
Scope::~Scope() {
  if (meter_ != nullptr) meter_->End();
}

void Advance(std::uint64_t n, std::uint64_t bytes) {
  if (watched != nullptr) watched->Advance(n, bytes);
}
void SetTotal(std::uint64_t total) {
  if (watched != nullptr) watched->SetTotal(total);
}

}  // namespace weft::progress
