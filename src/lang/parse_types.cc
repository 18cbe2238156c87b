// Type definitions and type expressions. Part of the Parser (parser_impl.h).
#include "lang/parser_impl.h"

namespace weft::lang::internal {

Result<TypeBody> Parser::TypeDefBody() {
  TypeBody body;
  if (IsSym("{")) {
    WEFT_ASSIGN_OR_RETURN(TypeExprPtr rec, TypeAtom());
    body.record = std::get<TRecord>(rec->node);
    return body;
  }
  if (IsSym("|")) Next();
  std::set<std::string> seen;
  while (true) {
    if (Peek().kind != Tok::kName || !IsUpperIdent(Peek().text)) {
      return Error("expected a case name starting with an uppercase letter");
    }
    VariantCase c;
    c.name = Next().text;
    if (!seen.insert(c.name).second) return Error(fmt::format("case {} is defined twice", c.name));
    if (IsKw("of")) {
      Next();
      while (true) {
        WEFT_ASSIGN_OR_RETURN(TypeExprPtr arg, TypeExpression());
        c.args.push_back(arg);
        if (!IsSym("*")) break;
        Next();
      }
    }
    body.cases.push_back(std::move(c));
    if (!IsSym("|")) break;
    Next();
  }
  return body;
}

Result<TypeExprPtr> Parser::TypeExpression() {
  WEFT_TRY(Enter());
  Leave leave{depth_};
  Pos pos = Peek().pos;
  if (Peek().kind == Tok::kName && Peek().text == "List") {
    Next();
    WEFT_ASSIGN_OR_RETURN(TypeExprPtr elem, TypeAtom());
    return MakeType(TList{elem}, pos);
  }
  return TypeAtom();
}

Result<TypeExprPtr> Parser::TypeAtom() {
  Pos pos = Peek().pos;
  if (IsSym("(")) {
    Next();
    WEFT_ASSIGN_OR_RETURN(TypeExprPtr inner, TypeExpression());
    WEFT_TRY(Expect(")", "expected ')' to close the type"));
    return inner;
  }
  if (IsSym("{")) {
    Next();
    TRecord rec;
    std::set<std::string> seen;
    while (!IsSym("}")) {
      WEFT_ASSIGN_OR_RETURN(std::string field, LowerIdent("expected a field name"));
      if (!seen.insert(field).second) return Error(fmt::format("field {} is listed twice", field));
      WEFT_TRY(Expect(":", "expected ':' after the field name"));
      WEFT_ASSIGN_OR_RETURN(TypeExprPtr ft, TypeExpression());
      rec.fields.emplace_back(std::move(field), ft);
      if (!IsSym(",")) break;
      Next();
    }
    WEFT_TRY(Expect("}", "expected '}' to close the record type"));
    return MakeType(std::move(rec), pos);
  }
  if (Peek().kind == Tok::kName) {
    const std::string& n = Peek().text;
    if (kBuiltinTypes.contains(n)) return MakeType(TBuiltin{Next().text}, pos);
    if (Split(n).size() >= 2 && std::isupper(static_cast<unsigned char>(n[0]))) {
      return MakeType(TRef{Next().text, {}}, pos);
    }
  }
  return Error("expected a type (Int, Float, String, Bool, Unit, List T, a record or a type name)");
}

// ---- expressions

}  // namespace weft::lang::internal
