// Parser: tokens to definitions and expressions, with file:line:col errors.
//
// Grammar (docs/language.md has the full version):
//   file  := def*
//   def   := 'fn' NAME param* '=' expr | 'val' NAME '=' expr | 'type' NAME '=' typebody
//   expr  := 'let' x '=' expr 'in' expr | 'fun' x+ '->' expr
//          | 'if' expr 'then' expr 'else' expr | 'match' expr 'with' ('|' pat '->' expr)+
//          | binary
// Operators, loosest first: |>  ||  &&  (== != < <= > >=)  (:: ++, right)  (+ -)  (* / %)
// then application by juxtaposition, then atoms with `.field` access.
// Nesting deeper than kMaxDepth is an error, never a stack overflow.
#pragma once

#include <string_view>
#include <vector>

#include "core/error.h"
#include "lang/ast.h"

namespace weft::lang {

// Levels of nested expressions, patterns or types (parentheses, lists, lets...).
inline constexpr int kMaxDepth = 1000;

Result<std::vector<Definition>> ParseFile(std::string_view source, std::string_view file);
Result<ExprPtr> ParseExpression(std::string_view source, std::string_view file);

}  // namespace weft::lang
