// The one nesting limit of the language: how deep a syntax tree may be.
//
// The parser, the canonical encoder and the decoder all enforce kMaxNesting on
// the same measure, NestingDepth (the number of nodes on the longest path from
// the root, expression, pattern and type nodes alike), so whatever `weft add`
// accepts the decoder reads back, and every recursive pass over a tree (resolving,
// hashing, printing, evaluating) stays far from the end of the stack. Operator
// chains count like brackets: `1 + 1 + 1` is three levels deep.
#pragma once

#include <cstddef>

#include "core/error.h"
#include "lang/ast.h"

namespace weft::lang {

inline constexpr std::size_t kMaxNesting = 1000;

// Computed without recursion, so any tree can be measured.
std::size_t NestingDepth(const Expr& e);
std::size_t NestingDepth(const Definition& d);

// kInvalidArgument naming the limit when `d` nests deeper than kMaxNesting.
// `where` prefixes the message (a file:line:col or a name).
Status CheckNesting(const Definition& d, std::string_view where);

}  // namespace weft::lang
