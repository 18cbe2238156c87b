#include "net/hub_sync.h"

#include <map>
#include <set>

#include "core/release.h"
#include "fold/ledger.h"
#include "net/store_adapter.h"
#include "store/change_log.h"

namespace weft::net {
namespace {

constexpr std::size_t kPushMessageBytes = 3u << 20;

class HubSession {
 public:
  HubSession(Store& store, HubClient& hub, HubPeer& peer, const HubSyncOptions& o)
      : store_(store), hub_(hub), peer_(peer), o_(o), adapter_(store) {
    for (const auto& [actor, seq] : peer.cursor.clock) known_[actor] = seq;
  }

  Result<SessionReport> Run() {
    WEFT_TRY(PullAll());
    if (!o_.pull && !report_.timed_out) WEFT_TRY(PushAll());
    return Finish();
  }

 private:
  bool Late() const { return std::chrono::steady_clock::now() >= o_.deadline; }

  Status Keep() {
    peer_.cursor.clock.assign(known_.begin(), known_.end());
    return SaveHubCursor(store_.db(), peer_.name, peer_.cursor);
  }

  // The hub's history is not the one we read: take its clock and read it again.
  Status Reconcile(const std::string& why) {
    WEFT_ASSIGN_OR_RETURN(HubClock clock, hub_.Clock());
    peer_.cursor = HubCursor{clock.epoch, 0, std::nullopt, 0, std::nullopt, {}};
    known_.clear();
    for (const auto& [actor, seq] : clock.hello.clock) known_[actor] = seq;
    report_.notices.push_back(fmt::format(
        "the hub {} {}: reading its log again and pushing what it lacks", peer_.name, why));
    ++reconciles_;
    return Keep();
  }

  void Learn(const ActorId& actor, std::uint64_t seq) {
    auto& k = known_[actor];
    k = std::max(k, seq);
  }

  Status PullAll() {
    for (;;) {
      if (Late()) {
        report_.timed_out = true;
        return {};
      }
      HubCursor& cur = peer_.cursor;
      WEFT_ASSIGN_OR_RETURN(HubPage page,
                            hub_.Pull(cur.after, cur.at, cur.epoch, 0, cur.seen, cur.seen_at));
      report_.bytes += page.bytes;
      latest_ = page.latest;
      if (page.history_changed) {
        if (reconciles_ >= 2) {
          return Fail(ErrorCode::kProtocol, "the hub {} changed its history twice in one sync",
                      peer_.name);
        }
        WEFT_TRY(Reconcile(cur.epoch.empty() ? "is new to this device"
                                             : "has another history than this device last saw (a "
                                               "new epoch or a restore)"));
        continue;
      }
      ++report_.messages;
      if (!page.message.changes.empty()) {
        WEFT_ASSIGN_OR_RETURN(sync::ApplyReport applied,
                              adapter_.Apply(page.message.blobs, page.message.changes));
        report_.received.insert(report_.received.end(), applied.applied.begin(),
                                applied.applied.end());
        for (const auto& r : applied.rejected) {
          report_.problems.push_back(fmt::format("change {} from the hub {} was refused: {}",
                                                 r.hash.Short(), peer_.name, r.reason));
        }
        for (auto& n : applied.notices) report_.notices.push_back(std::move(n));
        for (const Bytes& bytes : page.message.changes) {
          WEFT_ASSIGN_OR_RETURN(EncodedChange c, EncodedChange::FromBytes(bytes));
          Learn(c.change.actor, c.change.seq);
          cur.at = c.hash;
        }
        cur.after = page.through;
        if (cur.after > cur.seen) {
          cur.seen = cur.after;
          cur.seen_at = cur.at;
        }
        if (o_.progress) o_.progress(report_.received.size() + report_.sent);
      }
      cur.epoch = page.epoch;
      WEFT_TRY(Keep());
      if (!page.more) return {};
    }
  }

  // Ours that the hub is not known to hold, deps first.
  Result<std::vector<EncodedChange>> Unpushed() {
    std::vector<EncodedChange> out;
    WEFT_ASSIGN_OR_RETURN(auto ours, MaxSeqPerActor(store_.db()));
    for (const auto& [actor, seq] : ours) {
      auto it = known_.find(actor);
      const std::uint64_t held = it == known_.end() ? 0 : it->second;
      if (seq <= held) continue;
      WEFT_ASSIGN_OR_RETURN(auto more, ChangesOfActorFrom(store_.db(), actor, held + 1));
      for (auto& c : more) out.push_back(std::move(c));
    }
    return CausalOrder(std::move(out));
  }

  Status PushAll() {
    for (int attempt = 0;; ++attempt) {
      WEFT_ASSIGN_OR_RETURN(std::vector<EncodedChange> todo, Unpushed());
      if (todo.empty()) return {};
      bool stale = false;
      std::size_t i = 0;
      while (i < todo.size() && !stale) {
        if (Late()) {
          report_.timed_out = true;
          return {};
        }
        sync::Message m;
        m.release = kRelease;
        std::size_t size = 0;
        const std::size_t first = i;
        for (; i < todo.size() && (i == first || size < kPushMessageBytes); ++i) {
          WEFT_ASSIGN_OR_RETURN(sync::Outgoing out, adapter_.ChangeForSending(todo[i].hash));
          size += out.bytes.size();
          for (auto& b : out.blobs) {
            size += b.canonical.size() + b.display.size();
            m.blobs.push_back(std::move(b));
          }
          m.changes.push_back(std::move(out.bytes));
        }
        WEFT_ASSIGN_OR_RETURN(HubPushAnswer a, hub_.Push(m));
        ++report_.messages;
        report_.bytes += size;
        if (a.refusal == "missing_deps" || a.refusal == "not_contiguous") {
          // What we thought the hub holds is wrong (it was restored, or another
          // device's push raced ours): take its clock and try again.
          if (attempt >= 2)
            return Fail(ErrorCode::kProtocol, "the hub {} refused: {}", peer_.name, a.sentence);
          WEFT_ASSIGN_OR_RETURN(HubClock clock, hub_.Clock());
          known_.clear();
          for (const auto& [actor, seq] : clock.hello.clock) known_[actor] = seq;
          stale = true;
          break;
        }
        if (!a.refusal.empty()) {
          return Fail(ErrorCode::kProtocol, "the hub {} refused a push: {}", peer_.name,
                      a.sentence);
        }
        report_.sent += a.accepted;
        latest_ = std::max(latest_, a.latest);
        // Nothing of others' arrived between our position and this push: our
        // position moves past it, so the next pull does not bring it back.
        HubCursor& cur = peer_.cursor;
        if (a.last && a.latest > cur.seen) {  // the newest change the hub is known to hold
          cur.seen = a.latest;
          cur.seen_at = a.last;
        }
        if (a.last && a.duplicates == 0 && a.epoch == cur.epoch &&
            a.latest == cur.after + static_cast<std::int64_t>(a.accepted)) {
          cur.after = a.latest;
          cur.at = a.last;
        }
        for (std::size_t k = first; k < i; ++k) Learn(todo[k].change.actor, todo[k].change.seq);
        WEFT_TRY(Keep());
        if (o_.progress) o_.progress(report_.received.size() + report_.sent);
      }
      if (!stale) return {};
    }
  }

  Result<SessionReport> Finish() {
    report_.round_trips = hub_.round_trips();
    report_.rounds = report_.round_trips;
    WEFT_ASSIGN_OR_RETURN(auto heads, LogHeads(store_.db()));
    for (const auto& h : heads) {
      WEFT_ASSIGN_OR_RETURN(auto meta, LoadChangeMeta(store_.db(), h));
      if (!meta) continue;
      auto it = known_.find(meta->actor);
      if (it == known_.end() || it->second < meta->seq) report_.missing_there.push_back(h);
    }
    report_.quiet = !report_.timed_out;
    report_.confirmed = report_.quiet && report_.missing_there.empty();
    sync::Hello hello;
    hello.instance = "hub " + peer_.tenant;
    hello.changes = static_cast<std::uint64_t>(std::max<std::int64_t>(latest_, 0));
    hello.clock.assign(known_.begin(), known_.end());
    report_.peer = std::move(hello);
    return std::move(report_);
  }

  Store& store_;
  HubClient& hub_;
  HubPeer& peer_;
  const HubSyncOptions& o_;
  StoreAdapter adapter_;
  std::map<ActorId, std::uint64_t> known_;
  SessionReport report_;
  std::int64_t latest_ = 0;
  int reconciles_ = 0;
};

}  // namespace

std::vector<EncodedChange> CausalOrder(std::vector<EncodedChange> changes) {
  std::map<ChangeHash, std::size_t> index;
  for (std::size_t i = 0; i < changes.size(); ++i) index.emplace(changes[i].hash, i);
  std::vector<int> waiting(changes.size(), 0);
  std::map<ChangeHash, std::vector<std::size_t>> unblocks;
  std::set<ChangeHash> ready;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    for (const auto& dep : changes[i].change.deps) {
      if (index.contains(dep)) {
        ++waiting[i];
        unblocks[dep].push_back(i);
      }
    }
    if (waiting[i] == 0) ready.insert(changes[i].hash);
  }
  std::vector<EncodedChange> out;
  out.reserve(changes.size());
  while (!ready.empty()) {
    const std::size_t i = index.at(*ready.begin());
    ready.erase(ready.begin());
    for (std::size_t next : unblocks[changes[i].hash]) {
      if (--waiting[next] == 0) ready.insert(changes[next].hash);
    }
    out.push_back(std::move(changes[i]));
  }
  return out;  // a cycle (impossible with hashes) would leave changes out
}

Result<SessionReport> SyncWithHub(Store& store, HubClient& hub, HubPeer& peer,
                                  const HubSyncOptions& options) {
  HubSession session(store, hub, peer, options);
  return session.Run();
}

}  // namespace weft::net
