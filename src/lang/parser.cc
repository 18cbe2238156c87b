#include "lang/parser.h"

#include "lang/parser_impl.h"

namespace weft::lang {

using internal::Parser;

namespace internal {

Result<std::vector<Definition>> Parser::File() {
  std::vector<Definition> defs;
  while (!AtEof()) {
    WEFT_ASSIGN_OR_RETURN(Definition d, Def());
    WEFT_TRY(CheckNesting(d, Where(file_, d.pos)));
    defs.push_back(std::move(d));
  }
  for (std::size_t i = 0; i < defs.size(); ++i) {
    std::size_t end = i + 1 < defs.size() ? def_offsets_[i + 1] : src_.size();
    std::string text(src_.substr(def_offsets_[i], end - def_offsets_[i]));
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    defs[i].source = std::move(text);
  }
  return defs;
}

Result<ExprPtr> Parser::SingleExpression() {
  WEFT_ASSIGN_OR_RETURN(ExprPtr e, Expression());
  if (!AtEof()) return Error("expected the end of the expression");
  if (std::size_t depth = NestingDepth(*e); depth > kMaxNesting) {
    return Fail(ErrorCode::kInvalidArgument, "{}: nests {} levels deep; the limit is {}",
                Where(file_, e->pos), depth, kMaxNesting);
  }
  return e;
}

Result<Definition> Parser::Def() {
  Definition d;
  d.pos = Peek().pos;
  def_offsets_.push_back(Peek().offset);
  if (IsKw("fn")) {
    Next();
    d.kind = DefKind::kFn;
    WEFT_ASSIGN_OR_RETURN(d.name, QualifiedName("after 'fn'"));
    WEFT_ASSIGN_OR_RETURN(std::vector<std::string> params, Params());
    if (IsSym("_")) return Error("parameters must be named");
    WEFT_TRY(Expect("=", params.empty() ? "expected a parameter or '=' after the function name"
                                        : "expected '=' after parameters"));
    WEFT_ASSIGN_OR_RETURN(ExprPtr body, Expression());
    d.body = params.empty() ? body : MakeExpr(ELambda{std::move(params), body}, d.pos);
    return d;
  }
  if (IsKw("val")) {
    Next();
    d.kind = DefKind::kVal;
    WEFT_ASSIGN_OR_RETURN(d.name, QualifiedName("after 'val'"));
    WEFT_TRY(Expect("=", "expected '=' after the value's name"));
    WEFT_ASSIGN_OR_RETURN(d.body, Expression());
    return d;
  }
  if (IsKw("type")) {
    Next();
    d.kind = DefKind::kType;
    WEFT_ASSIGN_OR_RETURN(d.name, QualifiedName("after 'type'"));
    WEFT_TRY(Expect("=", "expected '=' after the type's name"));
    WEFT_ASSIGN_OR_RETURN(d.type, TypeDefBody());
    return d;
  }
  return Error("expected a definition ('fn', 'val' or 'type')");
}

Result<ExprPtr> Parser::Expression() {
  WEFT_TRY(Enter());
  Leave leave{depth_};
  Pos pos = Peek().pos;
  if (IsKw("let")) {
    Next();
    WEFT_ASSIGN_OR_RETURN(std::string name, LowerIdent("expected a name after 'let'"));
    WEFT_TRY(Expect("=", "expected '=' after the let-bound name"));
    WEFT_ASSIGN_OR_RETURN(ExprPtr value, Expression());
    if (!IsKw("in")) return Error("expected 'in' after the let-bound value");
    Next();
    WEFT_ASSIGN_OR_RETURN(ExprPtr body, Expression());
    return MakeExpr(ELet{std::move(name), value, body}, pos);
  }
  if (IsKw("fun")) {
    Next();
    WEFT_ASSIGN_OR_RETURN(std::vector<std::string> params, Params());
    if (params.empty()) return Error("expected a parameter after 'fun'");
    WEFT_TRY(Expect("->", "expected '->' after the parameters"));
    WEFT_ASSIGN_OR_RETURN(ExprPtr body, Expression());
    return MakeExpr(ELambda{std::move(params), body}, pos);
  }
  if (IsKw("if")) {
    Next();
    WEFT_ASSIGN_OR_RETURN(ExprPtr c, Expression());
    if (!IsKw("then")) return Error("expected 'then' after the condition");
    Next();
    WEFT_ASSIGN_OR_RETURN(ExprPtr t, Expression());
    if (!IsKw("else")) return Error("expected 'else' after the 'then' branch");
    Next();
    WEFT_ASSIGN_OR_RETURN(ExprPtr e, Expression());
    return MakeExpr(EIf{c, t, e}, pos);
  }
  if (IsKw("match")) {
    Next();
    WEFT_ASSIGN_OR_RETURN(ExprPtr scrutinee, Expression());
    if (!IsKw("with")) return Error("expected 'with' after the matched expression");
    Next();
    EMatch m{scrutinee, {}};
    while (IsSym("|")) {
      Next();
      WEFT_ASSIGN_OR_RETURN(PatternPtr p, PatternExpr());
      WEFT_TRY(Expect("->", "expected '->' after the pattern"));
      WEFT_ASSIGN_OR_RETURN(ExprPtr body, Expression());
      m.cases.push_back(MatchCase{p, body});
    }
    if (m.cases.empty()) return Error("expected '|' to start a match case");
    return MakeExpr(std::move(m), pos);
  }
  return Binary(0);
}

const Parser::OpInfo* Parser::FindOp(const Token& tok) {
  static constexpr OpInfo kOps[] = {
      {"|>", BinOp::kPipe, 0, false}, {"||", BinOp::kOr, 1, true},     {"&&", BinOp::kAnd, 2, true},
      {"==", BinOp::kEq, 3, false},   {"!=", BinOp::kNe, 3, false},    {"<", BinOp::kLt, 3, false},
      {"<=", BinOp::kLe, 3, false},   {">", BinOp::kGt, 3, false},     {">=", BinOp::kGe, 3, false},
      {"::", BinOp::kCons, 4, true},  {"++", BinOp::kConcat, 4, true}, {"+", BinOp::kAdd, 5, false},
      {"-", BinOp::kSub, 5, false},   {"*", BinOp::kMul, 6, false},    {"/", BinOp::kDiv, 6, false},
      {"%", BinOp::kMod, 6, false},
  };
  if (tok.kind != Tok::kSymbol) return nullptr;
  for (const auto& o : kOps) {
    if (o.text == tok.text) return &o;
  }
  return nullptr;
}

Result<ExprPtr> Parser::Binary(int level) {
  if (level > 6) return Application();
  WEFT_ASSIGN_OR_RETURN(ExprPtr left, Binary(level + 1));
  // Each operator of a chain nests the tree one level deeper, left- or
  // right-associative alike, so each counts like a bracket.
  Restore restore{depth_, depth_};
  while (const OpInfo* op = FindOp(Peek())) {
    if (op->level != level) break;
    Pos pos = Peek().pos;
    Next();
    WEFT_TRY(Enter());
    WEFT_ASSIGN_OR_RETURN(ExprPtr right, op->right ? Binary(level) : Binary(level + 1));
    left = MakeExpr(EBinary{op->op, left, right}, pos);
    if (op->right) break;
  }
  return left;
}

bool Parser::StartsAtom() const {
  const Token& tok = Peek();
  switch (tok.kind) {
    case Tok::kInt:
    case Tok::kFloat:
    case Tok::kString:
    case Tok::kName:
    case Tok::kHashRef:
      return true;
    case Tok::kKeyword:
      return tok.text == "true" || tok.text == "false";
    case Tok::kSymbol:
      return tok.text == "(" || tok.text == "[" || tok.text == "{";
    default:
      return false;
  }
}

Result<ExprPtr> Parser::Application() {
  Pos pos = Peek().pos;
  if (IsSym("-")) {  // unary minus
    Next();
    WEFT_TRY(Enter());
    Leave leave{depth_};
    if (Peek().kind == Tok::kInt) return MakeExpr(Literal{NegatedIntLiteral()}, pos);
    if (Peek().kind == Tok::kFloat) return MakeExpr(Literal{-Next().float_value}, pos);
    WEFT_ASSIGN_OR_RETURN(ExprPtr operand, Application());
    return MakeExpr(EBinary{BinOp::kSub, MakeExpr(Literal{std::int64_t{0}}, pos), operand}, pos);
  }
  if (Peek().kind == Tok::kKeyword && !StartsAtom()) {
    const std::string& kw = Peek().text;
    if (kw == "let" || kw == "if" || kw == "fun" || kw == "match") return Expression();
  }
  WEFT_ASSIGN_OR_RETURN(ExprPtr fn, Postfix());
  std::vector<ExprPtr> args;
  while (StartsAtom()) {
    WEFT_ASSIGN_OR_RETURN(ExprPtr arg, Postfix());
    args.push_back(arg);
  }
  if (args.empty()) return fn;
  return MakeExpr(EApp{fn, std::move(args)}, pos);
}

Result<ExprPtr> Parser::Postfix() {
  WEFT_ASSIGN_OR_RETURN(ExprPtr e, Atom());
  Restore restore{depth_, depth_};
  while (IsSym(".") && Peek(1).kind == Tok::kName) {
    Next();
    Pos pos = Peek().pos;
    for (auto& f : Split(Next().text)) {
      WEFT_TRY(Enter());  // each field access nests one level
      e = MakeExpr(EField{e, f}, pos);
    }
  }
  return e;
}

Result<ExprPtr> Parser::Atom() {
  Pos pos = Peek().pos;
  const Token& tok = Peek();
  switch (tok.kind) {
    case Tok::kInt: {
      WEFT_ASSIGN_OR_RETURN(std::int64_t v, IntLiteral());
      return MakeExpr(Literal{v}, pos);
    }
    case Tok::kFloat:
      return MakeExpr(Literal{Next().float_value}, pos);
    case Tok::kString:
      return MakeExpr(Literal{Next().text}, pos);
    case Tok::kHashRef:
      return MakeExpr(ERef{"#" + Next().text, {}}, pos);
    case Tok::kKeyword:
      if (tok.text == "true" || tok.text == "false")
        return MakeExpr(Literal{Next().text == "true"}, pos);
      break;
    case Tok::kName: {
      std::string text = Next().text;
      std::vector<std::string> parts = Split(text);
      if (parts.size() > kMaxNesting) {
        return Fail(ErrorCode::kInvalidArgument,
                    "{}: a name of {} parts nests deeper than {} levels", Where(file_, pos),
                    parts.size(), kMaxNesting);
      }
      if (std::islower(static_cast<unsigned char>(text[0])) || text[0] == '_') {
        ExprPtr e = MakeExpr(EVar{parts[0], 0}, pos);
        for (std::size_t k = 1; k < parts.size(); ++k) e = MakeExpr(EField{e, parts[k]}, pos);
        return e;
      }
      if (parts.size() < 2) {
        return Fail(ErrorCode::kInvalidArgument,
                    "{}: unknown name {} (refer to items by their full name)", Where(file_, pos),
                    text);
      }
      if (parts[0] == "Builtin") return MakeExpr(EBuiltin{text}, pos);
      return MakeExpr(ERef{text, {}}, pos);
    }
    case Tok::kSymbol:
      if (tok.text == "(") {
        Next();
        if (IsSym(")")) {
          Next();
          return MakeExpr(Literal{}, pos);
        }
        WEFT_ASSIGN_OR_RETURN(ExprPtr inner, Expression());
        WEFT_TRY(Expect(")", "expected ')'"));
        return inner;
      }
      if (tok.text == "[") {
        Next();
        EList list;
        while (!IsSym("]")) {
          WEFT_ASSIGN_OR_RETURN(ExprPtr item, Expression());
          list.items.push_back(item);
          if (!IsSym(",")) break;
          Next();
        }
        WEFT_TRY(Expect("]", "expected ']' or ',' in the list"));
        return MakeExpr(std::move(list), pos);
      }
      if (tok.text == "{") {
        Next();
        ERecord rec;
        std::set<std::string> seen;
        while (!IsSym("}")) {
          WEFT_ASSIGN_OR_RETURN(std::string field, LowerIdent("expected a field name"));
          if (!seen.insert(field).second)
            return Error(fmt::format("field {} is given twice", field));
          WEFT_TRY(Expect("=", "expected '=' after the field name"));
          WEFT_ASSIGN_OR_RETURN(ExprPtr value, Expression());
          rec.fields.emplace_back(std::move(field), value);
          if (!IsSym(",")) break;
          Next();
        }
        WEFT_TRY(Expect("}", "expected '}' or ',' in the record"));
        return MakeExpr(std::move(rec), pos);
      }
      break;
    default:
      break;
  }
  return Error("expected an expression");
}

}  // namespace internal

namespace {

// Lexing and parsing of `source`, whose errors gain the line they point at.
template <typename T>
Result<T> ShowingTheLine(Result<T> r, std::string_view source, std::string_view file) {
  if (r) return r;
  return std::unexpected(WithSourceLine(r.error(), source, file));
}

Result<std::vector<Definition>> ParseFileImpl(std::string_view source, std::string_view file) {
  WEFT_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lex(source, file));
  Parser p(std::move(tokens), source, file);
  WEFT_ASSIGN_OR_RETURN(std::vector<Definition> defs, p.File());
  std::set<std::pair<bool, std::string>> seen;
  for (const auto& d : defs) {
    if (!seen.insert({d.kind == DefKind::kType, d.name}).second) {
      return Fail(ErrorCode::kInvalidArgument, "{}: {} is defined twice in this file",
                  Where(file, d.pos), d.name);
    }
  }
  return defs;
}

Result<ExprPtr> ParseExpressionImpl(std::string_view source, std::string_view file) {
  WEFT_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lex(source, file));
  Parser p(std::move(tokens), source, file);
  return p.SingleExpression();
}

}  // namespace

Result<std::vector<Definition>> ParseFile(std::string_view source, std::string_view file) {
  return ShowingTheLine(ParseFileImpl(source, file), source, file);
}

Result<ExprPtr> ParseExpression(std::string_view source, std::string_view file) {
  return ShowingTheLine(ParseExpressionImpl(source, file), source, file);
}

}  // namespace weft::lang
