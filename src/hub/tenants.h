// Tenants and their tokens (docs/design/hub.md, "Auth").
//
// A token reads "weft_hub_<id>_<64 hex>": the id finds its row, and only the
// SHA-256 of the secret part is kept, compared in constant time. A token belongs
// to one tenant and has one scope: read (pull, clock), write (and push), admin
// (and the tenant's figures). A revoked token is refused on its next request: the
// row is read on every request, never cached.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/hash.h"
#include "hub/pg.h"

namespace weft::hub {

enum class Scope : std::uint8_t { kRead = 1, kWrite = 2, kAdmin = 3 };
const char* ScopeName(Scope s);
Result<Scope> ParseScope(std::string_view s);

inline constexpr std::int64_t kDefaultQuotaBytes = std::int64_t{1} << 30;

struct Tenant {
  std::int64_t id = 0;
  std::string name;
  std::string epoch;
  std::int64_t latest = 0;  // the last arrival number handed out
  std::int64_t bytes_used = 0;
  std::int64_t quota_bytes = 0;
};
// kConflict when the name is taken. Names: 1–64 of [a-z0-9_-].
Result<Tenant> CreateTenant(PgConn& c, const std::string& name, std::int64_t quota_bytes);
Result<std::optional<Tenant>> FindTenant(PgConn& c, const std::string& name);
Result<std::vector<Tenant>> ListTenants(PgConn& c);
// Gives the tenant a new epoch: devices re-push what it lacks (after a restore).
Result<Tenant> NewEpoch(PgConn& c, const std::string& name);

struct TokenInfo {
  std::int64_t id = 0;
  std::string tenant;
  std::int64_t tenant_id = 0;
  std::string device;
  Scope scope = Scope::kRead;
  std::string created;  // ISO 8601, UTC
  bool revoked = false;
};
struct NewToken {
  TokenInfo info;
  std::string secret;  // shown once; the hub keeps only its hash
};
Result<NewToken> CreateToken(PgConn& c, const std::string& tenant, const std::string& device,
                             Scope scope);
Result<std::vector<TokenInfo>> ListTokens(PgConn& c, const std::string& tenant);
// kNotFound when there is no such token.
Status RevokeToken(PgConn& c, std::int64_t id);
// A token as a request sends it, read without the database: its row's id and
// the SHA-256 of its secret part.
struct TokenClaim {
  std::int64_t id = 0;
  Digest secret_hash{};
};
std::optional<TokenClaim> ParseToken(std::string_view token);

// Who asks, and what for: a request's token, the tenant it names, the scope it
// needs. The hub's reads and writes check it in the same round trip as their
// first statement (hub_log.h), so a request costs no round trip of its own.
struct Caller {
  TokenClaim claim;
  std::string tenant;
  Scope need = Scope::kRead;
};
enum class Denial : std::uint8_t {
  kUnknown,      // no such token, a wrong secret, or revoked (401 alike)
  kWrongTenant,  // a live token of another tenant (403)
  kScope,        // a live token of the tenant without the scope (403)
};
// A statement reading the claimed token and its tenant ($1 = the token's id),
// for a pipeline; `Admit` checks its result.
PgStatement TokenStatement(const Caller& who);
std::variant<TokenInfo, Denial> Admit(const PgResult& token_row, const Caller& who);
// The token statement and Admit in one round trip of its own: for a request
// whose body should not be read before its caller is known (a push).
Result<std::variant<TokenInfo, Denial>> CheckCaller(PgConn& c, const Caller& who);
// SQL naming the caller's tenant id only when the token is live, of that
// tenant and of the scope (else NULL), with the claim's id, secret hash and
// tenant name as parameters $first, $first+1 and $first+2: a statement that
// locks or reads a tenant through it does nothing for a caller `Admit` refuses.
std::string GatedTenantSql(int first, Scope need);
void AddGateParams(std::vector<PgParam>& params, const Caller& who);

}  // namespace weft::hub
