#include "hub/tenants.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/hash.h"
#include "net/hub_wire.h"

namespace weft::hub {
namespace {

std::string RandomHex(std::size_t bytes) {
  std::vector<std::uint8_t> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) std::abort();
  std::string out;
  for (auto b : raw) out += fmt::format("{:02x}", b);
  return out;
}

constexpr char kTenantColumns[] = "id, name, epoch, next_seq - 1, bytes_used, quota_bytes";

Tenant TenantAt(const PgResult& r, int i) {
  return Tenant{r.Int8(i, 0), r.Text(i, 1), r.Text(i, 2), r.Int8(i, 3), r.Int8(i, 4), r.Int8(i, 5)};
}

constexpr char kTokenColumns[] =
    "t.id, n.name, n.id, t.device, t.scope, "
    "to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "t.revoked_at IS NOT NULL";
constexpr char kTokenFrom[] = "FROM tokens t JOIN tenants n ON n.id = t.tenant_id";

TokenInfo TokenAt(const PgResult& r, int i) {
  TokenInfo t{r.Int8(i, 0), r.Text(i, 1), r.Int8(i, 2), r.Text(i, 3),
              Scope::kRead, r.Text(i, 5), r.Bool(i, 6)};
  t.scope = ParseScope(r.Text(i, 4)).value_or(Scope::kRead);
  return t;
}

}  // namespace

const char* ScopeName(Scope s) {
  switch (s) {
    case Scope::kRead:
      return "read";
    case Scope::kWrite:
      return "write";
    case Scope::kAdmin:
      return "admin";
  }
  return "read";
}

Result<Scope> ParseScope(std::string_view s) {
  if (s == "read") return Scope::kRead;
  if (s == "write") return Scope::kWrite;
  if (s == "admin") return Scope::kAdmin;
  return Fail(ErrorCode::kInvalidArgument, "a scope is read, write or admin, not '{}'", s);
}

Result<Tenant> CreateTenant(PgConn& c, const std::string& name, std::int64_t quota_bytes) {
  if (!net::ValidTenantName(name)) {
    return Fail(ErrorCode::kInvalidArgument,
                "a tenant's name is 1 to 64 of a-z, 0-9, _ and -, not '{}'", name);
  }
  if (quota_bytes <= 0) return Fail(ErrorCode::kInvalidArgument, "a quota is a positive size");
  auto r = c.Exec(fmt::format("INSERT INTO tenants(name, epoch, quota_bytes) VALUES ($1, $2, $3) "
                              "RETURNING {}",
                              kTenantColumns),
                  {PgText(name), PgText(RandomHex(8)), PgInt8(quota_bytes)});
  if (!r && c.last_state() == "23505") {
    return Fail(ErrorCode::kConflict, "there is a tenant named {} already", name);
  }
  if (!r) return Fail(r.error());
  return TenantAt(*r, 0);
}

Result<std::optional<Tenant>> FindTenant(PgConn& c, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(
      PgResult r, c.Exec(fmt::format("SELECT {} FROM tenants WHERE name = $1", kTenantColumns),
                         {PgText(name)}));
  if (r.rows() == 0) return std::optional<Tenant>();
  return std::optional<Tenant>(TenantAt(r, 0));
}

Result<std::vector<Tenant>> ListTenants(PgConn& c) {
  WEFT_ASSIGN_OR_RETURN(
      PgResult r, c.Exec(fmt::format("SELECT {} FROM tenants ORDER BY name", kTenantColumns)));
  std::vector<Tenant> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(TenantAt(r, i));
  return out;
}

Result<Tenant> NewEpoch(PgConn& c, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(
      PgResult r, c.Exec(fmt::format("UPDATE tenants SET epoch = $2 WHERE name = $1 RETURNING {}",
                                     kTenantColumns),
                         {PgText(name), PgText(RandomHex(8))}));
  if (r.rows() == 0) return Fail(ErrorCode::kNotFound, "no tenant named {}", name);
  return TenantAt(r, 0);
}

Result<NewToken> CreateToken(PgConn& c, const std::string& tenant, const std::string& device,
                             Scope scope) {
  if (device.empty() || device.size() > 64) {
    return Fail(ErrorCode::kInvalidArgument, "a device name is 1 to 64 characters");
  }
  const std::string secret = RandomHex(32);
  const Digest hash = Sha256Of(AsBytes(secret));
  WEFT_ASSIGN_OR_RETURN(PgResult r,
                        c.Exec("INSERT INTO tokens(tenant_id, device, scope, secret_hash) "
                               "SELECT id, $2, $3, $4 FROM tenants WHERE name = $1 RETURNING id",
                               {PgText(tenant), PgText(device), PgText(ScopeName(scope)),
                                PgBytea({hash.data(), hash.size()})}));
  if (r.rows() == 0) return Fail(ErrorCode::kNotFound, "no tenant named {}", tenant);
  const std::int64_t id = r.Int8(0, 0);
  WEFT_ASSIGN_OR_RETURN(
      PgResult t,
      c.Exec(fmt::format("SELECT {} {} WHERE t.id = $1", kTokenColumns, kTokenFrom), {PgInt8(id)}));
  return NewToken{TokenAt(t, 0), fmt::format("weft_hub_{}_{}", id, secret)};
}

Result<std::vector<TokenInfo>> ListTokens(PgConn& c, const std::string& tenant) {
  WEFT_ASSIGN_OR_RETURN(auto found, FindTenant(c, tenant));
  if (!found) return Fail(ErrorCode::kNotFound, "no tenant named {}", tenant);
  WEFT_ASSIGN_OR_RETURN(
      PgResult r,
      c.Exec(fmt::format("SELECT {} {} WHERE n.name = $1 ORDER BY t.id", kTokenColumns, kTokenFrom),
             {PgText(tenant)}));
  std::vector<TokenInfo> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(TokenAt(r, i));
  return out;
}

Status RevokeToken(PgConn& c, std::int64_t id) {
  WEFT_ASSIGN_OR_RETURN(
      PgResult r, c.Exec("UPDATE tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 "
                         "RETURNING id",
                         {PgInt8(id)}));
  if (r.rows() == 0) return Fail(ErrorCode::kNotFound, "no token {}", id);
  return {};
}

std::optional<TokenClaim> ParseToken(std::string_view token) {
  constexpr std::string_view kPrefix = "weft_hub_";
  if (!token.starts_with(kPrefix)) return std::nullopt;
  token.remove_prefix(kPrefix.size());
  const auto sep = token.find('_');
  if (sep == std::string_view::npos || sep == 0 || sep > 18) return std::nullopt;
  std::int64_t id = 0;
  for (char ch : token.substr(0, sep)) {
    if (ch < '0' || ch > '9') return std::nullopt;
    id = id * 10 + (ch - '0');
  }
  return TokenClaim{id, Sha256Of(AsBytes(token.substr(sep + 1)))};
}

PgStatement TokenStatement(const Caller& who) {
  return {fmt::format("SELECT {}, t.secret_hash {} WHERE t.id = $1", kTokenColumns, kTokenFrom),
          {PgInt8(who.claim.id)}};
}

std::variant<TokenInfo, Denial> Admit(const PgResult& r, const Caller& who) {
  if (r.rows() == 0) return Denial::kUnknown;
  const Digest& want = who.claim.secret_hash;
  const ByteView have = r.View(0, 7);
  if (have.size() != want.size() || CRYPTO_memcmp(have.data(), want.data(), want.size()) != 0) {
    return Denial::kUnknown;
  }
  TokenInfo info = TokenAt(r, 0);
  if (info.revoked) return Denial::kUnknown;
  if (info.tenant != who.tenant) return Denial::kWrongTenant;
  if (static_cast<int>(info.scope) < static_cast<int>(who.need)) return Denial::kScope;
  return info;
}

Result<std::variant<TokenInfo, Denial>> CheckCaller(PgConn& c, const Caller& who) {
  const PgStatement token = TokenStatement(who);
  WEFT_ASSIGN_OR_RETURN(PgResult r, c.Exec(token.sql, token.params));
  return Admit(r, who);
}

// The secret's hash is compared in SQL here only to keep a refused caller from
// taking a lock or reading; Admit's constant-time comparison decides the answer.
std::string GatedTenantSql(int first, Scope need) {
  return fmt::format(
      "(SELECT gn.id FROM tenants gn JOIN tokens gt ON gt.tenant_id = gn.id WHERE gt.id = ${} "
      "AND gt.secret_hash = ${} AND gn.name = ${} AND gt.revoked_at IS NULL AND gt.scope IN ({}))",
      first, first + 1, first + 2,
      need == Scope::kRead    ? "'read', 'write', 'admin'"
      : need == Scope::kWrite ? "'write', 'admin'"
                              : "'admin'");
}

void AddGateParams(std::vector<PgParam>& params, const Caller& who) {
  params.push_back(PgInt8(who.claim.id));
  params.push_back(PgBytea({who.claim.secret_hash.data(), who.claim.secret_hash.size()}));
  params.push_back(PgText(who.tenant));
}

}  // namespace weft::hub
