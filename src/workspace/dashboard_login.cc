#include "workspace/dashboard_login.h"

#include <openssl/crypto.h>

#include "core/hash.h"

namespace weft::workspace {
namespace {

constexpr const char* kMetaKey = "dashboard_token_sha256";

std::string HashOf(const std::string& token) { return DigestToHex(Sha256Of(AsBytes(token))); }

}  // namespace

Result<std::string> NewDashboardToken(Store& store) {
  const std::string token = ActorId::Random().Hex() + ActorId::Random().Hex();
  WEFT_TRY(store.PutMeta(kMetaKey, HashOf(token)));  // one statement: one transaction
  return token;
}

Result<bool> IsDashboardToken(Store& store, const std::string& token) {
  WEFT_ASSIGN_OR_RETURN(auto kept, store.GetMeta(kMetaKey));
  if (!kept || token.empty()) return false;
  const std::string offered = HashOf(token);
  return kept->size() == offered.size() &&
         CRYPTO_memcmp(kept->data(), offered.data(), offered.size()) == 0;
}

}  // namespace weft::workspace
