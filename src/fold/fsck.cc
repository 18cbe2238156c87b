#include "fold/fsck.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/progress.h"
#include "fold/digest.h"
#include "fold/ledger.h"
#include "store/blob_store.h"
#include "store/change_log.h"
#include "store/quarantine.h"

namespace weft {
namespace {

struct Sound {
  std::map<ChangeHash, Change> changes;  // every change whose bytes hash to its key
  std::vector<ChangeHash> order;         // log order
  std::set<ItemHash> blobs;              // every blob whose bytes hash to its key
  std::set<ChangeHash> damaged_changes;
  std::set<ItemHash> damaged_blobs;
};

class Checker {
 public:
  explicit Checker(Store& store) : store_(store), db_(store.db()) {}

  Result<FsckReport> Run() {
    {
      progress::Scope phase("checking the database file", 1, "checks");
      WEFT_TRY(Database());
    }
    {
      WEFT_ASSIGN_OR_RETURN(std::int64_t count, CountChanges(db_));
      progress::Scope phase("checking changes", static_cast<std::uint64_t>(count), "changes");
      WEFT_TRY(Changes());
    }
    {
      progress::Scope phase("checking blobs", 0, "blobs");
      WEFT_TRY(Blobs());
    }
    {
      progress::Scope phase("checking references", sound_.order.size(), "changes");
      WEFT_TRY(References());
    }
    WEFT_TRY(Projections());  // a re-fold: its own phase
    return std::move(report_);
  }
  const Sound& sound() const { return sound_; }

 private:
  void Find(std::string what, std::string hash, std::string detail) {
    report_.findings.push_back({std::move(what), std::move(hash), std::move(detail)});
  }

  Status Database() {
    WEFT_ASSIGN_OR_RETURN(Query q, db_.Prepare("PRAGMA quick_check"));
    while (true) {
      WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      const std::string line = q.Text(0);
      if (line == "ok") continue;
      WEFT_ASSIGN_OR_RETURN(bool real, NotAFalseNull(line));
      if (real) Find("database", "", "SQLite: " + line);
    }
    return {};
  }

  // SQLite 3.40's quick_check reports "NULL value in T.C" for NOT NULL columns
  // after the key of a WITHOUT ROWID table that hold no NULL (fixed in 3.41): such
  // a line counts only if a NULL is really there.
  Result<bool> NotAFalseNull(const std::string& line) {
    constexpr std::string_view kPrefix = "NULL value in ";
    if (!line.starts_with(kPrefix)) return true;
    const std::string where = line.substr(kPrefix.size());
    const auto dot = where.find('.');
    if (dot == std::string::npos) return true;
    const std::string table = where.substr(0, dot), column = where.substr(dot + 1);
    auto plain = [](const std::string& n) {
      return !n.empty() && std::all_of(n.begin(), n.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
      });
    };
    if (!plain(table) || !plain(column)) return true;
    const std::string sql = fmt::format("SELECT count(*) FROM {} WHERE {} IS NULL", table, column);
    WEFT_ASSIGN_OR_RETURN(std::int64_t nulls, db_.QueryInt(sql.c_str()));
    return nulls > 0;
  }

  Status Changes() {
    WEFT_ASSIGN_OR_RETURN(Query q, db_.Prepare("SELECT hash, bytes, actor, seq, hlc, branch, deps "
                                               "FROM changes ORDER BY id"));
    std::map<std::pair<ActorId, std::uint64_t>, ChangeHash> by_seq;
    while (true) {
      WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      ++report_.changes;
      progress::Advance(1, q.Blob(1).size());
      ByteView key = q.Blob(0);
      if (key.size() != kHashSize) {
        Find("change", "", fmt::format("a row keyed by {} bytes", key.size()));
        continue;
      }
      const ChangeHash hash = ChangeHash::FromBytes(key);
      ByteView b = q.Blob(1);
      if (HashChangeBytes(b) != hash) {
        Find("change", hash.Hex(), "its bytes do not hash to its key");
        sound_.damaged_changes.insert(hash);
        continue;
      }
      auto c = DecodeChange(b);
      if (!c) {
        Find("change", hash.Hex(), "its bytes do not decode: " + c.error().message());
        sound_.damaged_changes.insert(hash);
        continue;
      }
      if (!IndexColumnsAgree(*c, q.Blob(2), q.Int(3), q.Int(4), q.Text(5), q.Blob(6))) {
        Find("change", hash.Hex(), "its index columns disagree with its bytes");
      }
      auto [it, fresh] = by_seq.emplace(std::pair{c->actor, c->seq}, hash);
      if (!fresh) {
        Find("seq", hash.Hex(),
             fmt::format("actor {} seq {} is also change {}", c->actor.Hex().substr(0, 8), c->seq,
                         it->second.Short()));
      }
      sound_.order.push_back(hash);
      sound_.changes.emplace(hash, std::move(*c));
    }
    return {};
  }

  Status Blobs() {
    WEFT_ASSIGN_OR_RETURN(Query q, db_.Prepare("SELECT hash, kind, canonical, display FROM blobs"));
    while (true) {
      WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      ++report_.blobs;
      progress::Advance(1, q.Blob(2).size());
      ByteView key = q.Blob(0);
      if (key.size() != kHashSize) {
        Find("blob", "", fmt::format("a row keyed by {} bytes", key.size()));
        continue;
      }
      const ItemHash hash = ItemHash::FromBytes(key);
      auto kind = ItemKindFromByte(static_cast<std::uint8_t>(q.Int(1)));
      if (!kind || q.Int(1) < 0 || q.Int(1) > 255 || HashItem(*kind, q.Blob(2)) != hash) {
        Find("blob", hash.Hex(), "its bytes do not hash to its key");
        sound_.damaged_blobs.insert(hash);
        continue;
      }
      auto item = DecodeItem(*kind, q.Blob(2), q.Blob(3));
      if (!item) {
        Find("blob", hash.Hex(), "it does not decode: " + item.error().message());
        sound_.damaged_blobs.insert(hash);
        continue;
      }
      sound_.blobs.insert(hash);
      refs_.emplace_back(hash, item->refs);
    }
    return {};
  }

  // Deps present and stamped before; items referenced present. A reference to a
  // quarantined row is not a new finding: it comes back with the next sync.
  Status References() {
    WEFT_ASSIGN_OR_RETURN(auto quarantined, ListQuarantine(db_));
    std::set<Digest> awaited;
    for (const auto& r : quarantined) {
      if (!r.recovered) awaited.insert(r.hash);
    }
    report_.awaiting_refetch = static_cast<std::int64_t>(awaited.size());
    auto item_present = [&](const ItemHash& item) {
      return sound_.blobs.contains(item) || sound_.damaged_blobs.contains(item) ||
             awaited.contains(item.digest());
    };
    for (const ChangeHash& h : sound_.order) {
      progress::Advance();
      const Change& c = sound_.changes.at(h);
      for (const ChangeHash& d : c.deps) {
        auto dep = sound_.changes.find(d);
        if (dep == sound_.changes.end()) {
          if (!sound_.damaged_changes.contains(d) && !awaited.contains(d.digest()))
            Find("dep", h.Hex(), "its dep " + d.Short() + " is not in the store");
          continue;
        }
        if (!(c.hlc > dep->second.hlc)) {
          Find("hlc", h.Hex(), "its HLC does not exceed its dep " + d.Short() + "'s");
        }
      }
      for (const Op& op : c.ops) {
        std::optional<ItemHash> item;
        if (const auto* a = std::get_if<AddItem>(&op)) item = a->item;
        if (const auto* s = std::get_if<SetName>(&op)) item = s->item;
        if (const auto* r = std::get_if<Repoint>(&op)) item = r->item;
        if (item && !item_present(*item))
          Find("item", item->Hex(),
               "change " + h.Short() + " refers to it; it is not in the store");
      }
    }
    for (const auto& [item, refs] : refs_) {
      for (const ItemHash& r : refs) {
        if (!item_present(r))
          Find("item", r.Hex(), "item " + item.Short() + " refers to it; it is not in the store");
      }
    }
    return {};
  }

  // Only over a sound log: a fresh fold of a damaged one says nothing new.
  Status Projections() {
    if (!sound_.damaged_changes.empty()) return {};
    WEFT_ASSIGN_OR_RETURN(Digest held, ProjectionDigest(db_));
    Digest fresh{};
    {
      WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
      Status refolded = Ledger(store_).RefoldInTransaction();
      if (!refolded) {
        Find("projections", "", "a fresh fold of the log fails: " + refolded.error().message());
        return {};
      }
      WEFT_ASSIGN_OR_RETURN(fresh, ProjectionDigest(db_));
    }  // rolled back: the check writes nothing
    if (held != fresh) {
      Find("projections", DigestToHex(held),
           "the projections differ from a fresh fold of the log (digest " + DigestToHex(fresh) +
               "); `weft fsck --repair` re-folds them");
    }
    return {};
  }

  Store& store_;
  Db& db_;
  FsckReport report_;
  Sound sound_;
  std::vector<std::pair<ItemHash, std::vector<ItemHash>>> refs_;
};

}  // namespace

Result<FsckReport> CheckStore(Store& store) { return Checker(store).Run(); }

Result<FsckReport> RepairStore(Store& store) {
  Db& db = store.db();
  Checker before(store);
  WEFT_TRY(before.Run());
  const Sound& sound = before.sound();
  FsckReport done;
  {
    WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    const auto now = static_cast<std::int64_t>(SystemMillis());
    // A change that adds a damaged blob is set aside with it: the sync that brings
    // the change back brings its blobs with it.
    std::map<ChangeHash, std::string> moved;
    for (const ChangeHash& h : sound.damaged_changes) moved[h] = "its bytes do not hash to its key";
    for (const ChangeHash& h : sound.order) {
      for (const Op& op : sound.changes.at(h).ops) {
        const auto* add = std::get_if<AddItem>(&op);
        if (add && sound.damaged_blobs.contains(add->item))
          moved[h] = "it adds item " + add->item.Short() + ", whose blob is damaged";
      }
    }
    for (const auto& [h, reason] : moved) {
      WEFT_ASSIGN_OR_RETURN(auto bytes, LoadChangeBytes(db, h));
      WEFT_TRY(QuarantineChange(db, h, bytes.value_or(Bytes{}), reason, now));
      WEFT_TRY(DeleteChange(db, h));
      done.quarantined.push_back("change " + h.Hex());
    }
    for (const ItemHash& h : sound.damaged_blobs) {
      WEFT_ASSIGN_OR_RETURN(
          Query q, db.Prepare("SELECT kind, canonical, display FROM blobs WHERE hash = ?"));
      q.Bind(ByteView(h.digest()));
      WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
      if (row) {
        WEFT_TRY(QuarantineBlob(db, h, q.Int(0), q.Blob(1), q.Blob(2),
                                "its bytes do not hash to its key", now));
      }
      WEFT_ASSIGN_OR_RETURN(Query del, db.Prepare("DELETE FROM blobs WHERE hash = ?"));
      WEFT_TRY(del.Bind(ByteView(h.digest())).Run());
      done.quarantined.push_back("blob " + h.Hex());
    }
    // Changes built on a missing change wait in `pending` for it, as if they had
    // arrived before it; they are applied again when it comes back.
    std::set<ChangeHash> gone;
    for (const auto& [h, reason] : moved) gone.insert(h);
    for (const ChangeHash& h : sound.order) {
      if (gone.contains(h)) continue;
      const Change& c = sound.changes.at(h);
      std::vector<ChangeHash> missing;
      for (const ChangeHash& d : c.deps) {
        if (gone.contains(d) || !sound.changes.contains(d)) missing.push_back(d);
      }
      if (missing.empty()) continue;
      WEFT_ASSIGN_OR_RETURN(auto bytes, LoadChangeBytes(db, h));
      if (!bytes) continue;
      WEFT_ASSIGN_OR_RETURN(EncodedChange e, EncodedChange::FromBytes(std::move(*bytes)));
      WEFT_TRY(AddPending(db, e, missing));
      WEFT_TRY(DeleteChange(db, h));
      gone.insert(h);
      ++done.parked;
    }
    WEFT_TRY(Ledger(store).RefoldInTransaction());
    done.refolded = true;
    WEFT_TRY(tx.Commit());
  }
  WEFT_ASSIGN_OR_RETURN(FsckReport after, CheckStore(store));
  after.quarantined = std::move(done.quarantined);
  after.parked = done.parked;
  after.refolded = done.refolded;
  return after;
}

Status RecordFsck(Store& store, std::size_t findings) {
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(store.db()));
  WEFT_TRY(store.PutMeta("fsck_at", std::to_string(SystemMillis())));
  WEFT_TRY(store.PutMeta("fsck_findings", std::to_string(findings)));
  return tx.Commit();
}

}  // namespace weft
