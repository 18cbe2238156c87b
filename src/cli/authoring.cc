#include "cli/authoring.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "fold/item_access.h"
#include "fold/queries.h"
#include "lang/canonical_codec.h"
#include "lang/canonicalize.h"
#include "lang/parser.h"
#include "lang/transform.h"
#include "store/blob_store.h"
#include "store/wip.h"

namespace weft::cli {
namespace {

Item ToItem(const lang::CanonicalItem& c) {
  std::vector<ItemHash> refs;
  for (const auto& r : c.refs) refs.emplace_back(r);
  return Item::Make(c.kind, std::move(refs), c.body, c.display);
}

// Items that refer to `item` (from the dependencies projection).
Result<std::vector<ItemHash>> Dependents(Db& db, const ItemHash& item) {
  WEFT_ASSIGN_OR_RETURN(
      Query q, db.Prepare("SELECT item FROM dependencies WHERE depends_on = ? ORDER BY item"));
  q.Bind(item.bytes());
  return CollectHashes<ItemHash>(q);
}

class Propagator {
 public:
  Propagator(Store& store, StoreNames& names, std::vector<Op>& ops, std::vector<Item>& blobs,
             std::set<std::string>& defined, AddReport& report)
      : store_(store),
        names_(names),
        ops_(ops),
        blobs_(blobs),
        defined_(defined),
        report_(report) {}

  void Replace(const ItemHash& old_item, const ItemHash& new_item) {
    map_[old_item.digest()] = new_item.digest();
    queue_.push_back(old_item);
  }

  Status Run() {
    while (!queue_.empty()) {
      ItemHash old = queue_.front();
      queue_.pop_front();
      WEFT_ASSIGN_OR_RETURN(auto dependents, Dependents(store_.db(), old));
      for (const ItemHash& d : dependents) {
        if (done_.insert(d).second) WEFT_TRY(Repoint(d));
      }
    }
    return {};
  }

 private:
  // Re-hashes the component holding `item` with replaced references.
  Status Repoint(const ItemHash& item) {
    Db& db = store_.db();
    WEFT_ASSIGN_OR_RETURN(lang::DecodedComponent dc, DecodeStoredItem(db, item));
    // The old hash of every member, from the component as stored.
    lang::EncodedComponent old_enc = lang::EncodeComponent(dc.component);
    const std::size_t n = dc.component.members.size();
    std::vector<ItemHash> old_hashes;
    for (std::size_t i = 0; i < n; ++i) {
      old_hashes.emplace_back(
          HashForLang(dc.component.members[i].kind, old_enc.refs, lang::MemberBody(old_enc, n, i)));
    }
    // Which members are bound on this branch, and where?
    std::vector<std::vector<std::pair<Namespace, std::string>>> bound(n);
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
      done_.insert(old_hashes[i]);
      WEFT_ASSIGN_OR_RETURN(auto locs, NamesOf(db, store_.branch(), old_hashes[i]));
      for (auto& loc : locs) {
        const Namespace ns = NamespaceOf(dc.component.members[i].kind);
        WEFT_ASSIGN_OR_RETURN(auto now, names_.Lookup(ns, loc));
        if (!now || *now != old_hashes[i] || defined_.contains(loc))
          continue;  // re-bound or edited here
        bound[i].emplace_back(ns, std::move(loc));
        any = true;
      }
    }
    if (!any) return {};
    std::vector<lang::Definition> members;
    for (const auto& m : dc.component.members) {
      members.push_back(lang::MapTargets(m, [&](const lang::Target& t) {
        if (t.kind == lang::Target::Kind::kItem) {
          if (auto it = map_.find(t.item); it != map_.end())
            return lang::Target{t.kind, it->second, 0};
        }
        return t;
      }));
    }
    WEFT_ASSIGN_OR_RETURN(auto items, lang::CanonicalizeComponent(members, HashForLang));
    for (const auto& c : items) {
      // Canonical order may differ from the stored one: match members by name.
      std::size_t i = 0;
      while (i < n &&
             !(dc.component.members[i].name == c.name && dc.component.members[i].kind == c.kind))
        ++i;
      if (i == n || ItemHash(c.hash) == old_hashes[i]) continue;
      Item next = ToItem(c);
      blobs_.push_back(next);
      ops_.push_back(AddItem{next.Hash()});
      for (const auto& [ns, loc] : bound[i]) {
        ops_.push_back(SetName{ns, loc, next.Hash()});
        report_.repointed.push_back(loc);
      }
      Replace(old_hashes[i], next.Hash());
    }
    return {};
  }

  Store& store_;
  StoreNames& names_;
  std::vector<Op>& ops_;
  std::vector<Item>& blobs_;
  std::set<std::string>& defined_;
  AddReport& report_;
  std::map<Digest, Digest> map_;
  std::deque<ItemHash> queue_;
  std::set<ItemHash> done_;
};

}  // namespace

Result<AddReport> AddSource(Store& store, std::string_view source, std::string_view file) {
  Db& db = store.db();
  WEFT_ASSIGN_OR_RETURN(auto defs, lang::ParseFile(source, file));
  if (defs.empty()) return Fail(ErrorCode::kInvalidArgument, "{}: no definitions to add", file);
  for (const auto& d : defs) {
    if (auto ok = ValidateLocation(d.name); !ok) {
      return Fail(ErrorCode::kInvalidArgument, "{}:{}:{}: {}", file, d.pos.line, d.pos.col,
                  ok.error().message());
    }
  }
  WEFT_ASSIGN_OR_RETURN(std::vector<Op> staged, LoadStaged(db, store.branch()));
  StoreNames names(db, store.branch(), staged);
  WEFT_ASSIGN_OR_RETURN(auto items, lang::Canonicalize(defs, names, HashForLang, file));

  AddReport report;
  std::vector<Op> ops;
  std::vector<Item> blobs;
  std::set<std::string> defined;
  for (const auto& d : defs) defined.insert(d.name);
  Propagator propagate(store, names, ops, blobs, defined, report);
  for (const auto& c : items) {
    Item item = ToItem(c);
    const Namespace ns = NamespaceOf(c.kind);
    WEFT_ASSIGN_OR_RETURN(auto current, names.Lookup(ns, c.name));
    if (current && *current == item.Hash()) {
      report.unchanged.push_back(c.name);
      continue;
    }
    blobs.push_back(item);
    ops.push_back(AddItem{item.Hash()});
    ops.push_back(SetName{ns, c.name, item.Hash()});
    if (current) {
      report.updated.push_back(c.name);
      propagate.Replace(*current, item.Hash());
    } else {
      report.added.push_back(c.name);
    }
  }
  WEFT_TRY(propagate.Run());
  if (ops.empty()) return report;
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  for (const Item& item : blobs) WEFT_TRY(PutBlob(db, item));
  for (const Op& op : ops) WEFT_TRY(StageOp(db, store.branch(), op));
  WEFT_TRY(tx.Commit());
  return report;
}

}  // namespace weft::cli
