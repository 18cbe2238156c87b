// Lexer: source text to tokens, with line:column positions.
//
// A qualified name (`Demo.Math.add`, `p.x`) is one token when its dots touch the
// identifiers on both sides; the parser decides whether it is a reference or a
// field access. Comments run from `--` to the end of the line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "lang/ast.h"

namespace weft::lang {

enum class Tok : std::uint8_t {
  kEof,
  kInt,
  kFloat,
  kString,
  kName,     // identifier or dotted name
  kHashRef,  // #<hex>
  kKeyword,  // fn val type let in fun if then else match with of true false
  kSymbol,   // punctuation and operators
};

struct Token {
  Tok kind = Tok::kEof;
  std::string text;  // name, keyword, symbol, or decoded string literal
  std::int64_t int_value = 0;
  // The literal is 9223372036854775808 (2^63): valid only negated, as the least Int.
  bool int_is_2_pow_63 = false;
  double float_value = 0;
  Pos pos;
  std::size_t offset = 0;  // byte offset of the token's first character
};

// `file` names the input in error messages ("file:line:col: ...").
Result<std::vector<Token>> Lex(std::string_view source, std::string_view file);

std::string Where(std::string_view file, Pos pos);

// An error whose message starts with Where(file, pos), with the source line it
// points at and a caret under the column appended on two more lines:
//   demo.weft:3:14: expected an expression, found ')'
//     3 | fn Demo.M.f x = )
//       |                 ^
// Other errors come back unchanged.
weft::Error WithSourceLine(const weft::Error& e, std::string_view source, std::string_view file);

}  // namespace weft::lang
