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
