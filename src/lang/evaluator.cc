#include "lang/evaluator.h"

#include <pthread.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>

namespace weft::lang {

const char* RuntimeErrorName(RuntimeError kind) {
  switch (kind) {
    case RuntimeError::kMissingItem:
      return "missing item";
    case RuntimeError::kArity:
      return "wrong arity";
    case RuntimeError::kTypeMismatch:
      return "type mismatch";
    case RuntimeError::kDivisionByZero:
      return "division by zero";
    case RuntimeError::kOverflow:
      return "integer overflow";
    case RuntimeError::kNonExhaustiveMatch:
      return "non-exhaustive match";
    case RuntimeError::kStepBudget:
      return "step budget exceeded";
    case RuntimeError::kDepth:
      return "recursion too deep";
    case RuntimeError::kNoSuchField:
      return "no such field";
    case RuntimeError::kBadItem:
      return "unreadable item";
    case RuntimeError::kMemory:
      return "memory budget exceeded";
  }
  return "runtime error";
}

std::unexpected<weft::Error> RuntimeFail(RuntimeError kind, const std::string& message) {
  return Fail(ErrorCode::kEvaluation, "{}: {}", RuntimeErrorName(kind), message);
}

const char* TypeNameOf(const Value& v) {
  static constexpr const char* kNames[] = {"Unit",     "Int",      "Float",   "String",
                                           "Bool",     "List",     "Record",  "Variant",
                                           "Function", "Function", "Function"};
  return kNames[v.v.index()];
}

namespace {

using CompPtr = std::shared_ptr<const LoadedComponent>;

EnvPtr Push(EnvPtr env, ValuePtr v) { return PushEnv(std::move(env), std::move(v)); }

ValuePtr ListOf(std::vector<ValuePtr> items) {
  return MakeValue(VList{MakeItems(std::move(items)), 0});
}

// Asks the current meter for room before an allocation that grows with its input.
Status Room(std::size_t bytes) {
  if (const MemoryMeter* m = CurrentMeter()) return m->Reserve(bytes);
  return {};
}

ValuePtr FromLiteral(const Literal& l) {
  return std::visit([](const auto& x) { return MakeValue(x); }, l.value);
}

}  // namespace

// Built-in functions; they call back into the evaluator for higher-order ones.
class BuiltinCaller {
 public:
  explicit BuiltinCaller(Evaluator& ev) : ev_(ev) {}

  Result<ValuePtr> Call(const BuiltinInfo& b, const std::vector<ValuePtr>& a) {
    const std::string_view n = b.name;
    if (n == "Builtin.Int.toString") {
      WEFT_ASSIGN_OR_RETURN(std::int64_t i, Int(a[0], n));
      return MakeValue(std::to_string(i));
    }
    if (n == "Builtin.Int.toFloat") {
      WEFT_ASSIGN_OR_RETURN(std::int64_t i, Int(a[0], n));
      return MakeValue(static_cast<double>(i));
    }
    if (n == "Builtin.Float.toString") {
      const auto* f = std::get_if<double>(&a[0]->v);
      if (!f) return Mismatch(n, "a Float", *a[0]);
      return MakeValue(FormatFloat(*f));
    }
    if (n == "Builtin.Float.floor") {
      const auto* f = std::get_if<double>(&a[0]->v);
      if (!f) return Mismatch(n, "a Float", *a[0]);
      double d = std::floor(*f);
      if (!(d >= -9.2233720368547758e18 && d < 9.2233720368547758e18)) {
        return RuntimeFail(RuntimeError::kOverflow, fmt::format("{} does not fit in an Int", *f));
      }
      return MakeValue(static_cast<std::int64_t>(d));
    }
    if (n == "Builtin.String.length") {
      const auto* s = std::get_if<std::string>(&a[0]->v);
      if (!s) return Mismatch(n, "a String", *a[0]);
      return MakeValue(static_cast<std::int64_t>(s->size()));
    }
    WEFT_ASSIGN_OR_RETURN(VList list, List(a.back(), n));
    if (n == "Builtin.List.length") return MakeValue(static_cast<std::int64_t>(list.size()));
    // Only the builtins that build a list ask for room for it.
    if (n == "Builtin.List.reverse" || n == "Builtin.List.map" || n == "Builtin.List.filter") {
      WEFT_TRY(Room(ItemsCost(list.size())));
    }
    if (n == "Builtin.List.reverse") {
      std::vector<ValuePtr> out;
      out.reserve(list.size());
      for (std::size_t i = list.size(); i-- > 0;) out.push_back(list.at(i));
      return ListOf(std::move(out));
    }
    if (n == "Builtin.List.map" || n == "Builtin.List.filter") {
      std::vector<ValuePtr> out;
      for (std::size_t i = 0; i < list.size(); ++i) {
        WEFT_ASSIGN_OR_RETURN(ValuePtr r, ev_.Apply(a[0], {list.at(i)}));
        if (n == "Builtin.List.map") {
          out.push_back(std::move(r));
          continue;
        }
        const auto* keep = std::get_if<bool>(&r->v);
        if (!keep) return Mismatch(n, "a Bool from its predicate", *r);
        if (*keep) out.push_back(list.at(i));
      }
      return ListOf(std::move(out));
    }
    if (n == "Builtin.List.fold") {
      ValuePtr acc = a[1];
      for (std::size_t i = 0; i < list.size(); ++i) {
        WEFT_ASSIGN_OR_RETURN(acc, ev_.Apply(a[0], {acc, list.at(i)}));
      }
      return acc;
    }
    return RuntimeFail(RuntimeError::kBadItem, fmt::format("builtin {} has no implementation", n));
  }

  Result<ValuePtr> Range(const std::vector<ValuePtr>& a) {
    WEFT_ASSIGN_OR_RETURN(std::int64_t from, Int(a[0], "Builtin.List.range"));
    WEFT_ASSIGN_OR_RETURN(std::int64_t to, Int(a[1], "Builtin.List.range"));
    if (to > from &&
        static_cast<std::uint64_t>(to) - static_cast<std::uint64_t>(from) > 100'000'000) {
      return RuntimeFail(RuntimeError::kOverflow,
                         "Builtin.List.range is limited to 100,000,000 elements");
    }
    const std::size_t n = to > from ? static_cast<std::size_t>(to - from) : 0;
    WEFT_TRY(Room(ItemsCost(n) + n * (sizeof(Value) + 16)));
    std::vector<ValuePtr> out;
    out.reserve(n);
    for (std::int64_t i = from; i < to; ++i) out.push_back(MakeValue(i));
    return ListOf(std::move(out));
  }

 private:
  static std::unexpected<weft::Error> Mismatch(std::string_view fn, std::string_view want,
                                               const Value& got) {
    return RuntimeFail(RuntimeError::kTypeMismatch,
                       fmt::format("{} expects {}, got {}", fn, want, TypeNameOf(got)));
  }
  static Result<std::int64_t> Int(const ValuePtr& v, std::string_view fn) {
    const auto* i = std::get_if<std::int64_t>(&v->v);
    if (!i) return Mismatch(fn, "an Int", *v);
    return *i;
  }
  static Result<VList> List(const ValuePtr& v, std::string_view fn) {
    const auto* l = std::get_if<VList>(&v->v);
    if (!l) return Mismatch(fn, "a List", *v);
    return *l;
  }

  Evaluator& ev_;
};

Result<CompPtr> Evaluator::LoadComponent(const Digest& item) {
  if (auto it = components_.find(item); it != components_.end()) return it->second;
  WEFT_ASSIGN_OR_RETURN(auto stored, loader_.Load(item));
  if (!stored)
    return RuntimeFail(RuntimeError::kMissingItem,
                       fmt::format("item {} is not in this store", DigestToHex(item).substr(0, 8)));
  auto decoded = DecodeComponent(stored->body, stored->refs, stored->display);
  if (!decoded) {
    return RuntimeFail(RuntimeError::kBadItem,
                       fmt::format("item {} cannot be evaluated: {}",
                                   DigestToHex(item).substr(0, 8), decoded.error().message()));
  }
  auto comp = std::make_shared<LoadedComponent>();
  comp->component = std::move(decoded->component);
  comp->refs = std::move(stored->refs);
  comp->self = decoded->self;
  comp->values.resize(comp->component.members.size());
  components_[item] = comp;
  return CompPtr(comp);
}

Result<ValuePtr> Evaluator::Member(const CompPtr& comp, std::size_t index) {
  if (comp->values[index]) return comp->values[index];
  const Definition& d = comp->component.members[index];
  if (d.kind == DefKind::kType) {
    return RuntimeFail(RuntimeError::kTypeMismatch,
                       fmt::format("{} is a type, not a value", d.name));
  }
  WEFT_ASSIGN_OR_RETURN(ValuePtr v, Eval(d.body, nullptr, comp));
  comp->values[index] = v;
  return v;
}

Result<ValuePtr> Evaluator::EvalItem(const Digest& item) {
  MeterScope scope(&meter_);
  WEFT_ASSIGN_OR_RETURN(CompPtr comp, LoadComponent(item));
  return Member(comp, comp->self);
}

Result<ValuePtr> Evaluator::EvalExpr(const ExprPtr& expr) {
  MeterScope scope(&meter_);
  return Eval(expr, nullptr, nullptr);
}

Result<ValuePtr> Evaluator::Call(const ValuePtr& fn, std::vector<ValuePtr> args) {
  MeterScope scope(&meter_);
  return Apply(fn, std::move(args));
}

Result<ValuePtr> Evaluator::Constructor(const Target& type, std::uint32_t case_index) {
  if (type.kind != Target::Kind::kItem) {
    return RuntimeFail(RuntimeError::kBadItem, "a constructor must name a stored type");
  }
  WEFT_ASSIGN_OR_RETURN(CompPtr comp, LoadComponent(type.item));
  const Definition& d = comp->component.members[comp->self];
  if (d.kind != DefKind::kType || !d.type || case_index >= d.type->cases.size()) {
    return RuntimeFail(RuntimeError::kBadItem, "a constructor names a case its type does not have");
  }
  std::size_t arity = d.type->cases[case_index].args.size();
  if (arity == 0) return MakeValue(VVariant{type.item, case_index, {}});
  return MakeValue(VConstructor{type.item, case_index, arity, {}});
}

Result<ValuePtr> Evaluator::Apply(const ValuePtr& fn, std::vector<ValuePtr> args) {
  ValuePtr f = fn;
  while (!args.empty()) {
    if (const auto* c = std::get_if<VClosure>(&f->v)) {
      const auto& lambda = std::get<ELambda>(c->lambda->node);
      const std::size_t arity = lambda.params.size();
      std::vector<ValuePtr> have = c->applied;
      std::size_t take = std::min(arity - have.size(), args.size());
      have.insert(have.end(), args.begin(), args.begin() + static_cast<std::ptrdiff_t>(take));
      args.erase(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(take));
      if (have.size() < arity)
        return MakeValue(VClosure{c->lambda, c->component, c->env, std::move(have)});
      EnvPtr env = c->env;
      for (auto& v : have) env = Push(env, std::move(v));
      WEFT_ASSIGN_OR_RETURN(f, Eval(lambda.body, env, c->component));
      continue;
    }
    if (const auto* b = std::get_if<VBuiltin>(&f->v)) {
      std::vector<ValuePtr> have = b->applied;
      std::size_t take =
          std::min(static_cast<std::size_t>(b->info->arity) - have.size(), args.size());
      have.insert(have.end(), args.begin(), args.begin() + static_cast<std::ptrdiff_t>(take));
      args.erase(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(take));
      if (have.size() < static_cast<std::size_t>(b->info->arity))
        return MakeValue(VBuiltin{b->info, std::move(have)});
      BuiltinCaller caller(*this);
      if (b->info->name == "Builtin.List.range") {
        WEFT_ASSIGN_OR_RETURN(f, caller.Range(have));
      } else {
        WEFT_ASSIGN_OR_RETURN(f, caller.Call(*b->info, have));
      }
      continue;
    }
    if (const auto* k = std::get_if<VConstructor>(&f->v)) {
      std::vector<ValuePtr> have = k->applied;
      std::size_t take = std::min(k->arity - have.size(), args.size());
      have.insert(have.end(), args.begin(), args.begin() + static_cast<std::ptrdiff_t>(take));
      args.erase(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(take));
      if (have.size() < k->arity) {
        f = MakeValue(VConstructor{k->type, k->case_index, k->arity, std::move(have)});
      } else {
        f = MakeValue(VVariant{k->type, k->case_index, std::move(have)});
      }
      continue;
    }
    return RuntimeFail(RuntimeError::kArity,
                       fmt::format("a {} is not a function, but it was given {} argument(s)",
                                   TypeNameOf(*f), args.size()));
  }
  return f;
}

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
                          ValuePtr lit = FromLiteral(l.value);
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
                          if (!x || c.type.kind != Target::Kind::kItem || x->type != c.type.item ||
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

Result<ValuePtr> Evaluator::Eval(const ExprPtr& e, const EnvPtr& env, const CompPtr& comp) {
  if (++steps_ > limits_.max_steps) {
    return RuntimeFail(RuntimeError::kStepBudget,
                       fmt::format("stopped after {} steps", limits_.max_steps));
  }
  if (++depth_ > limits_.max_depth) {
    --depth_;
    return RuntimeFail(RuntimeError::kDepth,
                       fmt::format("nesting passed the limit of {}", limits_.max_depth));
  }
  if (meter_.over()) {
    --depth_;
    return Fail(meter_.Exceeded());
  }
  struct Leave {
    std::uint32_t& d;
    ~Leave() { --d; }
  } leave{depth_};
  return std::visit(
      Overloaded{
          [&](const Literal& l) -> Result<ValuePtr> { return FromLiteral(l); },
          [&](const EVar& v) -> Result<ValuePtr> {
            const Env* cur = env.get();
            for (std::uint32_t i = 0; i < v.index && cur; ++i) cur = cur->next.get();
            if (!cur) return RuntimeFail(RuntimeError::kBadItem, "variable out of scope");
            return cur->value;
          },
          [&](const ERef& r) -> Result<ValuePtr> {
            if (r.target.kind == Target::Kind::kSelf) {
              if (!comp || r.target.self >= comp->component.members.size()) {
                return RuntimeFail(RuntimeError::kBadItem, "self reference outside a component");
              }
              return Member(comp, r.target.self);
            }
            return EvalItem(r.target.item);
          },
          [&](const ECtor& c) { return Constructor(c.type, c.case_index); },
          [&](const EBuiltin& b) -> Result<ValuePtr> {
            const BuiltinInfo* info = FindBuiltin(b.name);
            if (!info)
              return RuntimeFail(RuntimeError::kMissingItem,
                                 fmt::format("unknown builtin {}", b.name));
            return MakeValue(VBuiltin{info, {}});
          },
          [&](const ELambda&) -> Result<ValuePtr> {
            return MakeValue(VClosure{e, comp, env, {}});
          },
          [&](const EApp& a) -> Result<ValuePtr> {
            WEFT_ASSIGN_OR_RETURN(ValuePtr f, Eval(a.fn, env, comp));
            std::vector<ValuePtr> args;
            for (const auto& x : a.args) {
              WEFT_ASSIGN_OR_RETURN(ValuePtr y, Eval(x, env, comp));
              args.push_back(std::move(y));
            }
            return Apply(f, std::move(args));
          },
          [&](const ELet& l) -> Result<ValuePtr> {
            WEFT_ASSIGN_OR_RETURN(ValuePtr v, Eval(l.value, env, comp));
            return Eval(l.body, Push(env, v), comp);
          },
          [&](const EIf& i) -> Result<ValuePtr> {
            WEFT_ASSIGN_OR_RETURN(ValuePtr c, Eval(i.cond, env, comp));
            const auto* b = std::get_if<bool>(&c->v);
            if (!b)
              return RuntimeFail(RuntimeError::kTypeMismatch,
                                 fmt::format("if needs a Bool, got {}", TypeNameOf(*c)));
            return Eval(*b ? i.then_branch : i.else_branch, env, comp);
          },
          [&](const EMatch& m) -> Result<ValuePtr> {
            WEFT_ASSIGN_OR_RETURN(ValuePtr s, Eval(m.scrutinee, env, comp));
            for (const auto& c : m.cases) {
              std::vector<ValuePtr> bound;
              WEFT_ASSIGN_OR_RETURN(bool hit, Match(*c.pattern, s, bound));
              if (!hit) continue;
              EnvPtr inner = env;
              for (auto& v : bound) inner = Push(inner, std::move(v));
              return Eval(c.body, inner, comp);
            }
            return RuntimeFail(RuntimeError::kNonExhaustiveMatch,
                               fmt::format("no case matches a {}", TypeNameOf(*s)));
          },
          [&](const EList& l) -> Result<ValuePtr> {
            std::vector<ValuePtr> items;
            for (const auto& x : l.items) {
              WEFT_ASSIGN_OR_RETURN(ValuePtr y, Eval(x, env, comp));
              items.push_back(std::move(y));
            }
            return ListOf(std::move(items));
          },
          [&](const ERecord& r) -> Result<ValuePtr> {
            VRecord rec;
            for (const auto& [n, x] : r.fields) {
              WEFT_ASSIGN_OR_RETURN(ValuePtr y, Eval(x, env, comp));
              rec.fields.emplace_back(n, std::move(y));
            }
            return MakeValue(std::move(rec));
          },
          [&](const EField& f) -> Result<ValuePtr> {
            WEFT_ASSIGN_OR_RETURN(ValuePtr r, Eval(f.record, env, comp));
            const auto* rec = std::get_if<VRecord>(&r->v);
            if (!rec) {
              return RuntimeFail(RuntimeError::kTypeMismatch,
                                 fmt::format("field .{} of a {}", f.field, TypeNameOf(*r)));
            }
            for (const auto& [n, v] : rec->fields) {
              if (n == f.field) return v;
            }
            return RuntimeFail(RuntimeError::kNoSuchField,
                               fmt::format("the record has no field {}", f.field));
          },
          [&](const EBinary& b) { return Binary(b, env, comp); },
      },
      e->node);
}

Status RunOnLargeStack(const std::function<void()>& fn) {
  struct Job {
    const std::function<void()>* fn;
    bool out_of_memory = false;
  } job{&fn};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kEvalStackBytes);
  pthread_t thread;
  auto run = [](void* p) -> void* {
    auto* j = static_cast<Job*>(p);
    try {
      (*j->fn)();
    } catch (const std::bad_alloc&) {
      // The budget is checked before large allocations; this is the last resort.
      j->out_of_memory = true;
    }
    return nullptr;
  };
  const int rc = pthread_create(&thread, &attr, run, &job);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    // Running here instead would let the depth limit pass the end of this stack.
    return Fail(ErrorCode::kEvaluation, "cannot start the evaluation thread ({} MiB stack): {}",
                kEvalStackBytes >> 20, std::strerror(rc));
  }
  pthread_join(thread, nullptr);
  if (job.out_of_memory) {
    return RuntimeFail(RuntimeError::kMemory, "the machine ran out of memory during evaluation");
  }
  return {};
}

}  // namespace weft::lang
