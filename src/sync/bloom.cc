#include "sync/bloom.h"

namespace weft::sync {
namespace {

constexpr std::uint64_t kMaxEntries = 100'000'000;

std::uint32_t U32At(const Digest& d, std::size_t at) {
  return static_cast<std::uint32_t>(d[at]) | static_cast<std::uint32_t>(d[at + 1]) << 8 |
         static_cast<std::uint32_t>(d[at + 2]) << 16 | static_cast<std::uint32_t>(d[at + 3]) << 24;
}

std::size_t ByteCount(std::uint64_t entries, std::uint32_t bits_per_entry) {
  return static_cast<std::size_t>((entries * bits_per_entry + 7) / 8);
}

}  // namespace

Bloom::Bloom(const std::vector<ChangeHash>& hashes, BloomParams params)
    : entries_(hashes.size()),
      params_(params),
      bits_(ByteCount(hashes.size(), params.bits_per_entry)) {
  if (entries_ == 0) return;
  for (const auto& h : hashes) {
    for (std::uint32_t p : Probes(h))
      bits_[p >> 3] = static_cast<std::uint8_t>(bits_[p >> 3] | (1u << (p & 7)));
  }
}

std::vector<std::uint32_t> Bloom::Probes(const ChangeHash& h) const {
  const std::uint64_t m = bits_.size() * 8;
  std::vector<std::uint32_t> out;
  if (m == 0) return out;
  std::uint64_t x = U32At(h.digest(), 0) % m;
  std::uint64_t y = U32At(h.digest(), 4) % m;
  std::uint64_t z = U32At(h.digest(), 8) % m;
  out.push_back(static_cast<std::uint32_t>(x));
  for (std::uint32_t i = 1; i < params_.probes; ++i) {
    x = (x + y) % m;
    y = (y + z) % m;
    out.push_back(static_cast<std::uint32_t>(x));
  }
  return out;
}

bool Bloom::Contains(const ChangeHash& h) const {
  if (entries_ == 0) return false;
  for (std::uint32_t p : Probes(h)) {
    if ((bits_[p >> 3] & (1u << (p & 7))) == 0) return false;
  }
  return true;
}

void Bloom::Encode(Writer& w) const {
  Writer inner;
  if (entries_ > 0) {
    inner.PutVarint(entries_);
    inner.PutVarint(params_.bits_per_entry);
    inner.PutVarint(params_.probes);
    inner.PutRaw(bits_);
  }
  w.PutBytes(inner.bytes());
}

Result<Bloom> Bloom::Decode(ByteView bytes) {
  Bloom b;
  if (bytes.empty()) return b;
  Reader r(bytes);
  WEFT_ASSIGN_OR_RETURN(b.entries_, r.GetVarintAtMost(kMaxEntries, "bloom entries"));
  WEFT_ASSIGN_OR_RETURN(std::uint64_t bits, r.GetVarintAtMost(64, "bloom bits per entry"));
  WEFT_ASSIGN_OR_RETURN(std::uint64_t probes, r.GetVarintAtMost(64, "bloom probes"));
  if (b.entries_ == 0 || bits == 0 || probes == 0)
    return Fail(ErrorCode::kProtocol, "malformed bloom filter");
  b.params_ = BloomParams{static_cast<std::uint32_t>(bits), static_cast<std::uint32_t>(probes)};
  const std::size_t n = ByteCount(b.entries_, b.params_.bits_per_entry);
  if (r.remaining() != n)
    return Fail(ErrorCode::kProtocol, "bloom filter has {} bytes, expected {}", r.remaining(), n);
  b.bits_.assign(bytes.end() - static_cast<std::ptrdiff_t>(n), bytes.end());
  return b;
}

}  // namespace weft::sync
