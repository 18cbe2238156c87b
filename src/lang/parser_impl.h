// The parser's internals: one recursive-descent Parser whose methods live in
// parser.cc (definitions and expressions), parse_types.cc and parse_patterns.cc.
// Not part of lang's interface; include lang/parser.h instead.
#pragma once

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "lang/lexer.h"
#include "lang/parser.h"

namespace weft::lang::internal {

inline bool IsLowerIdent(std::string_view s) {
  return !s.empty() && (std::islower(static_cast<unsigned char>(s[0])) || s[0] == '_') &&
         s.find('.') == std::string_view::npos;
}
inline bool IsUpperIdent(std::string_view s) {
  return !s.empty() && std::isupper(static_cast<unsigned char>(s[0])) &&
         s.find('.') == std::string_view::npos;
}
inline std::vector<std::string> Split(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = s.find('.', start);
    out.emplace_back(s.substr(start, dot == std::string_view::npos ? s.npos : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

inline const std::set<std::string, std::less<>> kBuiltinTypes = {"Int", "Float", "String", "Bool",
                                                                 "Unit"};

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::string_view source, std::string_view file)
      : t_(std::move(tokens)), src_(source), file_(file) {}

  Result<std::vector<Definition>> File();

  Result<ExprPtr> SingleExpression();

 private:
  const Token& Peek(std::size_t ahead = 0) const { return t_[std::min(i_ + ahead, t_.size() - 1)]; }
  bool AtEof() const { return Peek().kind == Tok::kEof; }
  bool IsSym(std::string_view s, std::size_t ahead = 0) const {
    return Peek(ahead).kind == Tok::kSymbol && Peek(ahead).text == s;
  }
  bool IsKw(std::string_view s) const { return Peek().kind == Tok::kKeyword && Peek().text == s; }
  const Token& Next() { return t_[std::min(i_++, t_.size() - 1)]; }

  std::unexpected<weft::Error> Error(std::string_view what) const {
    const Token& tok = Peek();
    std::string found = tok.kind == Tok::kEof ? "the end of the input" : "'" + tok.text + "'";
    if (tok.kind == Tok::kString) found = "a string";
    return Fail(ErrorCode::kInvalidArgument, "{}: {}, found {}", Where(file_, tok.pos), what,
                found);
  }
  Status Expect(std::string_view sym, std::string_view what) {
    if (!IsSym(sym)) return Error(what);
    Next();
    return {};
  }
  // Counts one level of nesting (a bracket, a keyword form, an operator of a chain).
  Status Enter() {
    if (static_cast<std::size_t>(++depth_) > kMaxNesting) {
      return Fail(ErrorCode::kInvalidArgument,
                  "{}: nesting is deeper than {} levels (operator chains count like brackets)",
                  Where(file_, Peek().pos), kMaxNesting);
    }
    return {};
  }
  struct Leave {
    int& d;
    ~Leave() { --d; }
  };
  // Restores the depth counter at scope exit, after a loop that entered several times.
  struct Restore {
    int& d;
    int saved;
    ~Restore() { d = saved; }
  };

  // Consumes an Int literal token as written; 2^63 fits only negated.
  Result<std::int64_t> IntLiteral() {
    const Token& tok = Next();
    if (tok.int_is_2_pow_63) {
      return Fail(ErrorCode::kInvalidArgument, "{}: integer literal {} does not fit in 64 bits",
                  Where(file_, tok.pos), tok.text);
    }
    return tok.int_value;
  }
  // Consumes an Int literal token that follows a minus sign.
  std::int64_t NegatedIntLiteral() {
    const Token& tok = Next();
    return tok.int_is_2_pow_63 ? tok.int_value : -tok.int_value;
  }

  Result<std::string> QualifiedName(std::string_view what) {
    if (Peek().kind != Tok::kName || Split(Peek().text).size() < 2 ||
        !std::isupper(static_cast<unsigned char>(Peek().text[0]))) {
      return Error(fmt::format("expected a fully-qualified name (Owner.Module.name) {}", what));
    }
    return Next().text;
  }
  // Parameter names up to the next token that is not one; a name given twice is
  // an error (the second would shadow the first and leave it unusable).
  Result<std::vector<std::string>> Params() {
    std::vector<std::string> params;
    while (Peek().kind == Tok::kName && IsLowerIdent(Peek().text)) {
      if (std::find(params.begin(), params.end(), Peek().text) != params.end()) {
        return Fail(ErrorCode::kInvalidArgument, "{}: the parameter {} is named twice",
                    Where(file_, Peek().pos), Peek().text);
      }
      params.push_back(Next().text);
    }
    return params;
  }
  Result<std::string> LowerIdent(std::string_view what) {
    if (Peek().kind != Tok::kName || !IsLowerIdent(Peek().text)) return Error(what);
    return Next().text;
  }

  Result<Definition> Def();

  // Expressions (parser.cc).
  Result<ExprPtr> Expression();

  struct OpInfo {
    std::string_view text;
    BinOp op;
    int level;
    bool right;
  };
  static const OpInfo* FindOp(const Token& tok);

  Result<ExprPtr> Binary(int level);

  bool StartsAtom() const;

  Result<ExprPtr> Application();

  Result<ExprPtr> Postfix();

  Result<ExprPtr> Atom();

  // ---- patterns

  // Types (parse_types.cc).
  Result<TypeBody> TypeDefBody();
  Result<TypeExprPtr> TypeExpression();
  Result<TypeExprPtr> TypeAtom();
  // Patterns (parse_patterns.cc).
  Result<PatternPtr> PatternExpr();
  Result<PatternPtr> PatternApp();
  Result<PCtor> CtorName();
  bool StartsPatternAtom() const;
  Result<PatternPtr> PatternAtom();

  std::vector<Token> t_;
  std::size_t i_ = 0;
  std::string_view src_;
  std::string_view file_;
  int depth_ = 0;
  std::vector<std::size_t> def_offsets_;
};

}  // namespace weft::lang::internal
