// The weft language's syntax tree, shared by the parser, the canonicalizer, the
// canonical codec, the printer and the evaluator.
//
// One tree serves both the surface form (names as written) and the canonical form
// (de Bruijn indices, references as hashes or component positions): the parser
// fills names, canonicalization fills the resolved fields, the codec writes only
// the resolved fields, and decoding refills names from display metadata. Nodes are
// immutable once built and shared by shared_ptr, so closures can hold bodies.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/hash.h"
#include "core/item_kind.h"
#include "core/overloaded.h"

namespace weft::lang {

// The item kinds of core/item_kind.h: they go on disk.
using DefKind = ItemKind;

struct Pos {
  int line = 0;
  int col = 0;
};

// Where a reference points once resolved: another item, a member of the
// component being defined (by canonical position), or a builtin type
// (lang/builtin_types.h: `self` is its position, `item` its digest).
struct Target {
  enum class Kind : std::uint8_t { kUnresolved, kItem, kSelf, kBuiltin };
  Kind kind = Kind::kUnresolved;
  Digest item{};
  std::uint32_t self = 0;
  bool operator==(const Target&) const = default;
};
inline Target ItemTarget(const Digest& d) { return Target{Target::Kind::kItem, d, 0}; }

enum class BinOp : std::uint8_t {
  kAdd = 1,
  kSub,
  kMul,
  kDiv,
  kMod,
  kConcat,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,
  kOr,
  kCons,
  kPipe,
};
const char* BinOpText(BinOp op);

struct Expr;
struct Pattern;
using ExprPtr = std::shared_ptr<const Expr>;
using PatternPtr = std::shared_ptr<const Pattern>;

struct Literal {
  std::variant<std::monostate /*unit*/, std::int64_t, double, std::string, bool> value;
  bool operator==(const Literal&) const = default;
};

struct EVar {
  std::string name;
  std::uint32_t index = 0;  // de Bruijn: 0 is the innermost binder
};
struct ERef {
  std::string name;  // fully-qualified, or "#<hex>" for a hash reference
  Target target;
};
struct ECtor {
  std::string type_name;  // e.g. Demo.Geo.Shape
  std::string case_name;  // e.g. Circle
  Target type;
  std::uint32_t case_index = 0;
};
struct EBuiltin {
  std::string name;  // e.g. Builtin.List.map
};
struct ELambda {
  std::vector<std::string> params;
  ExprPtr body;
};
struct EApp {
  ExprPtr fn;
  std::vector<ExprPtr> args;
};
struct ELet {
  std::string name;
  ExprPtr value;
  ExprPtr body;
};
struct EIf {
  ExprPtr cond, then_branch, else_branch;
};
struct MatchCase {
  PatternPtr pattern;
  ExprPtr body;
};
struct EMatch {
  ExprPtr scrutinee;
  std::vector<MatchCase> cases;
};
struct EList {
  std::vector<ExprPtr> items;
};
struct ERecord {
  std::vector<std::pair<std::string, ExprPtr>> fields;  // canonical: sorted by name
};
struct EField {
  ExprPtr record;
  std::string field;
};
struct EBinary {
  BinOp op;
  ExprPtr left, right;
};

struct Expr {
  std::variant<Literal, EVar, ERef, ECtor, EBuiltin, ELambda, EApp, ELet, EIf, EMatch, EList,
               ERecord, EField, EBinary>
      node;
  Pos pos;
};

struct PWild {};
struct PVar {
  std::string name;
};
struct PLit {
  Literal value;
};
struct PNil {};
struct PCons {
  PatternPtr head, tail;
};
struct PList {
  std::vector<PatternPtr> items;
};
struct PCtor {
  std::string type_name;
  std::string case_name;
  Target type;
  std::uint32_t case_index = 0;
  std::vector<PatternPtr> args;
};
struct PRecord {
  std::vector<std::pair<std::string, PatternPtr>> fields;  // canonical: sorted by name
};

struct Pattern {
  std::variant<PWild, PVar, PLit, PNil, PCons, PList, PCtor, PRecord> node;
  Pos pos;
};

// Type expressions (only in type definitions).
struct TypeExpr;
using TypeExprPtr = std::shared_ptr<const TypeExpr>;
struct TBuiltin {
  std::string name;  // Int, Float, String, Bool, Unit
};
struct TRef {
  std::string name;
  Target target;
};
struct TList {
  TypeExprPtr element;
};
struct TRecord {
  std::vector<std::pair<std::string, TypeExprPtr>> fields;  // canonical: sorted by name
};
struct TypeExpr {
  std::variant<TBuiltin, TRef, TList, TRecord> node;
  Pos pos;
};

struct VariantCase {
  std::string name;
  std::vector<TypeExprPtr> args;
};
struct TypeBody {
  // A record type has fields; a variant type has cases.
  std::optional<TRecord> record;
  std::vector<VariantCase> cases;
};

// One top-level definition.
struct Definition {
  DefKind kind = DefKind::kFn;
  std::string name;  // fully-qualified
  Pos pos;
  ExprPtr body;                  // fn (an ELambda when it has parameters) and val
  std::optional<TypeBody> type;  // type
  std::string source;            // the definition's text as written
  // A type's identity: the name it was created under, hashed (lang_version 2), so
  // two types of one shape and different names are different items. Empty until
  // canonicalization fills it from `name`; kept from the stored item when a type
  // is re-hashed, so renaming or re-pointing a type never changes whose it is.
  std::string identity;
  // The fully-qualified names the source referred to items by (display metadata,
  // never hashed). Propagation uses them to tell which name a dependent was
  // written against when several names hold one item. nullopt: not recorded
  // (an item stored before display version 2).
  std::optional<std::vector<std::string>> written_names;
};

using weft::Overloaded;

inline ExprPtr MakeExpr(decltype(Expr::node) node, Pos pos = {}) {
  return std::make_shared<const Expr>(Expr{std::move(node), pos});
}
inline PatternPtr MakePattern(decltype(Pattern::node) node, Pos pos = {}) {
  return std::make_shared<const Pattern>(Pattern{std::move(node), pos});
}
inline TypeExprPtr MakeType(decltype(TypeExpr::node) node, Pos pos = {}) {
  return std::make_shared<const TypeExpr>(TypeExpr{std::move(node), pos});
}

}  // namespace weft::lang
