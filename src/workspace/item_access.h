// The store seen through the language's eyes: name lookup for canonicalization
// (committed bindings of a branch, overlaid with that branch's staged edits) and
// item loading for evaluation and printing.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "lang/canonicalize.h"
#include "lang/evaluator.h"
#include "lang/printer.h"
#include "model/item.h"
#include "model/op.h"
#include "store/sqlite.h"

namespace weft {

class StoreNames : public lang::NameResolver {
 public:
  // `staged`: ops staged on `branch`, applied over its committed bindings.
  StoreNames(Db& db, std::string branch, const std::vector<Op>& staged = {});

  Result<std::optional<Digest>> Term(const std::string& name) override;
  Result<std::optional<Digest>> Type(const std::string& name) override;
  Result<std::vector<lang::CaseInfo>> TypeCases(const Digest& type) override;
  Result<Digest> HashPrefix(const std::string& hex) override;
  // Bound and staged names with the same owner (first part) as `name`.
  std::vector<std::string> Candidates(const std::string& name) override;

  // The binding of `name` in `ns` after staged edits (nullopt: unbound).
  Result<std::optional<ItemHash>> Lookup(Namespace ns, const std::string& name);
  // Every name in `ns` bound to `item` after staged edits, sorted.
  Result<std::vector<std::string>> NamesBoundTo(Namespace ns, const ItemHash& item);
  // Items bound by staged edits (not committed, so not in the dependencies
  // projection) whose refs include `item`.
  Result<std::vector<ItemHash>> StagedDependentsOf(const ItemHash& item);

 private:
  Db& db_;
  std::string branch_;
  // Staged overlay: (ns, name) -> item, or nullopt for a staged unbind.
  std::map<std::pair<Namespace, std::string>, std::optional<ItemHash>> staged_;
  // Built on first use: ref -> staged items that refer to it.
  std::optional<std::map<ItemHash, std::vector<ItemHash>>> staged_dependents_;
};

class StoreItems : public lang::ItemLoader {
 public:
  explicit StoreItems(Db& db) : db_(db) {}
  Result<std::optional<lang::StoredItem>> Load(const Digest& item) override;

 private:
  Db& db_;
};

// Names that staged edits bind items to, which printing prefers (`weft diff`).
using StagedNames = std::shared_ptr<const std::map<ItemHash, std::string>>;

// Names for printing: the name staged for an item, else the first name bound to it
// on `branch`, else `#<short>`.
lang::PrintNames BranchPrintNames(Db& db, const std::string& branch, StagedNames staged = {});

// Decodes a stored item's component (kCorruption/kNotFound on failure).
Result<lang::DecodedComponent> DecodeStoredItem(Db& db, const ItemHash& item);

// Renames each member of a decoded component to the name bound to it on `branch`
// (members bound nowhere keep the name they were written with), so printing shows
// today's names, self references included. The item itself shows as `preferred`
// when given: the name it is asked for under (bound, staged, or bound before or
// after a change), though the same content may be bound under other names too.
Status UseBoundNames(Db& db, const std::string& branch, lang::DecodedComponent& dc,
                     const std::string& preferred = {});

// The item's source as `weft show` prints it, with `branch`'s names.
Result<std::string> PrintStoredItem(Db& db, const std::string& branch, const ItemHash& item,
                                    const std::string& preferred = {}, StagedNames staged = {});

// The lang::ItemHasher for model items.
Digest HashForLang(lang::DefKind kind, const std::vector<Digest>& refs, ByteView body);

}  // namespace weft
