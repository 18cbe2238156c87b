#include "workspace/item_access.h"

#include <algorithm>
#include <set>

#include "fold/queries.h"
#include "store/blob_store.h"
#include "workspace/not_bound.h"

namespace weft {

Digest HashForLang(lang::DefKind kind, const std::vector<Digest>& refs, ByteView body) {
  return HashItemParts(kind, refs, body);
}

StoreNames::StoreNames(Db& db, std::string branch, const std::vector<Op>& staged)
    : db_(db), branch_(std::move(branch)) {
  for (const Op& op : staged) {
    if (const auto* s = std::get_if<SetName>(&op)) staged_[{s->ns, s->location}] = s->item;
    if (const auto* r = std::get_if<Repoint>(&op)) staged_[{r->ns, r->location}] = r->item;
    if (const auto* u = std::get_if<Unname>(&op)) staged_[{u->ns, u->location}] = std::nullopt;
  }
}

Result<std::optional<ItemHash>> StoreNames::Lookup(Namespace ns, const std::string& name) {
  if (auto it = staged_.find({ns, name}); it != staged_.end()) return it->second;
  WEFT_ASSIGN_OR_RETURN(auto b, FindBinding(db_, branch_, name, ns));
  if (!b) return std::optional<ItemHash>();
  return std::optional<ItemHash>(b->item);
}

Result<std::vector<std::string>> StoreNames::NamesBoundTo(Namespace ns, const ItemHash& item) {
  std::set<std::string> out;
  WEFT_ASSIGN_OR_RETURN(auto committed, NamesOf(db_, branch_, item));
  for (auto& name : committed) {
    WEFT_ASSIGN_OR_RETURN(auto now, Lookup(ns, name));
    if (now && *now == item) out.insert(std::move(name));
  }
  for (const auto& [key, bound] : staged_) {
    if (key.first == ns && bound && *bound == item) out.insert(key.second);
  }
  return std::vector<std::string>(out.begin(), out.end());
}

Result<std::vector<ItemHash>> StoreNames::StagedDependentsOf(const ItemHash& item) {
  if (!staged_dependents_) {
    staged_dependents_.emplace();
    std::set<ItemHash> seen;
    for (const auto& [key, bound] : staged_) {
      if (!bound || !seen.insert(*bound).second) continue;
      WEFT_ASSIGN_OR_RETURN(auto loaded, LoadItem(db_, *bound));
      if (!loaded) continue;
      for (const ItemHash& ref : loaded->refs) (*staged_dependents_)[ref].push_back(*bound);
    }
  }
  auto it = staged_dependents_->find(item);
  if (it == staged_dependents_->end()) return std::vector<ItemHash>();
  return it->second;
}

Result<std::optional<Digest>> StoreNames::Term(const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(auto h, Lookup(Namespace::kTerm, name));
  if (!h) return std::optional<Digest>();
  return std::optional<Digest>(h->digest());
}

Result<std::optional<Digest>> StoreNames::Type(const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(auto h, Lookup(Namespace::kType, name));
  if (!h) return std::optional<Digest>();
  return std::optional<Digest>(h->digest());
}

Result<std::vector<lang::CaseInfo>> StoreNames::TypeCases(const Digest& type) {
  WEFT_ASSIGN_OR_RETURN(lang::DecodedComponent dc, DecodeStoredItem(db_, ItemHash(type)));
  const lang::Definition& d = dc.component.members[dc.self];
  std::vector<lang::CaseInfo> out;
  if (d.type) {
    for (const auto& c : d.type->cases) out.push_back(lang::CaseInfo{c.name, c.args.size()});
  }
  return out;
}

Result<Digest> StoreNames::HashPrefix(const std::string& hex) {
  WEFT_ASSIGN_OR_RETURN(ItemHash h, ResolveItemPrefix(db_, hex));
  return h.digest();
}

std::vector<std::string> StoreNames::Candidates(const std::string& name) {
  std::vector<std::string> out = workspace::BoundNamesLike(db_, branch_, name);
  const std::string owner = name.substr(0, name.find('.') + 1);
  for (const auto& [key, item] : staged_) {
    if (item && key.second.starts_with(owner)) out.push_back(key.second);
  }
  return out;
}

Result<lang::DecodedComponent> DecodeStoredItem(Db& db, const ItemHash& item) {
  WEFT_ASSIGN_OR_RETURN(auto loaded, LoadItem(db, item));
  if (!loaded) return Fail(ErrorCode::kNotFound, "item {} is not in this store", item.Short());
  std::vector<Digest> refs;
  for (const auto& r : loaded->refs) refs.push_back(r.digest());
  auto dc = lang::DecodeComponent(loaded->body, refs, loaded->display);
  if (!dc)
    return Fail(ErrorCode::kCorruption, "item {} is not weft code: {}", item.Short(),
                dc.error().message());
  return dc;
}

Result<std::optional<lang::StoredItem>> StoreItems::Load(const Digest& item) {
  WEFT_ASSIGN_OR_RETURN(auto loaded, LoadItem(db_, ItemHash(item)));
  if (!loaded) return std::optional<lang::StoredItem>();
  lang::StoredItem out{loaded->kind, {}, std::move(loaded->body), std::move(loaded->display)};
  for (const auto& r : loaded->refs) out.refs.push_back(r.digest());
  return std::optional<lang::StoredItem>(std::move(out));
}

Status UseBoundNames(Db& db, const std::string& branch, lang::DecodedComponent& dc,
                     const std::string& preferred) {
  lang::EncodedComponent enc = lang::EncodeComponent(dc.component);
  const std::size_t n = dc.component.members.size();
  for (std::size_t i = 0; i < n; ++i) {
    auto& m = dc.component.members[i];
    if (i == dc.self && !preferred.empty()) {
      m.name = preferred;
      continue;
    }
    ItemHash h(HashForLang(m.kind, enc.refs, lang::MemberBody(enc, n, i)));
    WEFT_ASSIGN_OR_RETURN(auto names, NamesOf(db, branch, h));
    if (names.empty()) continue;
    const bool asked = std::find(names.begin(), names.end(), preferred) != names.end();
    m.name = asked ? preferred : names.front();
  }
  return {};
}

lang::PrintNames BranchPrintNames(Db& db, const std::string& branch, StagedNames staged) {
  lang::PrintNames names;
  names.item = [&db, branch, staged](const Digest& d) -> std::string {
    if (staged) {
      if (auto it = staged->find(ItemHash(d)); it != staged->end()) return it->second;
    }
    auto found = NamesOf(db, branch, ItemHash(d));
    if (found && !found->empty()) return found->front();
    return "#" + DigestToHex(d).substr(0, 8);
  };
  names.case_name = [&db](const Digest& type, std::uint32_t index) -> std::string {
    auto dc = DecodeStoredItem(db, ItemHash(type));
    if (dc) {
      const auto& d = dc->component.members[dc->self];
      if (d.type && index < d.type->cases.size()) return d.type->cases[index].name;
    }
    return fmt::format("Case{}", index);
  };
  return names;
}

Result<std::string> PrintStoredItem(Db& db, const std::string& branch, const ItemHash& item,
                                    const std::string& preferred, StagedNames staged) {
  WEFT_ASSIGN_OR_RETURN(lang::DecodedComponent dc, DecodeStoredItem(db, item));
  WEFT_TRY(UseBoundNames(db, branch, dc, preferred));
  return lang::PrintDefinition(dc.component, dc.self, BranchPrintNames(db, branch, staged));
}

}  // namespace weft
