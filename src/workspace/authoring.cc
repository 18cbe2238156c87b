#include "workspace/authoring.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "core/progress.h"
#include "fold/queries.h"
#include "fold/staging.h"
#include "lang/canonical_codec.h"
#include "lang/canonicalize.h"
#include "lang/parser.h"
#include "lang/transform.h"
#include "store/wip.h"
#include "workspace/item_access.h"

namespace weft::workspace {
namespace {

Item ToItem(const lang::CanonicalItem& c) {
  std::vector<ItemHash> refs;
  for (const auto& r : c.refs) refs.emplace_back(r);
  return Item::Make(c.kind, std::move(refs), c.body, c.display);
}

std::set<std::string> WrittenNames(const lang::Definition& d) {
  std::set<std::string> out;
  if (d.written_names) out.insert(d.written_names->begin(), d.written_names->end());
  lang::ForEachNamedReference(d, [&](const std::string& n) {
    if (!n.empty() && n[0] != '#') out.insert(n);
  });
  return out;
}

// One definition of the list that is canonicalized together: a definition of the
// source, or a stored item that must be re-pointed at it.
struct Member {
  lang::Definition def;  // resolved; kSelf targets are positions in the stored
                         // component until Plan() maps them
  Namespace ns = Namespace::kTerm;
  std::optional<ItemHash> old;                   // its binding before this add
  std::vector<std::string> names;                // dependents: every name bound to `old`
  std::string cause;                             // dependents: the source name it follows
  std::optional<std::set<std::string>> written;  // nullopt: not recorded
  std::vector<ItemHash> sibling_hashes;          // dependents: the stored component
};

// Plans one `weft add`: the source's definitions plus every stored item that must
// be re-pointed at them, canonicalized together as one file would be. So a
// recursive group that spans the source and the store is re-hashed as a group,
// staged dependents are found like committed ones, and re-pointed items hash
// exactly as authoring all of them afresh would (docs/language.md, Propagation).
class Planner {
 public:
  Planner(Store& store, StoreNames& names, AddReport& report)
      : db_(store.db()), names_(names), report_(report) {}

  Result<Staging> Plan(const std::vector<lang::Definition>& defs, std::string_view file) {
    WEFT_ASSIGN_OR_RETURN(std::vector<lang::Definition> resolved,
                          lang::ResolveDefinitions(defs, names_, file));
    for (std::size_t i = 0; i < resolved.size(); ++i) {
      Member m;
      m.ns = NamespaceOf(resolved[i].kind);
      WEFT_ASSIGN_OR_RETURN(m.old, names_.Lookup(m.ns, resolved[i].name));
      m.names = {resolved[i].name};
      m.written = WrittenNames(resolved[i]);
      m.def = std::move(resolved[i]);
      source_names_.insert({m.ns, m.def.name});
      members_.push_back(std::move(m));
      progress::Advance();
    }
    source_count_ = members_.size();
    std::vector<lang::Definition> alone;
    for (const Member& m : members_) alone.push_back(m.def);
    WEFT_ASSIGN_OR_RETURN(auto alone_items, lang::AssembleComponents(alone, HashForLang));
    // A source definition whose binding would change starts the search for
    // dependents; when none would, nothing else can change either.
    for (const auto& item : alone_items) {
      const Member& m = members_[item.source];
      if (m.old && *m.old != ItemHash(item.hash)) Enqueue(*m.old, item.source, m.def.name);
    }
    for (std::size_t i = 0; i < source_count_; ++i) {
      if (members_[i].old) Leaving(*members_[i].old, i, members_[i].names);
    }
    if (queue_.empty()) return Stage(alone_items);
    WEFT_TRY(FindDependents());
    std::vector<lang::Definition> all;
    for (std::size_t i = 0; i < members_.size(); ++i) all.push_back(MapMember(i));
    WEFT_ASSIGN_OR_RETURN(auto items, lang::AssembleComponents(all, HashForLang));
    return Stage(items);
  }

 private:
  // `names` move away from `old`, now member `index`.
  void Leaving(const ItemHash& old, std::size_t index, const std::vector<std::string>& names) {
    index_of_old_.try_emplace(old, index);
    leaving_[old].insert(names.begin(), names.end());
  }
  void Enqueue(const ItemHash& old, std::size_t index, const std::string& cause) {
    if (!queued_.insert(old).second) return;
    cause_[old] = cause;
    ns_of_[old] = members_[index].ns;
    queue_.push_back(old);
  }

  // Does a reference from a definition that wrote `written` to `target` follow the
  // names moving away from `target`? When every name of `target` moves, yes. When
  // some stay, a dependent follows only if it was written against a moving name
  // and not a staying one, and is bound under one name: an item bound under
  // several names carries one author's written names, so which of them was
  // written against which is unknown (kUnknown: it stays, and is reported).
  enum class Follow : std::uint8_t { kYes, kNo, kUnknown };
  Result<Follow> Follows(const std::optional<std::set<std::string>>& written,
                         const ItemHash& target, std::size_t bound_names) {
    auto leaving = leaving_.find(target);
    if (leaving == leaving_.end()) return Follow::kNo;
    WEFT_ASSIGN_OR_RETURN(auto holders, names_.NamesBoundTo(ns_of_.at(target), target));
    std::erase_if(holders, [&](const std::string& n) { return leaving->second.contains(n); });
    if (holders.empty()) return Follow::kYes;  // every name of the target moves
    if (!written) return Follow::kUnknown;
    const bool moving = std::any_of(leaving->second.begin(), leaving->second.end(),
                                    [&](const std::string& n) { return written->contains(n); });
    const bool staying = std::any_of(holders.begin(), holders.end(),
                                     [&](const std::string& n) { return written->contains(n); });
    if (bound_names > 1) return Follow::kUnknown;
    if (!moving && staying) return Follow::kNo;  // another name's dependent
    if (moving && !staying) return Follow::kYes;
    return Follow::kUnknown;
  }

  // Breadth first from the changed bindings: every bound item that refers to one
  // of them (committed, staged, or a member of the same recursive group) and
  // follows it by name joins the plan, and is searched from in turn.
  Status FindDependents() {
    while (!queue_.empty()) {
      const ItemHash old = queue_.front();
      queue_.pop_front();
      WEFT_ASSIGN_OR_RETURN(std::vector<ItemHash> dependents, DependentsOf(db_, old));
      WEFT_ASSIGN_OR_RETURN(auto staged, names_.StagedDependentsOf(old));
      dependents.insert(dependents.end(), staged.begin(), staged.end());
      WEFT_ASSIGN_OR_RETURN(auto siblings, Siblings(old));
      dependents.insert(dependents.end(), siblings.begin(), siblings.end());
      for (const ItemHash& dep : dependents) {
        if (auto it = index_of_old_.find(dep); it != index_of_old_.end()) {
          // A source definition: already planned, but what depends on it may move.
          if (it->second < source_count_) Enqueue(dep, it->second, cause_.at(old));
          continue;
        }
        WEFT_TRY(Consider(dep, old));
      }
    }
    return {};
  }

  // The other members of `item`'s stored recursive group (they refer to it).
  Result<std::vector<ItemHash>> Siblings(const ItemHash& item) {
    WEFT_ASSIGN_OR_RETURN(const Component* c, Load(item));
    std::vector<ItemHash> out;
    for (const ItemHash& h : c->hashes) {
      if (h != item) out.push_back(h);
    }
    return out;
  }

  struct Component {
    lang::DecodedComponent decoded;
    std::vector<ItemHash> hashes;  // each member's stored hash
  };
  Result<const Component*> Load(const ItemHash& item) {
    if (auto it = component_of_.find(item); it != component_of_.end()) return it->second;
    WEFT_ASSIGN_OR_RETURN(lang::DecodedComponent dc, DecodeStoredItem(db_, item));
    auto c = std::make_unique<Component>();
    lang::EncodedComponent enc = lang::EncodeComponent(dc.component);
    const std::size_t n = dc.component.members.size();
    for (std::size_t i = 0; i < n; ++i) {
      c->hashes.emplace_back(
          HashForLang(dc.component.members[i].kind, enc.refs, lang::MemberBody(enc, n, i)));
    }
    c->decoded = std::move(dc);
    const Component* out = c.get();
    for (const ItemHash& h : out->hashes) component_of_[h] = out;
    components_.push_back(std::move(c));
    return out;
  }

  // `dep` refers to `target`, whose names are moving: plan to re-point it if it is
  // bound here and follows those names.
  Status Consider(const ItemHash& dep, const ItemHash& target) {
    WEFT_ASSIGN_OR_RETURN(const Component* c, Load(dep));
    const std::size_t index =
        std::find(c->hashes.begin(), c->hashes.end(), dep) - c->hashes.begin();
    const lang::Definition& def = c->decoded.component.members[index];
    const Namespace ns = NamespaceOf(def.kind);
    WEFT_ASSIGN_OR_RETURN(auto bound, names_.NamesBoundTo(ns, dep));
    std::erase_if(bound, [&](const std::string& n) { return source_names_.contains({ns, n}); });
    if (bound.empty()) return {};  // nothing here runs it
    std::optional<std::set<std::string>> written;
    if (def.written_names) written.emplace(def.written_names->begin(), def.written_names->end());
    WEFT_ASSIGN_OR_RETURN(Follow follows, Follows(written, target, bound.size()));
    if (follows == Follow::kUnknown) {
      for (const auto& n : bound) {
        if (std::find(report_.left.begin(), report_.left.end(), n) == report_.left.end())
          report_.left.push_back(n);
      }
    }
    if (follows != Follow::kYes) return {};
    Member m;
    m.def = def;
    m.def.name = bound.front();  // fresh authoring would use today's name
    m.ns = ns;
    m.old = dep;
    m.names = bound;
    m.cause = cause_.at(target);
    m.written = std::move(written);
    m.sibling_hashes = c->hashes;
    members_.push_back(std::move(m));
    Leaving(dep, members_.size() - 1, bound);
    Enqueue(dep, members_.size() - 1, cause_.at(target));
    return {};
  }

  // Member `i` with every reference that follows a moving name pointed at the
  // member that replaces it.
  lang::Definition MapMember(std::size_t i) {
    const Member& m = members_[i];
    const bool stored = i >= source_count_;
    return lang::MapTargets(m.def, [&](const lang::Target& t) {
      std::optional<ItemHash> target;
      if (t.kind == lang::Target::Kind::kItem) target = ItemHash(t.item);
      if (t.kind == lang::Target::Kind::kSelf) {
        if (!stored) return t;  // a source definition's reference to another one
        target = m.sibling_hashes.at(t.self);
      }
      auto it = index_of_old_.find(*target);
      auto follows = it == index_of_old_.end() ? Result<Follow>(Follow::kNo)
                                               : Follows(m.written, *target, m.names.size());
      if (follows && *follows == Follow::kYes) {
        return lang::Target{lang::Target::Kind::kSelf, {}, static_cast<std::uint32_t>(it->second)};
      }
      return lang::Target{lang::Target::Kind::kItem, target->digest(), 0};
    });
  }

  Result<Staging> Stage(const std::vector<lang::CanonicalItem>& items) {
    Staging out;
    std::vector<std::pair<std::size_t, const lang::CanonicalItem*>> by_member;
    for (const auto& item : items) by_member.emplace_back(item.source, &item);
    std::sort(by_member.begin(), by_member.end());
    for (const auto& [i, item] : by_member) {
      const Member& m = members_[i];
      Item next = ToItem(*item);
      const bool same = m.old && *m.old == next.Hash();
      if (i < source_count_) {
        if (same) {
          report_.unchanged.push_back(m.def.name);
          continue;
        }
        (m.old ? report_.updated : report_.added).push_back(m.def.name);
        out.blobs.push_back(next);
        out.ops.push_back(AddItem{next.Hash()});
        out.ops.push_back(SetName{m.ns, m.def.name, next.Hash()});
        continue;
      }
      if (same) continue;
      out.blobs.push_back(next);
      out.ops.push_back(AddItem{next.Hash()});
      const auto cause = std::find_if(members_.begin(), members_.begin() + source_count_,
                                      [&](const Member& s) { return s.def.name == m.cause; });
      for (const std::string& name : m.names) {
        out.ops.push_back(Repoint{m.ns, name, next.Hash(), cause->ns, m.cause});
        report_.repointed.push_back(name);
      }
    }
    return out;
  }

  Db& db_;
  StoreNames& names_;
  AddReport& report_;
  std::vector<Member> members_;
  std::size_t source_count_ = 0;
  std::set<std::pair<Namespace, std::string>> source_names_;
  std::map<ItemHash, std::size_t> index_of_old_;       // old binding -> member
  std::map<ItemHash, std::set<std::string>> leaving_;  // old binding -> names moving away
  std::map<ItemHash, std::string> cause_;              // old binding -> source name
  std::map<ItemHash, Namespace> ns_of_;
  std::deque<ItemHash> queue_;
  std::set<ItemHash> queued_;
  std::vector<std::unique_ptr<Component>> components_;
  std::map<ItemHash, const Component*> component_of_;
};

}  // namespace

Result<AddReport> AddSource(Store& store, std::string_view source, std::string_view file) {
  progress::Scope phase("adding definitions", 0, "definitions");
  WEFT_ASSIGN_OR_RETURN(auto defs, lang::ParseFile(source, file));
  progress::SetTotal(defs.size());
  if (defs.empty()) return Fail(ErrorCode::kInvalidArgument, "{}: no definitions to add", file);
  for (const auto& d : defs) {
    if (auto ok = ValidateLocation(d.name); !ok) {
      return Fail(ErrorCode::kInvalidArgument, "{}:{}:{}: {}", file, d.pos.line, d.pos.col,
                  ok.error().message());
    }
  }
  AddReport report;
  // Planned inside the write transaction: what is staged and bound cannot change
  // between reading it and staging on top of it.
  WEFT_ASSIGN_OR_RETURN(std::vector<Op> ops, StageEdits(store, [&]() -> Result<Staging> {
                          report = AddReport{};
                          WEFT_ASSIGN_OR_RETURN(std::vector<Op> staged,
                                                LoadStaged(store.db(), store.branch()));
                          StoreNames names(store.db(), store.branch(), staged);
                          return Planner(store, names, report).Plan(defs, file);
                        }));
  report.staged = std::move(ops);
  return report;
}

}  // namespace weft::workspace
