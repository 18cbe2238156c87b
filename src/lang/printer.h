// Pretty printer: a decoded component back to weft source.
//
// Bound variables print with their original names (display metadata); references
// print as whatever the caller says they are called now (usually the name bound on
// the current branch, or `#<short hash>` when nothing is bound). Parsing the output
// yields the same hashes, provided the names resolve to the same items.
#pragma once

#include <functional>
#include <string>

#include "lang/ast.h"
#include "lang/canonical_codec.h"

namespace weft::lang {

struct PrintNames {
  // The name to print for a reference to another item (term or type).
  std::function<std::string(const Digest&)> item;
  // The name of case `index` of a stored type.
  std::function<std::string(const Digest& type, std::uint32_t index)> case_name;
};

// Prints member `index` of `component`; self references print as the members' names.
std::string PrintDefinition(const Component& component, std::size_t index, const PrintNames& names);
// Prints every member, separated by blank lines.
std::string PrintComponent(const Component& component, const PrintNames& names);
std::string PrintExpression(const ExprPtr& e, const PrintNames& names);
std::string PrintLiteral(const Literal& l);

}  // namespace weft::lang
