// Canonicalization: parsed definitions to content-addressed items.
//
// Names are resolved (bound variables to de Bruijn indices, references to item
// hashes, constructors to (type, case index)), definitions that refer to each
// other are grouped into strongly connected components, members of a component
// are put in canonical order, and each member becomes one item whose body holds
// the whole component plus its own position. See docs/language.md.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"
#include "core/hash.h"
#include "lang/ast.h"

namespace weft::lang {

struct CaseInfo {
  std::string name;
  std::size_t arity = 0;
};

// What canonicalization needs to know about names outside the file.
class NameResolver {
 public:
  virtual ~NameResolver() = default;
  virtual Result<std::optional<Digest>> Term(const std::string& name) = 0;
  virtual Result<std::optional<Digest>> Type(const std::string& name) = 0;
  // The cases of a stored variant type, in order (empty for a record type).
  virtual Result<std::vector<CaseInfo>> TypeCases(const Digest& type) = 0;
  // Resolves a hash prefix (8+ hex digits) to exactly one stored item.
  virtual Result<Digest> HashPrefix(const std::string& hex) = 0;
  // Names outside the file that a mistyped `name` may have meant (for "did you
  // mean"); the caller picks the nearest. None by default.
  virtual std::vector<std::string> Candidates(const std::string& name) {
    (void)name;
    return {};
  }
};

// Computes an item's hash from its parts (model/item.h owns the formula).
using ItemHasher = std::function<Digest(DefKind, const std::vector<Digest>& refs, ByteView body)>;

struct CanonicalItem {
  DefKind kind;
  std::string name;  // as defined in the file
  Digest hash;
  std::vector<Digest> refs;  // sorted, unique
  Bytes body;
  Bytes display;
  std::size_t source = 0;  // the definition's position in the input list
};

// Items come out component by component, dependencies before dependents.
// = AssembleComponents(ResolveDefinitions(...)).
Result<std::vector<CanonicalItem>> Canonicalize(const std::vector<Definition>& defs,
                                                NameResolver& resolver, const ItemHasher& hasher,
                                                std::string_view file);

// Resolves names: bound variables to de Bruijn indices, references to items
// (kItem) or to other definitions of the list (kSelf holding the list position).
Result<std::vector<Definition>> ResolveDefinitions(const std::vector<Definition>& defs,
                                                   NameResolver& resolver, std::string_view file);

// Groups resolved definitions (kSelf = list position) into strongly connected
// components and hashes each, dependencies first. Definitions from several
// sources (a file, and stored items being re-pointed at it) hash exactly as if
// they had been written in one file.
Result<std::vector<CanonicalItem>> AssembleComponents(const std::vector<Definition>& resolved,
                                                      const ItemHasher& hasher);

// Orders and encodes one component whose references are already resolved: kSelf
// targets are positions in `members`, everything else is an item target. Used by
// Canonicalize and to re-hash a stored component after its references change.
Result<std::vector<CanonicalItem>> CanonicalizeComponent(const std::vector<Definition>& members,
                                                         const ItemHasher& hasher);

// Resolves a free-standing expression (for `weft eval`): no component, no self
// references; the result's targets are all items.
Result<ExprPtr> ResolveExpression(const ExprPtr& expr, NameResolver& resolver,
                                  std::string_view file);

}  // namespace weft::lang
