#include "model/ids.h"

#include <openssl/rand.h>

#include <cstdlib>

namespace weft {

ActorId ActorId::Random() {
  Raw raw{};
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) std::abort();
  return ActorId(raw);
}

std::string ActorId::Hex() const {
  Digest padded{};
  std::copy(raw_.begin(), raw_.end(), padded.begin());
  return DigestToHex(padded).substr(0, kSize * 2);
}

Result<ActorId> ActorId::FromHex(std::string_view hex) {
  if (hex.size() != kSize * 2) {
    return Fail(ErrorCode::kCorruption, "an actor id has 32 hex characters, got {}", hex.size());
  }
  std::string padded(hex);
  padded.append(kSize * 2, '0');
  WEFT_ASSIGN_OR_RETURN(Digest d, DigestFromHex(padded));
  Raw raw{};
  std::copy_n(d.begin(), kSize, raw.begin());
  return ActorId(raw);
}

Result<ActorId> ActorId::FromBytes(ByteView bytes) {
  if (bytes.size() != kSize) return Fail(ErrorCode::kCorruption, "an actor id is damaged");
  Raw raw{};
  std::copy(bytes.begin(), bytes.end(), raw.begin());
  return ActorId(raw);
}

}  // namespace weft
