#include "lang/memory.h"

#include <fmt/core.h>

namespace weft::lang {
namespace {

thread_local MemoryMeter* current = nullptr;

}  // namespace

Status MemoryMeter::Reserve(std::size_t bytes) const {
  if (bytes <= limit_ && live_ <= limit_ - bytes) return {};
  return std::unexpected<weft::Error>(Exceeded());
}

Error MemoryMeter::Exceeded() const {
  return Error(ErrorCode::kEvaluation,
               fmt::format("memory budget exceeded: the evaluation needs more than {} MiB "
                           "(raise it with --max-memory)",
                           limit_ >> 20));
}

MemoryMeter* CurrentMeter() { return current; }

MeterScope::MeterScope(MemoryMeter* meter) : previous_(current) { current = meter; }
MeterScope::~MeterScope() { current = previous_; }

std::size_t ChargeCurrent(std::size_t bytes) {
  if (current == nullptr) return 0;
  current->Charge(bytes);
  return bytes;
}

void ReleaseCurrent(std::size_t bytes) {
  if (current != nullptr && bytes > 0) current->Release(bytes);
}

}  // namespace weft::lang
