#include "core/hash.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace weft {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string DigestToHex(const Digest& d) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(d.size() * 2, '0');
  for (std::size_t i = 0; i < d.size(); ++i) {
    out[2 * i] = kDigits[d[i] >> 4];
    out[2 * i + 1] = kDigits[d[i] & 0xf];
  }
  return out;
}

Result<Digest> DigestFromHex(std::string_view hex) {
  if (hex.size() != kHashSize * 2) {
    return Fail(ErrorCode::kInvalidArgument, "a hash has 64 hex characters, got {}", hex.size());
  }
  Digest d{};
  for (std::size_t i = 0; i < d.size(); ++i) {
    int hi = HexValue(hex[2 * i]);
    int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return Fail(ErrorCode::kInvalidArgument, "'{}' is not a lowercase hex hash", hex);
    }
    d[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return d;
}

bool IsHexPrefix(std::string_view text) {
  if (text.size() < kMinShortHex || text.size() > kHashSize * 2) return false;
  for (char c : text) {
    if (HexValue(c) < 0) return false;
  }
  return true;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  // Allocation failure of a 200-byte context is not a recoverable condition.
  if (ctx_ == nullptr ||
      EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) != 1) {
    std::abort();
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::Update(ByteView data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}

Digest Sha256::Finish() {
  Digest d{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), d.data(), &len);
  return d;
}

Digest Sha256Of(ByteView data) {
  Sha256 h;
  h.Update(data);
  return h.Finish();
}

}  // namespace weft
