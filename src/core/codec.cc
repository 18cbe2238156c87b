#include "core/codec.h"

#include <algorithm>

namespace weft {

void Writer::PutVarint(std::uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<std::uint8_t>(v));
}

void Writer::PutBytes(ByteView b) {
  PutVarint(b.size());
  PutRaw(b);
}

void Writer::PutDigestList(const std::vector<Digest>& sorted) {
  PutVarint(sorted.size());
  for (const Digest& d : sorted) PutDigest(d);
}

Result<std::uint8_t> Reader::GetU8() {
  if (remaining() < 1) return Fail(ErrorCode::kCorruption, "truncated input: expected a byte");
  return in_[pos_++];
}

Result<std::uint64_t> Reader::GetVarint() {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= in_.size()) return Fail(ErrorCode::kCorruption, "truncated input inside a varint");
    std::uint8_t byte = in_[pos_++];
    std::uint64_t part = byte & 0x7f;
    if (shift == 63 && part > 1) return Fail(ErrorCode::kCorruption, "varint overflows 64 bits");
    value |= part << shift;
    if ((byte & 0x80) == 0) {
      if (byte == 0 && shift != 0) {
        return Fail(ErrorCode::kCorruption, "varint is not minimally encoded");
      }
      return value;
    }
  }
  return Fail(ErrorCode::kCorruption, "varint is longer than 10 bytes");
}

Result<std::uint64_t> Reader::GetVarintAtMost(std::uint64_t max, std::string_view what) {
  WEFT_ASSIGN_OR_RETURN(std::uint64_t v, GetVarint());
  if (v > max) return Fail(ErrorCode::kCorruption, "{} {} exceeds the limit of {}", what, v, max);
  return v;
}

Result<ByteView> Reader::GetBytes() {
  WEFT_ASSIGN_OR_RETURN(std::uint64_t len, GetVarint());
  if (len > remaining()) {
    return Fail(ErrorCode::kCorruption, "length {} runs past the end of the input", len);
  }
  ByteView out = in_.subspan(pos_, len);
  pos_ += len;
  return out;
}

Result<std::string> Reader::GetString() {
  WEFT_ASSIGN_OR_RETURN(ByteView b, GetBytes());
  return std::string(AsChars(b));
}

Result<Digest> Reader::GetDigest() {
  if (remaining() < kHashSize) return Fail(ErrorCode::kCorruption, "truncated input inside a hash");
  Digest d{};
  std::copy_n(in_.begin() + static_cast<std::ptrdiff_t>(pos_), kHashSize, d.begin());
  pos_ += kHashSize;
  return d;
}

Result<ByteView> Reader::GetRaw(std::size_t n) {
  if (remaining() < n) return Fail(ErrorCode::kCorruption, "truncated input: {} bytes expected", n);
  ByteView out = in_.subspan(pos_, n);
  pos_ += n;
  return out;
}

Result<std::vector<Digest>> Reader::GetDigestList() {
  WEFT_ASSIGN_OR_RETURN(std::uint64_t n, GetVarint());
  if (n > remaining() / kHashSize) {
    return Fail(ErrorCode::kCorruption, "hash count {} runs past the end of the input", n);
  }
  std::vector<Digest> out;
  out.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    WEFT_ASSIGN_OR_RETURN(Digest d, GetDigest());
    if (!out.empty() && !(out.back() < d)) {
      return Fail(ErrorCode::kCorruption, "hash list is not strictly ascending");
    }
    out.push_back(d);
  }
  return out;
}

Status Reader::ExpectEnd(std::string_view what) const {
  if (!AtEnd()) {
    return Fail(ErrorCode::kCorruption, "{} has {} trailing bytes", what, remaining());
  }
  return {};
}

void SortUnique(std::vector<Digest>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace weft
