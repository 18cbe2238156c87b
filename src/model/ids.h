// Identifiers of the model: change hashes, item hashes and actor ids.
//
// They are distinct types over the same digest so a change hash can never be
// passed where an item hash is expected.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/hash.h"

namespace weft {

using ChangeHash = TypedHash<struct ChangeHashTag>;
using ItemHash = TypedHash<struct ItemHashTag>;
// Names one recorded race (docs/formats.md, "Conflict ids"); computed by the fold.
using ConflictId = TypedHash<struct ConflictIdTag>;
using ChangeHashHasher = TypedHashHasher<struct ChangeHashTag>;
using ItemHashHasher = TypedHashHasher<struct ItemHashTag>;

// 16 random bytes naming one author: one store at one path on one host.
class ActorId {
 public:
  static constexpr std::size_t kSize = 16;
  using Raw = std::array<std::uint8_t, kSize>;

  ActorId() : raw_{} {}
  explicit ActorId(const Raw& raw) : raw_(raw) {}
  // A fresh id from OpenSSL's CSPRNG.
  static ActorId Random();
  static Result<ActorId> FromHex(std::string_view hex);
  // Exactly kSize bytes, as stored and sent; anything else is corruption.
  static Result<ActorId> FromBytes(ByteView bytes);
  ByteView bytes() const { return {raw_.data(), kSize}; }

  const Raw& raw() const { return raw_; }
  std::string Hex() const;

  auto operator<=>(const ActorId&) const = default;

 private:
  Raw raw_;
};

struct ActorIdHasher {
  std::size_t operator()(const ActorId& a) const {
    std::size_t h = 0;
    for (int i = 0; i < 8; ++i) h = (h << 8) | a.raw()[i];
    return h;
  }
};

}  // namespace weft
