// Rebuilding syntax trees with their reference targets rewritten. Used to move
// file-local references to component positions, to compute shape hashes, and to
// re-point dependents at a new item (propagation).
#pragma once

#include <functional>

#include "lang/ast.h"

namespace weft::lang {

using TargetMap = std::function<Target(const Target&)>;

ExprPtr MapTargets(const ExprPtr& e, const TargetMap& f);
PatternPtr MapTargets(const PatternPtr& p, const TargetMap& f);
TypeExprPtr MapTargets(const TypeExprPtr& t, const TargetMap& f);
Definition MapTargets(const Definition& d, const TargetMap& f);

// Calls `f` with the name of every reference in `d` that source wrote by name:
// terms, constructors' and patterns' types, type references (empty in trees
// decoded from the canonical form).
void ForEachNamedReference(const Definition& d, const std::function<void(const std::string&)>& f);

}  // namespace weft::lang
