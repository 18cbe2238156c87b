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
// Nesting deeper than kMaxNesting (lang/nesting.h) is an error naming the limit,
// never a stack overflow: brackets and operator chains both count.
#pragma once

#include <string_view>
#include <vector>

#include "core/error.h"
#include "lang/ast.h"
#include "lang/nesting.h"

namespace weft::lang {

Result<std::vector<Definition>> ParseFile(std::string_view source, std::string_view file);
Result<ExprPtr> ParseExpression(std::string_view source, std::string_view file);

}  // namespace weft::lang
