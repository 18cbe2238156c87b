// The canonical byte codec every persisted or hashed format is written in.
//
// Grammar of the primitives:
//   varint    := LEB128, unsigned, at most 10 bytes, minimal (no trailing 0x80 groups)
//   bytes     := varint(len) byte{len}
//   string    := bytes                       (UTF-8 is not checked here)
//   hash      := byte{32}
//   hashlist  := varint(count) hash{count}   (strictly ascending: sorted, no duplicates)
//   u8        := byte
// Writer produces exactly one encoding of each value; Reader accepts only that
// encoding, so decode(encode(x)) == x and encode(decode(b)) == b for every valid b.
// Reader never reads past its view: a short or malformed input is a kCorruption Error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"
#include "core/hash.h"

namespace weft {

class Writer {
 public:
  void PutU8(std::uint8_t v) { out_.push_back(v); }
  void PutVarint(std::uint64_t v);
  void PutBytes(ByteView b);
  void PutString(std::string_view s) { PutBytes(AsBytes(s)); }
  void PutRaw(ByteView b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void PutDigest(const Digest& d) { PutRaw({d.data(), d.size()}); }
  // Requires: `sorted` is strictly ascending (SortUnique makes it so).
  void PutDigestList(const std::vector<Digest>& sorted);

  const Bytes& bytes() const { return out_; }
  Bytes Take() { return std::move(out_); }

 private:
  Bytes out_;
};

class Reader {
 public:
  explicit Reader(ByteView in) : in_(in) {}

  Result<std::uint8_t> GetU8();
  Result<std::uint64_t> GetVarint();
  // A varint that must not exceed `max` (a count or a length cap).
  Result<std::uint64_t> GetVarintAtMost(std::uint64_t max, std::string_view what);
  Result<ByteView> GetBytes();
  Result<std::string> GetString();
  Result<Digest> GetDigest();
  Result<std::vector<Digest>> GetDigestList();
  // The next `n` bytes, unframed.
  Result<ByteView> GetRaw(std::size_t n);

  std::size_t remaining() const { return in_.size() - pos_; }
  bool AtEnd() const { return pos_ == in_.size(); }
  // Fails unless every byte was consumed; `what` names the thing being decoded.
  Status ExpectEnd(std::string_view what) const;

 private:
  ByteView in_;
  std::size_t pos_ = 0;
};

void SortUnique(std::vector<Digest>& v);

}  // namespace weft
