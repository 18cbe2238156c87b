// How far long work has got: a sync, an add, a rebuild, fsck, a migration.
//
// Work reports to the meter its thread watches (progress::Watch): a phase begins
// and ends with a progress::Scope, and Advance counts inside it. With no meter
// watched, reporting costs a thread-local read. A front end reads the meter from
// another thread (cli/progress_line.h draws it on a terminal) and hears of each
// phase's beginning and end synchronously, so every phase is drawn at least once
// however short, and the line is cleared before the work's caller prints.
// Nothing here prints.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace weft::progress {

struct Reading {
  std::string phase;  // "re-folding the log"; empty before the first phase
  std::string unit;   // what `done` counts: "changes", "definitions", "checks"
  std::uint64_t done = 0;
  std::uint64_t total = 0;  // 0 when not known
  std::uint64_t bytes = 0;
  std::uint64_t serial = 0;  // counts the phases begun
  bool active = false;       // begun and not yet ended
  std::chrono::steady_clock::time_point started;
};

// Thread-safe: one thread reports, any thread reads.
class Meter {
 public:
  // Starts a phase (ending the one before, if it is still active).
  void Begin(std::string_view name, std::uint64_t total, std::string_view unit);
  void End();
  void Advance(std::uint64_t n, std::uint64_t bytes);
  void SetTotal(std::uint64_t total);
  Reading Read() const;
  // Called on the reporting thread as each phase begins.
  void OnBegin(std::function<void(const Reading&)> listener);
  // Called on the reporting thread as each phase ends, with what it reached.
  void OnEnd(std::function<void(const Reading&)> listener);
  // Waits until a phase other than `seen_serial` begins, Interrupt() is called, or
  // `timeout` passes.
  void WaitForPhase(std::uint64_t seen_serial, std::chrono::milliseconds timeout);
  // Ends every wait at once, now and later (a watcher stopping).
  void Interrupt();

 private:
  Reading ReadLocked() const;

  mutable std::mutex mu_;
  std::condition_variable phase_begun_;
  Reading current_;
  bool interrupted_ = false;
  std::function<void(const Reading&)> on_begin_;
  std::function<void(const Reading&)> on_end_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::uint64_t> total_{0};
  std::atomic<std::uint64_t> bytes_{0};
};

// While alive, work on this thread reports to `meter` (the previous one again
// after).
class Watch {
 public:
  explicit Watch(Meter* meter);
  ~Watch();
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;

 private:
  Meter* saved_;
};

// One phase of work on this thread, from construction to destruction.
class Scope {
 public:
  explicit Scope(std::string_view name, std::uint64_t total = 0, std::string_view unit = "changes");
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  Meter* meter_;
};

// Counts `n` more units (and `bytes`) on the meter this thread watches, if any.
void Advance(std::uint64_t n = 1, std::uint64_t bytes = 0);
void SetTotal(std::uint64_t total);

}  // namespace weft::progress
