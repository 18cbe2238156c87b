// A Bloom filter over change hashes, as in Automerge's sync protocol.
//
// Sized at `bits_per_entry` bits per change (default 10) with `probes` probes
// (default 7): about 1% false positives. Probe positions come from the change
// hash itself (it is already uniformly random): x, y, z are the first three
// little-endian u32s modulo the bit count, and probes follow by enhanced double
// hashing. Encoding: empty when there are no entries, else
//   varint(entries) varint(bits_per_entry) varint(probes) bits
// with bit p at byte p/8, mask 1 << (p % 8).
#pragma once

#include <cstdint>
#include <vector>

#include "core/codec.h"
#include "model/ids.h"

namespace weft::sync {

struct BloomParams {
  std::uint32_t bits_per_entry = 10;
  std::uint32_t probes = 7;
  bool operator==(const BloomParams&) const = default;
};

class Bloom {
 public:
  Bloom() = default;
  Bloom(const std::vector<ChangeHash>& hashes, BloomParams params);

  bool Contains(const ChangeHash& h) const;
  bool empty() const { return entries_ == 0; }

  void Encode(Writer& w) const;
  static Result<Bloom> Decode(ByteView bytes);
  bool operator==(const Bloom&) const = default;

 private:
  std::vector<std::uint32_t> Probes(const ChangeHash& h) const;

  std::uint64_t entries_ = 0;
  BloomParams params_;
  Bytes bits_;
};

}  // namespace weft::sync
