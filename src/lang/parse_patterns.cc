// Patterns in match cases. Part of the Parser (parser_impl.h).
#include "lang/parser_impl.h"

namespace weft::lang::internal {

Result<PatternPtr> Parser::PatternExpr() {
  WEFT_TRY(Enter());
  Leave leave{depth_};
  Pos pos = Peek().pos;
  WEFT_ASSIGN_OR_RETURN(PatternPtr head, PatternApp());
  if (IsSym("::")) {
    Next();
    WEFT_ASSIGN_OR_RETURN(PatternPtr tail, PatternExpr());
    return MakePattern(PCons{head, tail}, pos);
  }
  return head;
}

Result<PatternPtr> Parser::PatternApp() {
  Pos pos = Peek().pos;
  if (Peek().kind == Tok::kName && std::isupper(static_cast<unsigned char>(Peek().text[0]))) {
    WEFT_ASSIGN_OR_RETURN(PCtor ctor, CtorName());
    while (StartsPatternAtom()) {
      WEFT_ASSIGN_OR_RETURN(PatternPtr arg, PatternAtom());
      ctor.args.push_back(arg);
    }
    return MakePattern(std::move(ctor), pos);
  }
  return PatternAtom();
}

Result<PCtor> Parser::CtorName() {
  const Token& tok = Peek();
  std::vector<std::string> parts = Split(tok.text);
  if (parts.size() < 3) {
    return Error("expected a constructor as Owner.Module.Type.Case");
  }
  Next();
  PCtor c;
  c.case_name = parts.back();
  c.type_name = tok.text.substr(0, tok.text.size() - c.case_name.size() - 1);
  return c;
}

bool Parser::StartsPatternAtom() const {
  const Token& tok = Peek();
  if (tok.kind == Tok::kInt || tok.kind == Tok::kFloat || tok.kind == Tok::kString ||
      tok.kind == Tok::kName) {
    return true;
  }
  if (tok.kind == Tok::kKeyword) return tok.text == "true" || tok.text == "false";
  return tok.kind == Tok::kSymbol && (tok.text == "_" || tok.text == "(" || tok.text == "[" ||
                                      tok.text == "{" || tok.text == "-");
}

Result<PatternPtr> Parser::PatternAtom() {
  Pos pos = Peek().pos;
  const Token& tok = Peek();
  if (tok.kind == Tok::kInt) {
    WEFT_ASSIGN_OR_RETURN(std::int64_t v, IntLiteral());
    return MakePattern(PLit{Literal{v}}, pos);
  }
  if (tok.kind == Tok::kFloat) return MakePattern(PLit{Literal{Next().float_value}}, pos);
  if (tok.kind == Tok::kString) return MakePattern(PLit{Literal{Next().text}}, pos);
  if (tok.kind == Tok::kKeyword && (tok.text == "true" || tok.text == "false")) {
    return MakePattern(PLit{Literal{Next().text == "true"}}, pos);
  }
  if (IsSym("-")) {
    Next();
    if (Peek().kind == Tok::kInt) return MakePattern(PLit{Literal{NegatedIntLiteral()}}, pos);
    if (Peek().kind == Tok::kFloat) return MakePattern(PLit{Literal{-Next().float_value}}, pos);
    return Error("expected a number after '-' in a pattern");
  }
  if (IsSym("_")) {
    Next();
    return MakePattern(PWild{}, pos);
  }
  if (tok.kind == Tok::kName) {
    if (IsLowerIdent(tok.text)) return MakePattern(PVar{Next().text}, pos);
    if (std::isupper(static_cast<unsigned char>(tok.text[0]))) {
      WEFT_ASSIGN_OR_RETURN(PCtor ctor, CtorName());
      return MakePattern(std::move(ctor), pos);
    }
    return Error("expected a pattern");
  }
  if (IsSym("(")) {
    Next();
    if (IsSym(")")) {
      Next();
      return MakePattern(PLit{Literal{}}, pos);
    }
    WEFT_ASSIGN_OR_RETURN(PatternPtr inner, PatternExpr());
    WEFT_TRY(Expect(")", "expected ')' to close the pattern"));
    return inner;
  }
  if (IsSym("[")) {
    Next();
    if (IsSym("]")) {
      Next();
      return MakePattern(PNil{}, pos);
    }
    PList list;
    while (true) {
      WEFT_ASSIGN_OR_RETURN(PatternPtr item, PatternExpr());
      list.items.push_back(item);
      if (!IsSym(",")) break;
      Next();
    }
    WEFT_TRY(Expect("]", "expected ']' or ',' in the list pattern"));
    return MakePattern(std::move(list), pos);
  }
  if (IsSym("{")) {
    Next();
    PRecord rec;
    std::set<std::string> seen;
    while (!IsSym("}")) {
      Pos fpos = Peek().pos;
      WEFT_ASSIGN_OR_RETURN(std::string field, LowerIdent("expected a field name"));
      if (!seen.insert(field).second) return Error(fmt::format("field {} is matched twice", field));
      PatternPtr p;
      if (IsSym("=")) {
        Next();
        WEFT_ASSIGN_OR_RETURN(p, PatternExpr());
      } else {
        p = MakePattern(PVar{field}, fpos);  // { x } binds x
      }
      rec.fields.emplace_back(std::move(field), p);
      if (!IsSym(",")) break;
      Next();
    }
    WEFT_TRY(Expect("}", "expected '}' or ',' in the record pattern"));
    return MakePattern(std::move(rec), pos);
  }
  return Error("expected a pattern");
}

}  // namespace weft::lang::internal
