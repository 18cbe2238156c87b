#include "lang/transform.h"

namespace weft::lang {

PatternPtr MapTargets(const PatternPtr& p, const TargetMap& f) {
  return std::visit(
      Overloaded{
          [&](const PCons& c) {
            return MakePattern(PCons{MapTargets(c.head, f), MapTargets(c.tail, f)}, p->pos);
          },
          [&](const PList& l) {
            PList out;
            for (const auto& i : l.items) out.items.push_back(MapTargets(i, f));
            return MakePattern(std::move(out), p->pos);
          },
          [&](const PCtor& c) {
            PCtor out = c;
            out.type = f(c.type);
            out.args.clear();
            for (const auto& a : c.args) out.args.push_back(MapTargets(a, f));
            return MakePattern(std::move(out), p->pos);
          },
          [&](const PRecord& r) {
            PRecord out;
            for (const auto& [n, sub] : r.fields) out.fields.emplace_back(n, MapTargets(sub, f));
            return MakePattern(std::move(out), p->pos);
          },
          [&](const auto&) { return p; },
      },
      p->node);
}

ExprPtr MapTargets(const ExprPtr& e, const TargetMap& f) {
  return std::visit(
      Overloaded{
          [&](const ERef& r) {
            return MakeExpr(ERef{r.name, f(r.target)}, e->pos);
          },
          [&](const ECtor& c) {
            ECtor out = c;
            out.type = f(c.type);
            return MakeExpr(std::move(out), e->pos);
          },
          [&](const ELambda& l) {
            return MakeExpr(ELambda{l.params, MapTargets(l.body, f)}, e->pos);
          },
          [&](const EApp& a) {
            EApp out{MapTargets(a.fn, f), {}};
            for (const auto& x : a.args) out.args.push_back(MapTargets(x, f));
            return MakeExpr(std::move(out), e->pos);
          },
          [&](const ELet& l) {
            return MakeExpr(ELet{l.name, MapTargets(l.value, f), MapTargets(l.body, f)}, e->pos);
          },
          [&](const EIf& i) {
            return MakeExpr(EIf{MapTargets(i.cond, f), MapTargets(i.then_branch, f),
                                MapTargets(i.else_branch, f)},
                            e->pos);
          },
          [&](const EMatch& m) {
            EMatch out{MapTargets(m.scrutinee, f), {}};
            for (const auto& c : m.cases)
              out.cases.push_back(MatchCase{MapTargets(c.pattern, f), MapTargets(c.body, f)});
            return MakeExpr(std::move(out), e->pos);
          },
          [&](const EList& l) {
            EList out;
            for (const auto& x : l.items) out.items.push_back(MapTargets(x, f));
            return MakeExpr(std::move(out), e->pos);
          },
          [&](const ERecord& r) {
            ERecord out;
            for (const auto& [n, x] : r.fields) out.fields.emplace_back(n, MapTargets(x, f));
            return MakeExpr(std::move(out), e->pos);
          },
          [&](const EField& fl) {
            return MakeExpr(EField{MapTargets(fl.record, f), fl.field}, e->pos);
          },
          [&](const EBinary& b) {
            return MakeExpr(EBinary{b.op, MapTargets(b.left, f), MapTargets(b.right, f)}, e->pos);
          },
          [&](const auto&) { return e; },
      },
      e->node);
}

TypeExprPtr MapTargets(const TypeExprPtr& t, const TargetMap& f) {
  return std::visit(
      Overloaded{
          [&](const TRef& r) {
            return MakeType(TRef{r.name, f(r.target)}, t->pos);
          },
          [&](const TList& l) { return MakeType(TList{MapTargets(l.element, f)}, t->pos); },
          [&](const TRecord& r) {
            TRecord out;
            for (const auto& [n, x] : r.fields) out.fields.emplace_back(n, MapTargets(x, f));
            return MakeType(std::move(out), t->pos);
          },
          [&](const auto&) { return t; },
      },
      t->node);
}

Definition MapTargets(const Definition& d, const TargetMap& f) {
  Definition out = d;
  if (d.body) out.body = MapTargets(d.body, f);
  if (d.type) {
    TypeBody tb;
    if (d.type->record) {
      TRecord rec;
      for (const auto& [n, x] : d.type->record->fields)
        rec.fields.emplace_back(n, MapTargets(x, f));
      tb.record = std::move(rec);
    }
    for (const auto& c : d.type->cases) {
      VariantCase vc{c.name, {}};
      for (const auto& a : c.args) vc.args.push_back(MapTargets(a, f));
      tb.cases.push_back(std::move(vc));
    }
    out.type = std::move(tb);
  }
  return out;
}

}  // namespace weft::lang

namespace weft::lang {
namespace {

using NameSink = std::function<void(const std::string&)>;

void NamedInPattern(const PatternPtr& p, const NameSink& f) {
  std::visit(Overloaded{
                 [&](const PCons& c) {
                   NamedInPattern(c.head, f);
                   NamedInPattern(c.tail, f);
                 },
                 [&](const PList& l) {
                   for (const auto& i : l.items) NamedInPattern(i, f);
                 },
                 [&](const PCtor& c) {
                   f(c.type_name);
                   for (const auto& a : c.args) NamedInPattern(a, f);
                 },
                 [&](const PRecord& r) {
                   for (const auto& x : r.fields) NamedInPattern(x.second, f);
                 },
                 [](const auto&) {},
             },
             p->node);
}

void NamedInType(const TypeExprPtr& t, const NameSink& f) {
  std::visit(Overloaded{
                 [&](const TRef& r) { f(r.name); },
                 [&](const TList& l) { NamedInType(l.element, f); },
                 [&](const TRecord& r) {
                   for (const auto& x : r.fields) NamedInType(x.second, f);
                 },
                 [](const auto&) {},
             },
             t->node);
}

void NamedInExpr(const ExprPtr& e, const NameSink& f) {
  std::visit(Overloaded{
                 [&](const ERef& r) { f(r.name); },
                 [&](const ECtor& c) { f(c.type_name); },
                 [&](const ELambda& l) { NamedInExpr(l.body, f); },
                 [&](const EApp& a) {
                   NamedInExpr(a.fn, f);
                   for (const auto& x : a.args) NamedInExpr(x, f);
                 },
                 [&](const ELet& l) {
                   NamedInExpr(l.value, f);
                   NamedInExpr(l.body, f);
                 },
                 [&](const EIf& i) {
                   NamedInExpr(i.cond, f);
                   NamedInExpr(i.then_branch, f);
                   NamedInExpr(i.else_branch, f);
                 },
                 [&](const EMatch& m) {
                   NamedInExpr(m.scrutinee, f);
                   for (const auto& c : m.cases) {
                     NamedInPattern(c.pattern, f);
                     NamedInExpr(c.body, f);
                   }
                 },
                 [&](const EList& l) {
                   for (const auto& x : l.items) NamedInExpr(x, f);
                 },
                 [&](const ERecord& r) {
                   for (const auto& x : r.fields) NamedInExpr(x.second, f);
                 },
                 [&](const EField& fl) { NamedInExpr(fl.record, f); },
                 [&](const EBinary& b) {
                   NamedInExpr(b.left, f);
                   NamedInExpr(b.right, f);
                 },
                 [](const auto&) {},
             },
             e->node);
}

}  // namespace

void ForEachNamedReference(const Definition& d, const NameSink& f) {
  if (d.body) NamedInExpr(d.body, f);
  if (d.type) {
    if (d.type->record) {
      for (const auto& x : d.type->record->fields) NamedInType(x.second, f);
    }
    for (const auto& c : d.type->cases) {
      for (const auto& a : c.args) NamedInType(a, f);
    }
  }
}

}  // namespace weft::lang
