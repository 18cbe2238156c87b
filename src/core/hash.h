// Hash: a 32-byte SHA-256 digest, the identity of every change and item.
//
// TypedHash<Tag> keeps change hashes and item hashes from being mixed up while
// sharing one representation. Text form is lowercase hex (64 characters); a short
// form is any prefix of at least kMinShortHex characters, resolved against a store.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/error.h"

namespace weft {

using Digest = std::array<std::uint8_t, 32>;

inline constexpr std::size_t kHashSize = 32;
inline constexpr std::size_t kMinShortHex = 8;

std::string DigestToHex(const Digest& d);
Result<Digest> DigestFromHex(std::string_view hex);

// Streaming SHA-256 over OpenSSL EVP. One Sha256 hashes one message.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(ByteView data);
  void Update(std::string_view data) { Update(AsBytes(data)); }
  Digest Finish();

 private:
  void* ctx_;  // EVP_MD_CTX*, kept opaque so OpenSSL headers stay out of ours
};

Digest Sha256Of(ByteView data);

template <typename Tag>
class TypedHash {
 public:
  TypedHash() : d_{} {}
  explicit TypedHash(const Digest& d) : d_(d) {}

  static Result<TypedHash> FromHex(std::string_view hex) {
    auto d = DigestFromHex(hex);
    if (!d) return std::unexpected(d.error());
    return TypedHash(*d);
  }
  // Requires: b.size() == kHashSize.
  static TypedHash FromBytes(ByteView b) {
    Digest d{};
    std::copy(b.begin(), b.begin() + kHashSize, d.begin());
    return TypedHash(d);
  }

  const Digest& digest() const { return d_; }
  ByteView bytes() const { return {d_.data(), d_.size()}; }
  std::string Hex() const { return DigestToHex(d_); }
  std::string Short() const { return Hex().substr(0, kMinShortHex); }
  bool IsZero() const { return d_ == Digest{}; }

  auto operator<=>(const TypedHash&) const = default;
  bool operator==(const TypedHash&) const = default;

 private:
  Digest d_;
};

struct DigestHasher {
  std::size_t operator()(const Digest& d) const {
    std::size_t h = 0;
    for (int i = 0; i < 8; ++i) h = (h << 8) | d[i];
    return h;
  }
};

template <typename Tag>
struct TypedHashHasher {
  std::size_t operator()(const TypedHash<Tag>& h) const { return DigestHasher{}(h.digest()); }
};

// True when `text` is a plausible hash prefix: at least kMinShortHex lowercase hex
// characters and at most 64.
bool IsHexPrefix(std::string_view text);
// A hash as a person gives it: weft prints short hashes as `#3a3490b8`, so one
// leading `#` is dropped wherever a hash or hash prefix is read.
inline std::string_view WithoutHashMark(std::string_view text) {
  return text.starts_with('#') ? text.substr(1) : text;
}

}  // namespace weft
