// The evaluator's memory budget.
//
// Values, list storage and environment frames made while evaluating are charged
// to the meter of the thread that makes them and released when they are freed,
// so the meter follows live memory, not the total ever allocated. Allocations
// that grow with their input (a range, a concatenation, a cons onto a long list)
// ask the meter first (Reserve) and fail before allocating; small ones are charged
// as they happen and the evaluator checks `over()` at every step. Either way an
// evaluation that needs more than the budget stops with the runtime error
// "memory budget exceeded" (exit 6) instead of taking the machine's memory.
#pragma once

#include <cstddef>

#include "core/error.h"

namespace weft::lang {

class MemoryMeter {
 public:
  explicit MemoryMeter(std::size_t limit) : limit_(limit) {}

  // Fails (a runtime error naming the budget) when `bytes` more would pass it.
  Status Reserve(std::size_t bytes) const;
  void Charge(std::size_t bytes) {
    live_ += bytes;
    if (live_ > peak_) peak_ = live_;
  }
  void Release(std::size_t bytes) { live_ = bytes > live_ ? 0 : live_ - bytes; }
  bool over() const { return live_ > limit_; }
  // The runtime error for an evaluation past its budget.
  Error Exceeded() const;

  std::size_t limit() const { return limit_; }
  std::size_t live() const { return live_; }
  std::size_t peak() const { return peak_; }

 private:
  std::size_t limit_;
  std::size_t live_ = 0;
  std::size_t peak_ = 0;
};

// The meter that allocations on this thread are charged to; null outside an
// evaluation (nothing is charged).
MemoryMeter* CurrentMeter();

// Makes `meter` the current thread's meter for the scope.
class MeterScope {
 public:
  explicit MeterScope(MemoryMeter* meter);
  ~MeterScope();
  MeterScope(const MeterScope&) = delete;
  MeterScope& operator=(const MeterScope&) = delete;

 private:
  MemoryMeter* previous_;
};

// Charges `bytes` to the current meter and returns what was charged (0 without a
// meter), for the object to release when it is freed.
std::size_t ChargeCurrent(std::size_t bytes);
void ReleaseCurrent(std::size_t bytes);

}  // namespace weft::lang
