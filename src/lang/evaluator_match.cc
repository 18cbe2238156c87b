// Structural equality of values and pattern matching (evaluator.h).
#include <algorithm>

#include "lang/compare.h"
#include "lang/evaluator.h"

namespace weft::lang {

Result<bool> Evaluator::Equal(const ValuePtr& a, const ValuePtr& b) {
  if (a->v.index() != b->v.index()) {
    return RuntimeFail(RuntimeError::kTypeMismatch,
                       fmt::format("cannot compare {} with {}", TypeNameOf(*a), TypeNameOf(*b)));
  }
  return std::visit(
      Overloaded{
          [&](const VList& x) -> Result<bool> {
            const auto& y = std::get<VList>(b->v);
            if (x.size() != y.size()) return false;
            for (std::size_t i = 0; i < x.size(); ++i) {
              WEFT_ASSIGN_OR_RETURN(bool eq, Equal(x.at(i), y.at(i)));
              if (!eq) return false;
            }
            return true;
          },
          [&](const VRecord& x) -> Result<bool> {
            const auto& y = std::get<VRecord>(b->v);
            if (x.fields.size() != y.fields.size()) return false;
            for (std::size_t i = 0; i < x.fields.size(); ++i) {
              if (x.fields[i].first != y.fields[i].first) return false;
              WEFT_ASSIGN_OR_RETURN(bool eq, Equal(x.fields[i].second, y.fields[i].second));
              if (!eq) return false;
            }
            return true;
          },
          [&](const VVariant& x) -> Result<bool> {
            const auto& y = std::get<VVariant>(b->v);
            if (x.type != y.type || x.case_index != y.case_index || x.args.size() != y.args.size())
              return false;
            for (std::size_t i = 0; i < x.args.size(); ++i) {
              WEFT_ASSIGN_OR_RETURN(bool eq, Equal(x.args[i], y.args[i]));
              if (!eq) return false;
            }
            return true;
          },
          [&](const VDict&) -> Result<bool> {
            WEFT_ASSIGN_OR_RETURN(int c, CompareValues(a, b));
            return c == 0;
          },
          [&](const VClosure&) -> Result<bool> {
            return RuntimeFail(RuntimeError::kTypeMismatch, "cannot compare functions");
          },
          [&](const VBuiltin&) -> Result<bool> {
            return RuntimeFail(RuntimeError::kTypeMismatch, "cannot compare functions");
          },
          [&](const VConstructor&) -> Result<bool> {
            return RuntimeFail(RuntimeError::kTypeMismatch, "cannot compare functions");
          },
          [&](const auto& x) -> Result<bool> {
            return x == std::get<std::decay_t<decltype(x)>>(b->v);
          },
      },
      a->v);
}

Result<bool> Evaluator::Match(const Pattern& p, const ValuePtr& v, std::vector<ValuePtr>& bound) {
  return std::visit(Overloaded{
                        [&](const PWild&) -> Result<bool> { return true; },
                        [&](const PVar&) -> Result<bool> {
                          bound.push_back(v);
                          return true;
                        },
                        [&](const PLit& l) -> Result<bool> {
                          ValuePtr lit = LiteralValue(l.value);
                          if (lit->v.index() != v->v.index()) return false;
                          return Equal(lit, v);
                        },
                        [&](const PNil&) -> Result<bool> {
                          const auto* l = std::get_if<VList>(&v->v);
                          return l && l->size() == 0;
                        },
                        [&](const PCons& c) -> Result<bool> {
                          const auto* l = std::get_if<VList>(&v->v);
                          if (!l || l->size() == 0) return false;
                          WEFT_ASSIGN_OR_RETURN(bool h, Match(*c.head, l->at(0), bound));
                          if (!h) return false;
                          return Match(*c.tail, MakeValue(VList{l->items, l->offset + 1}), bound);
                        },
                        [&](const PList& pl) -> Result<bool> {
                          const auto* l = std::get_if<VList>(&v->v);
                          if (!l || l->size() != pl.items.size()) return false;
                          for (std::size_t i = 0; i < pl.items.size(); ++i) {
                            WEFT_ASSIGN_OR_RETURN(bool m, Match(*pl.items[i], l->at(i), bound));
                            if (!m) return false;
                          }
                          return true;
                        },
                        [&](const PCtor& c) -> Result<bool> {
                          const auto* x = std::get_if<VVariant>(&v->v);
                          const bool stored = c.type.kind == Target::Kind::kItem ||
                                              c.type.kind == Target::Kind::kBuiltin;
                          if (!x || !stored || x->type != c.type.item ||
                              x->case_index != c.case_index || x->args.size() != c.args.size()) {
                            return false;
                          }
                          for (std::size_t i = 0; i < c.args.size(); ++i) {
                            WEFT_ASSIGN_OR_RETURN(bool m, Match(*c.args[i], x->args[i], bound));
                            if (!m) return false;
                          }
                          return true;
                        },
                        [&](const PRecord& r) -> Result<bool> {
                          const auto* x = std::get_if<VRecord>(&v->v);
                          if (!x) return false;
                          for (const auto& [name, sub] : r.fields) {
                            auto it = std::find_if(x->fields.begin(), x->fields.end(),
                                                   [&](const auto& f) { return f.first == name; });
                            if (it == x->fields.end()) return false;
                            WEFT_ASSIGN_OR_RETURN(bool m, Match(*sub, it->second, bound));
                            if (!m) return false;
                          }
                          return true;
                        },
                    },
                    p.node);
}

}  // namespace weft::lang
