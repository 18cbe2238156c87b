// A tenant's log on the hub: push (verified, all or nothing, numbered in arrival
// order under the tenant's lock), pull (a page after an arrival number), and the
// tenant's clock and heads. docs/design/hub.md, "Push" and "Pull".
//
// Pull and the clock check their caller's token in the round trip of their
// first statement; a push is checked before its body is read. A refused caller
// takes no lock and reads no change (tenants.h, Caller).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hub/pg.h"
#include "hub/push_check.h"
#include "hub/tenants.h"
#include "sync/message.h"

namespace weft::hub {

struct PushLimits {
  std::size_t max_change_bytes = 1u << 20;
};

// What every answer carries: the caller's token, or why it was refused (then
// nothing else is set).
struct Admission {
  std::optional<Denial> denied;
  TokenInfo token;
};

struct PushOutcome : Admission {
  std::size_t accepted = 0;
  std::size_t duplicates = 0;
  std::int64_t latest = 0;  // the tenant's last arrival number after the push
  std::string epoch;
  std::optional<ChangeHash> last;  // the change now at `latest`, when this push put it there
  std::uint64_t bytes = 0;         // stored by this push
  // Set when refused: nothing was stored.
  std::string refusal;  // push_check's names, or "over_quota"
  std::string sentence;
  std::vector<std::string> missing;
};
// One transaction. Sends NOTIFY weft_hub '<tenant>:<latest>' after the commit when
// something was stored. The caller is checked by CheckCaller first (its body is
// not decoded for a stranger); here only through the gate, so `token` is unset
// and a refusal is kUnknown.
Result<PushOutcome> Push(PgConn& c, const Caller& who, sync::Message m, const PushLimits& limits);

struct PullRequest {
  std::int64_t after = 0;
  std::optional<ChangeHash> at;  // the change the client holds at `after`
  std::string epoch;             // empty: the client has none yet
  bool peek = false;             // only the position: no changes, `at` not checked
  // The highest-numbered change the client knows the hub holds (its last push, or
  // the last it pulled): a restore that lost it is noticed even when the
  // client's read position lies below what was lost.
  std::int64_t seen = 0;
  std::optional<ChangeHash> seen_at;
  std::size_t max_changes = 1000;
  std::size_t max_bytes = 3u << 20;
};
struct Page : Admission {
  std::string epoch;
  std::int64_t latest = 0;
  std::int64_t through = 0;  // the arrival number of the last change in the page
  std::vector<Bytes> changes;
  std::vector<sync::BlobRecord> blobs;
  bool more = false;
  // The client's position is not in this hub's history (another epoch, or the
  // change it holds at `after` is not there): nothing else is set but epoch/latest.
  bool history_changed = false;
};
Result<Page> Pull(PgConn& c, const Caller& who, const PullRequest& request);

struct TenantClock : Admission {
  std::string epoch;
  std::int64_t latest = 0;
  std::vector<std::pair<ActorId, std::uint64_t>> clock;  // by actor
  std::vector<ChangeHash> heads;                         // sorted
};
Result<TenantClock> ReadClock(PgConn& c, const Caller& who);
// The latest arrival number of each tenant asked about.
Result<std::vector<std::pair<std::int64_t, std::int64_t>>> Latest(
    PgConn& c, const std::vector<std::int64_t>& tenant_ids);

}  // namespace weft::hub
