// Name resolution (canonicalize.h): bound variables to de Bruijn indices,
// references to item hashes or to other definitions of the same input,
// constructors to (type, case index).
#include <algorithm>
#include <map>
#include <set>

#include "core/suggest.h"
#include "lang/builtin_types.h"
#include "lang/builtins.h"
#include "lang/canonicalize.h"
#include "lang/lexer.h"
#include "lang/transform.h"

namespace weft::lang {
namespace {

Target FileTarget(std::size_t index) {
  return Target{Target::Kind::kSelf, {}, static_cast<std::uint32_t>(index)};
}

template <typename T>
void SortFields(std::vector<std::pair<std::string, T>>& fields) {
  std::sort(fields.begin(), fields.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
}

// Resolves names in one definition (or expression). File-local references become
// kSelf targets holding the *file* index; Canonicalize later maps them.
class Resolver {
 public:
  Resolver(const std::vector<Definition>& defs, NameResolver& ext, std::string_view file)
      : defs_(defs), ext_(ext), file_(file) {
    for (std::size_t i = 0; i < defs.size(); ++i) {
      (defs[i].kind == DefKind::kType ? file_types_ : file_terms_)[defs[i].name] = i;
    }
  }

  std::unexpected<weft::Error> Err(Pos pos, const std::string& msg) const {
    return Fail(ErrorCode::kInvalidArgument, "{}: {}", Where(file_, pos), msg);
  }

  Result<std::optional<Target>> TermTarget(const std::string& name) {
    if (auto it = file_terms_.find(name); it != file_terms_.end())
      return std::optional<Target>(FileTarget(it->second));
    WEFT_ASSIGN_OR_RETURN(auto d, ext_.Term(name));
    if (d) return std::optional<Target>(ItemTarget(*d));
    return std::optional<Target>();
  }

  Result<std::optional<Target>> TypeTarget(const std::string& name) {
    for (std::size_t i = 0; i < AllBuiltinTypes().size(); ++i) {
      if (AllBuiltinTypes()[i].name == name)
        return std::optional<Target>(BuiltinTarget(static_cast<std::uint32_t>(i)));
    }
    if (auto it = file_types_.find(name); it != file_types_.end())
      return std::optional<Target>(FileTarget(it->second));
    WEFT_ASSIGN_OR_RETURN(auto d, ext_.Type(name));
    if (d) return std::optional<Target>(ItemTarget(*d));
    return std::optional<Target>();
  }

  Result<std::vector<CaseInfo>> Cases(const Target& type) {
    if (type.kind == Target::Kind::kBuiltin) {
      std::vector<CaseInfo> out;
      for (const auto& c : AllBuiltinTypes()[type.self].cases)
        out.push_back(CaseInfo{std::string(c.name), c.arity});
      return out;
    }
    if (type.kind == Target::Kind::kSelf) {
      std::vector<CaseInfo> out;
      for (const auto& c : defs_[type.self].type->cases)
        out.push_back(CaseInfo{c.name, c.args.size()});
      return out;
    }
    return ext_.TypeCases(type.item);
  }

  // Resolves Type.Case; nullopt when `name` is not a constructor.
  Result<std::optional<std::pair<Target, CaseInfo>>> Constructor(const std::string& type_name,
                                                                 const std::string& case_name,
                                                                 std::uint32_t* index) {
    using R = std::optional<std::pair<Target, CaseInfo>>;
    WEFT_ASSIGN_OR_RETURN(auto type, TypeTarget(type_name));
    if (!type) return R();
    WEFT_ASSIGN_OR_RETURN(auto cases, Cases(*type));
    for (std::size_t i = 0; i < cases.size(); ++i) {
      if (cases[i].name == case_name) {
        *index = static_cast<std::uint32_t>(i);
        return R(std::make_pair(*type, cases[i]));
      }
    }
    return R();
  }

  Result<ExprPtr> Ref(const ERef& r, Pos pos) {
    if (r.name.starts_with("#")) {
      WEFT_ASSIGN_OR_RETURN(Digest d, ext_.HashPrefix(r.name.substr(1)));
      return MakeExpr(ERef{r.name, ItemTarget(d)}, pos);
    }
    WEFT_ASSIGN_OR_RETURN(auto term, TermTarget(r.name));
    if (term) return MakeExpr(ERef{r.name, *term}, pos);
    std::size_t dot = r.name.rfind('.');
    if (dot != std::string::npos) {
      std::uint32_t index = 0;
      WEFT_ASSIGN_OR_RETURN(auto ctor,
                            Constructor(r.name.substr(0, dot), r.name.substr(dot + 1), &index));
      if (ctor)
        return MakeExpr(ECtor{r.name.substr(0, dot), r.name.substr(dot + 1), ctor->first, index},
                        pos);
    }
    // A term followed by field accesses: Demo.Data.origin.x
    for (std::size_t cut = r.name.rfind('.'); cut != std::string::npos && cut > 0;
         cut = r.name.rfind('.', cut - 1)) {
      std::string prefix = r.name.substr(0, cut);
      WEFT_ASSIGN_OR_RETURN(auto base, TermTarget(prefix));
      if (!base) continue;
      ExprPtr e = MakeExpr(ERef{prefix, *base}, pos);
      std::size_t start = cut + 1;
      while (start <= r.name.size()) {
        std::size_t next = r.name.find('.', start);
        e = MakeExpr(EField{e, r.name.substr(start, next == std::string::npos ? std::string::npos
                                                                              : next - start)},
                     pos);
        if (next == std::string::npos) break;
        start = next + 1;
      }
      return e;
    }
    WEFT_ASSIGN_OR_RETURN(auto type, TypeTarget(r.name));
    if (type) return Err(pos, fmt::format("{} is a type, not a term", r.name));
    std::vector<std::string> candidates = ext_.Candidates(r.name);
    for (const auto& d : defs_) candidates.push_back(d.name);
    return Err(pos,
               fmt::format("unknown name {}{}", r.name, DidYouMean(Nearest(r.name, candidates))));
  }

  Result<PatternPtr> Pat(const PatternPtr& p, std::vector<std::string>& bound) {
    return std::visit(
        Overloaded{
            [&](const PVar& v) -> Result<PatternPtr> {
              if (std::find(bound.begin(), bound.end(), v.name) != bound.end()) {
                return Err(p->pos, fmt::format("{} is bound twice in one pattern", v.name));
              }
              bound.push_back(v.name);
              return p;
            },
            [&](const PCons& c) -> Result<PatternPtr> {
              WEFT_ASSIGN_OR_RETURN(PatternPtr h, Pat(c.head, bound));
              WEFT_ASSIGN_OR_RETURN(PatternPtr t, Pat(c.tail, bound));
              return MakePattern(PCons{h, t}, p->pos);
            },
            [&](const PList& l) -> Result<PatternPtr> {
              PList out;
              for (const auto& i : l.items) {
                WEFT_ASSIGN_OR_RETURN(PatternPtr x, Pat(i, bound));
                out.items.push_back(x);
              }
              return MakePattern(std::move(out), p->pos);
            },
            [&](const PCtor& c) -> Result<PatternPtr> {
              std::uint32_t index = 0;
              WEFT_ASSIGN_OR_RETURN(auto ctor, Constructor(c.type_name, c.case_name, &index));
              if (!ctor)
                return Err(p->pos,
                           fmt::format("unknown constructor {}.{}", c.type_name, c.case_name));
              if (c.args.size() != ctor->second.arity) {
                return Err(p->pos, fmt::format("{}.{} takes {} argument(s), the pattern gives {}",
                                               c.type_name, c.case_name, ctor->second.arity,
                                               c.args.size()));
              }
              PCtor out{c.type_name, c.case_name, ctor->first, index, {}};
              for (const auto& a : c.args) {
                WEFT_ASSIGN_OR_RETURN(PatternPtr x, Pat(a, bound));
                out.args.push_back(x);
              }
              return MakePattern(std::move(out), p->pos);
            },
            [&](const PRecord& r) -> Result<PatternPtr> {
              PRecord out;
              auto fields = r.fields;
              SortFields(fields);
              for (const auto& [n, sub] : fields) {
                WEFT_ASSIGN_OR_RETURN(PatternPtr x, Pat(sub, bound));
                out.fields.emplace_back(n, x);
              }
              return MakePattern(std::move(out), p->pos);
            },
            [&](const auto&) -> Result<PatternPtr> { return p; },
        },
        p->node);
  }

  Result<ExprPtr> Ex(const ExprPtr& e) {
    return std::visit(
        Overloaded{
            [&](const EVar& v) -> Result<ExprPtr> {
              for (std::size_t i = scope_.size(); i-- > 0;) {
                if (scope_[i] == v.name) {
                  return MakeExpr(EVar{v.name, static_cast<std::uint32_t>(scope_.size() - 1 - i)},
                                  e->pos);
                }
              }
              return Err(e->pos, fmt::format("unknown variable {}{}", v.name,
                                             DidYouMean(Nearest(v.name, scope_))));
            },
            [&](const ERef& r) { return Ref(r, e->pos); },
            [&](const EBuiltin& b) -> Result<ExprPtr> {
              if (FindBuiltin(b.name)) return e;
              // Builtin.Option.Some and the like: a builtin type's case.
              if (std::size_t dot = b.name.rfind('.'); dot != std::string::npos) {
                std::uint32_t index = 0;
                WEFT_ASSIGN_OR_RETURN(
                    auto ctor, Constructor(b.name.substr(0, dot), b.name.substr(dot + 1), &index));
                if (ctor && ctor->first.kind == Target::Kind::kBuiltin) {
                  return MakeExpr(
                      ECtor{b.name.substr(0, dot), b.name.substr(dot + 1), ctor->first, index},
                      e->pos);
                }
              }
              std::vector<std::string> builtins;
              for (const BuiltinInfo& info : AllBuiltins()) builtins.emplace_back(info.name);
              return Err(e->pos, fmt::format("unknown builtin {}{}", b.name,
                                             DidYouMean(Nearest(b.name, builtins))));
            },
            [&](const ELambda& l) -> Result<ExprPtr> {
              for (const auto& p : l.params) scope_.push_back(p);
              auto body = Ex(l.body);
              scope_.resize(scope_.size() - l.params.size());
              if (!body) return body;
              return MakeExpr(ELambda{l.params, *body}, e->pos);
            },
            [&](const EApp& a) -> Result<ExprPtr> {
              WEFT_ASSIGN_OR_RETURN(ExprPtr fn, Ex(a.fn));
              EApp out{fn, {}};
              for (const auto& x : a.args) {
                WEFT_ASSIGN_OR_RETURN(ExprPtr y, Ex(x));
                out.args.push_back(y);
              }
              return MakeExpr(std::move(out), e->pos);
            },
            [&](const ELet& l) -> Result<ExprPtr> {
              WEFT_ASSIGN_OR_RETURN(ExprPtr value, Ex(l.value));
              scope_.push_back(l.name);
              auto body = Ex(l.body);
              scope_.pop_back();
              if (!body) return body;
              return MakeExpr(ELet{l.name, value, *body}, e->pos);
            },
            [&](const EIf& i) -> Result<ExprPtr> {
              WEFT_ASSIGN_OR_RETURN(ExprPtr c, Ex(i.cond));
              WEFT_ASSIGN_OR_RETURN(ExprPtr t, Ex(i.then_branch));
              WEFT_ASSIGN_OR_RETURN(ExprPtr f, Ex(i.else_branch));
              return MakeExpr(EIf{c, t, f}, e->pos);
            },
            [&](const EMatch& m) -> Result<ExprPtr> {
              WEFT_ASSIGN_OR_RETURN(ExprPtr s, Ex(m.scrutinee));
              EMatch out{s, {}};
              for (const auto& c : m.cases) {
                std::vector<std::string> bound;
                WEFT_ASSIGN_OR_RETURN(PatternPtr p, Pat(c.pattern, bound));
                for (const auto& b : bound) scope_.push_back(b);
                auto body = Ex(c.body);
                scope_.resize(scope_.size() - bound.size());
                if (!body) return body;
                out.cases.push_back(MatchCase{p, *body});
              }
              return MakeExpr(std::move(out), e->pos);
            },
            [&](const EList& l) -> Result<ExprPtr> {
              EList out;
              for (const auto& x : l.items) {
                WEFT_ASSIGN_OR_RETURN(ExprPtr y, Ex(x));
                out.items.push_back(y);
              }
              return MakeExpr(std::move(out), e->pos);
            },
            [&](const ERecord& r) -> Result<ExprPtr> {
              ERecord out;
              for (const auto& [n, x] : r.fields) {
                WEFT_ASSIGN_OR_RETURN(ExprPtr y, Ex(x));
                out.fields.emplace_back(n, y);
              }
              SortFields(out.fields);
              return MakeExpr(std::move(out), e->pos);
            },
            [&](const EField& f) -> Result<ExprPtr> {
              WEFT_ASSIGN_OR_RETURN(ExprPtr rec, Ex(f.record));
              return MakeExpr(EField{rec, f.field}, e->pos);
            },
            [&](const EBinary& b) -> Result<ExprPtr> {
              WEFT_ASSIGN_OR_RETURN(ExprPtr l, Ex(b.left));
              WEFT_ASSIGN_OR_RETURN(ExprPtr r, Ex(b.right));
              return MakeExpr(EBinary{b.op, l, r}, e->pos);
            },
            [&](const auto&) -> Result<ExprPtr> { return e; },
        },
        e->node);
  }

  Result<TypeExprPtr> Ty(const TypeExprPtr& t) {
    return std::visit(Overloaded{
                          [&](const TRef& r) -> Result<TypeExprPtr> {
                            WEFT_ASSIGN_OR_RETURN(auto type, TypeTarget(r.name));
                            if (!type) return Err(t->pos, fmt::format("unknown type {}", r.name));
                            return MakeType(TRef{r.name, *type}, t->pos);
                          },
                          [&](const TList& l) -> Result<TypeExprPtr> {
                            WEFT_ASSIGN_OR_RETURN(TypeExprPtr el, Ty(l.element));
                            return MakeType(TList{el}, t->pos);
                          },
                          [&](const TRecord& r) -> Result<TypeExprPtr> {
                            WEFT_ASSIGN_OR_RETURN(TRecord rec, Rec(r));
                            return MakeType(std::move(rec), t->pos);
                          },
                          [&](const auto&) -> Result<TypeExprPtr> { return t; },
                      },
                      t->node);
  }
  Result<TRecord> Rec(const TRecord& r) {
    TRecord out;
    for (const auto& [n, x] : r.fields) {
      WEFT_ASSIGN_OR_RETURN(TypeExprPtr y, Ty(x));
      out.fields.emplace_back(n, y);
    }
    SortFields(out.fields);
    return out;
  }

  Result<Definition> Def(const Definition& d) {
    if (d.name.starts_with("Builtin.")) return Err(d.pos, "names under Builtin. are reserved");
    Definition out = d;
    if (d.kind == DefKind::kType) {
      TypeBody tb;
      if (d.type->record) {
        WEFT_ASSIGN_OR_RETURN(tb.record, Rec(*d.type->record));
      }
      for (const auto& c : d.type->cases) {
        VariantCase vc{c.name, {}};
        for (const auto& a : c.args) {
          WEFT_ASSIGN_OR_RETURN(TypeExprPtr t, Ty(a));
          vc.args.push_back(t);
        }
        tb.cases.push_back(std::move(vc));
      }
      out.type = std::move(tb);
      return out;
    }
    scope_.clear();
    WEFT_ASSIGN_OR_RETURN(out.body, Ex(d.body));
    return out;
  }

 private:
  const std::vector<Definition>& defs_;
  NameResolver& ext_;
  std::string_view file_;
  std::map<std::string, std::size_t> file_terms_, file_types_;
  std::vector<std::string> scope_;
};

}  // namespace

Result<std::vector<Definition>> ResolveDefinitions(const std::vector<Definition>& defs,
                                                   NameResolver& ext, std::string_view file) {
  Resolver resolver(defs, ext, file);
  std::vector<Definition> resolved;
  resolved.reserve(defs.size());
  for (const Definition& d : defs) {
    WEFT_ASSIGN_OR_RETURN(Definition r, resolver.Def(d));
    resolved.push_back(std::move(r));
  }
  return resolved;
}

Result<ExprPtr> ResolveExpression(const ExprPtr& expr, NameResolver& resolver,
                                  std::string_view file) {
  std::vector<Definition> none;
  Resolver r(none, resolver, file);
  return r.Ex(expr);
}

}  // namespace weft::lang
