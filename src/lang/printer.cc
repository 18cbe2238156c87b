#include "lang/printer.h"

#include <cmath>

#include "lang/builtin_types.h"

namespace weft::lang {
namespace {

constexpr int kLowest = 0;  // let, fun, if, match: need parentheses inside operators
constexpr int kApp = 20;    // application
constexpr int kAtom = 30;

int OpLevel(BinOp op) {
  switch (op) {
    case BinOp::kPipe:
      return 1;
    case BinOp::kOr:
      return 2;
    case BinOp::kAnd:
      return 3;
    case BinOp::kEq:
    case BinOp::kNe:
    case BinOp::kLt:
    case BinOp::kLe:
    case BinOp::kGt:
    case BinOp::kGe:
      return 4;
    case BinOp::kCons:
    case BinOp::kConcat:
      return 5;
    case BinOp::kAdd:
    case BinOp::kSub:
      return 6;
    default:
      return 7;
  }
}
bool RightAssoc(BinOp op) {
  return op == BinOp::kCons || op == BinOp::kConcat || op == BinOp::kOr || op == BinOp::kAnd;
}

std::string Escape(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\0':
        out += "\\0";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

class Printer {
 public:
  Printer(const Component* component, const PrintNames& names) : comp_(component), names_(names) {}

  std::string TargetName(const Target& t) {
    if (t.kind == Target::Kind::kSelf && comp_ && t.self < comp_->members.size())
      return comp_->members[t.self].name;
    if (t.kind == Target::Kind::kItem) return names_.item(t.item);
    if (t.kind == Target::Kind::kBuiltin && t.self < AllBuiltinTypes().size())
      return std::string(AllBuiltinTypes()[t.self].name);
    return "?";
  }
  std::string CaseName(const Target& type, std::uint32_t index) {
    if (type.kind == Target::Kind::kSelf && comp_ && type.self < comp_->members.size()) {
      const auto& d = comp_->members[type.self];
      if (d.type && index < d.type->cases.size()) return d.type->cases[index].name;
      return fmt::format("Case{}", index);
    }
    if (type.kind == Target::Kind::kBuiltin) return BuiltinCaseName(type.item, index);
    return names_.case_name(type.item, index);
  }

  std::string Var(std::uint32_t index) {
    if (index < scope_.size()) return scope_[scope_.size() - 1 - index];
    return fmt::format("?{}", index);
  }

  std::string Pat(const PatternPtr& p, bool nested) {
    return std::visit(Overloaded{
                          [&](const PWild&) -> std::string { return "_"; },
                          [&](const PVar& v) -> std::string {
                            scope_.push_back(v.name);
                            return v.name;
                          },
                          [&](const PLit& l) -> std::string { return PrintLiteral(l.value); },
                          [&](const PNil&) -> std::string { return "[]"; },
                          [&](const PCons& c) -> std::string {
                            std::string s = Pat(c.head, true);  // binders are pushed left to right
                            s += " :: " + Pat(c.tail, false);
                            return nested ? "(" + s + ")" : s;
                          },
                          [&](const PList& l) -> std::string {
                            std::string s = "[";
                            for (std::size_t i = 0; i < l.items.size(); ++i) {
                              s += i ? ", " : "";
                              s += Pat(l.items[i], false);
                            }
                            return s + "]";
                          },
                          [&](const PCtor& c) -> std::string {
                            std::string s =
                                TargetName(c.type) + "." + CaseName(c.type, c.case_index);
                            for (const auto& a : c.args) s += " " + Pat(a, true);
                            return nested && !c.args.empty() ? "(" + s + ")" : s;
                          },
                          [&](const PRecord& r) -> std::string {
                            std::string s = "{ ";
                            for (std::size_t i = 0; i < r.fields.size(); ++i) {
                              s += (i ? ", " : "") + r.fields[i].first + " = ";
                              s += Pat(r.fields[i].second, false);
                            }
                            return s + " }";
                          },
                      },
                      p->node);
  }

  // Prints `e`, parenthesized if its precedence is below `min`.
  std::string Ex(const ExprPtr& e, int min, int indent) {
    std::string s;
    int prec = kAtom;
    std::visit(
        Overloaded{
            [&](const Literal& l) {
              s = PrintLiteral(l);
              const bool negative = (std::holds_alternative<std::int64_t>(l.value) &&
                                     std::get<std::int64_t>(l.value) < 0) ||
                                    (std::holds_alternative<double>(l.value) &&
                                     std::signbit(std::get<double>(l.value)));
              if (negative) prec = kApp - 1;
            },
            [&](const EVar& v) { s = Var(v.index); },
            [&](const ERef& r) { s = TargetName(r.target); },
            [&](const ECtor& c) { s = TargetName(c.type) + "." + CaseName(c.type, c.case_index); },
            [&](const EBuiltin& b) { s = b.name; },
            [&](const ELambda& l) {
              prec = kLowest;
              s = "fun";
              for (const auto& p : l.params) s += " " + p;
              for (const auto& p : l.params) scope_.push_back(p);
              s += " -> " + Ex(l.body, kLowest, indent);
              scope_.resize(scope_.size() - l.params.size());
            },
            [&](const EApp& a) {
              prec = kApp;
              s = Ex(a.fn, kApp, indent);
              for (const auto& x : a.args) s += " " + Ex(x, kAtom, indent);
            },
            [&](const ELet& l) {
              prec = kLowest;
              s = "let " + l.name + " = " + Ex(l.value, kLowest, indent + 2) + " in\n" +
                  Indent(indent);
              scope_.push_back(l.name);  // after the value: let is not recursive
              s += Ex(l.body, kLowest, indent);
              scope_.pop_back();
            },
            [&](const EIf& i) {
              prec = kLowest;
              s = "if " + Ex(i.cond, kLowest, indent) + " then " +
                  Ex(i.then_branch, kLowest, indent) + " else " +
                  Ex(i.else_branch, kLowest, indent);
            },
            [&](const EMatch& m) {
              prec = kLowest;
              s = "match " + Ex(m.scrutinee, kLowest, indent) + " with";
              for (const auto& c : m.cases) {
                std::size_t before = scope_.size();
                s += "\n" + Indent(indent + 2) + "| ";
                s += Pat(c.pattern, false);  // pushes the case's binders
                s += " -> " + Ex(c.body, kLowest, indent + 4);
                scope_.resize(before);
              }
            },
            [&](const EList& l) {
              s = "[";
              for (std::size_t i = 0; i < l.items.size(); ++i)
                s += (i ? ", " : "") + Ex(l.items[i], kLowest, indent);
              s += "]";
            },
            [&](const ERecord& r) {
              s = "{ ";
              for (std::size_t i = 0; i < r.fields.size(); ++i) {
                s += (i ? ", " : "") + r.fields[i].first + " = " +
                     Ex(r.fields[i].second, kLowest, indent);
              }
              s += " }";
            },
            [&](const EField& f) { s = Ex(f.record, kAtom, indent) + "." + f.field; },
            [&](const EBinary& b) {
              int level = OpLevel(b.op);
              prec = level;
              bool right = RightAssoc(b.op);
              s = Ex(b.left, right ? level + 1 : level, indent) + " " + BinOpText(b.op) + " " +
                  Ex(b.right, right ? level : level + 1, indent);
            },
        },
        e->node);
    // A match or lambda that is not last would swallow what follows: parenthesize
    // whenever the context is not the loosest.
    if (prec < min || (prec == kLowest && min > kLowest)) return "(" + s + ")";
    return s;
  }

  std::string Ty(const TypeExprPtr& t, bool nested) {
    return std::visit(Overloaded{
                          [&](const TBuiltin& b) { return b.name; },
                          [&](const TRef& r) { return TargetName(r.target); },
                          [&](const TList& l) {
                            std::string s = "List " + Ty(l.element, true);
                            return nested ? "(" + s + ")" : s;
                          },
                          [&](const TRecord& r) { return Rec(r); },
                      },
                      t->node);
  }
  std::string Rec(const TRecord& r) {
    std::string s = "{ ";
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      s += (i ? ", " : "") + r.fields[i].first + ": " + Ty(r.fields[i].second, false);
    }
    return s + " }";
  }

  std::string Def(const Definition& d) {
    scope_.clear();
    switch (d.kind) {
      case DefKind::kType: {
        std::string s = "type " + d.name + " = ";
        if (d.type->record) return s + Rec(*d.type->record);
        for (std::size_t i = 0; i < d.type->cases.size(); ++i) {
          const auto& c = d.type->cases[i];
          s += (i ? " | " : "") + c.name;
          for (std::size_t a = 0; a < c.args.size(); ++a)
            s += (a ? " * " : " of ") + Ty(c.args[a], true);
        }
        return s;
      }
      case DefKind::kVal:
        return "val " + d.name + " = " + Ex(d.body, kLowest, 2);
      case DefKind::kFn: {
        std::string s = "fn " + d.name;
        ExprPtr body = d.body;
        if (const auto* l = std::get_if<ELambda>(&d.body->node)) {
          for (const auto& p : l->params) {
            s += " " + p;
            scope_.push_back(p);
          }
          body = l->body;
        }
        return s + " = " + Ex(body, kLowest, 2);
      }
    }
    return "";
  }

 private:
  static std::string Indent(int n) { return std::string(static_cast<std::size_t>(n), ' '); }

  const Component* comp_;
  const PrintNames& names_;
  std::vector<std::string> scope_;
};

}  // namespace

const char* BinOpText(BinOp op) {
  switch (op) {
    case BinOp::kAdd:
      return "+";
    case BinOp::kSub:
      return "-";
    case BinOp::kMul:
      return "*";
    case BinOp::kDiv:
      return "/";
    case BinOp::kMod:
      return "%";
    case BinOp::kConcat:
      return "++";
    case BinOp::kEq:
      return "==";
    case BinOp::kNe:
      return "!=";
    case BinOp::kLt:
      return "<";
    case BinOp::kLe:
      return "<=";
    case BinOp::kGt:
      return ">";
    case BinOp::kGe:
      return ">=";
    case BinOp::kAnd:
      return "&&";
    case BinOp::kOr:
      return "||";
    case BinOp::kCons:
      return "::";
    case BinOp::kPipe:
      return "|>";
  }
  return "?";
}

std::string PrintLiteral(const Literal& l) {
  return std::visit(Overloaded{
                        [](std::monostate) -> std::string { return "()"; },
                        [](std::int64_t v) -> std::string { return std::to_string(v); },
                        [](double v) -> std::string {
                          std::string s = fmt::format("{}", v);
                          if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
                          return s;
                        },
                        [](const std::string& s) { return Escape(s); },
                        [](bool b) -> std::string { return b ? "true" : "false"; },
                    },
                    l.value);
}

std::string PrintDefinition(const Component& component, std::size_t index,
                            const PrintNames& names) {
  Printer p(&component, names);
  return p.Def(component.members.at(index));
}

std::string PrintComponent(const Component& component, const PrintNames& names) {
  std::string out;
  for (std::size_t i = 0; i < component.members.size(); ++i) {
    out += (i ? "\n\n" : "") + PrintDefinition(component, i, names);
  }
  return out;
}

std::string PrintExpression(const ExprPtr& e, const PrintNames& names) {
  Printer p(nullptr, names);
  return p.Ex(e, kLowest, 0);
}

}  // namespace weft::lang
