#include "lang/evaluator.h"

#include <algorithm>

#include "lang/builtin_types.h"

namespace weft::lang {

namespace {

using CompPtr = std::shared_ptr<const LoadedComponent>;

EnvPtr Push(EnvPtr env, ValuePtr v) { return PushEnv(std::move(env), std::move(v)); }

}  // namespace

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

Evaluator::~Evaluator() {
  for (auto& [item, component] : components_) component->values.clear();
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

Result<ValuePtr> Evaluator::ItemValue(const Digest& item) {
  WEFT_ASSIGN_OR_RETURN(CompPtr comp, LoadComponent(item));
  return Member(comp, comp->self);
}

Result<ValuePtr> Evaluator::EvalItem(const Digest& item) {
  MeterScope scope(&meter_);
  return Traced(ItemValue(item));
}

Result<ValuePtr> Evaluator::EvalExpr(const ExprPtr& expr) {
  MeterScope scope(&meter_);
  return Traced(Eval(expr, nullptr, nullptr));
}

Result<ValuePtr> Evaluator::Call(const ValuePtr& fn, std::vector<ValuePtr> args) {
  MeterScope scope(&meter_);
  return Traced(Apply(fn, std::move(args)));
}

Result<ValuePtr> Evaluator::Constructor(const Target& type, std::uint32_t case_index) {
  if (type.kind == Target::Kind::kBuiltin) {
    const BuiltinType* t = BuiltinTypeOf(type.item);
    if (!t || case_index >= t->cases.size())
      return RuntimeFail(RuntimeError::kBadItem,
                         "a constructor names a case its type does not have");
    const std::size_t arity = t->cases[case_index].arity;
    if (arity == 0) return MakeValue(VVariant{type.item, case_index, {}});
    return MakeValue(VConstructor{type.item, case_index, arity, {}});
  }
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
      frames_.push_back(FunctionName(*c));
      Result<ValuePtr> r = Eval(lambda.body, env, c->component);
      frames_.pop_back();
      WEFT_ASSIGN_OR_RETURN(f, std::move(r));
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
      WEFT_ASSIGN_OR_RETURN(f, b->info->fn(have, *this));
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

Result<ValuePtr> Evaluator::Eval(const ExprPtr& e, const EnvPtr& env, const CompPtr& comp) {
  if (++depth_ > limits_.max_depth) {
    --depth_;
    return RuntimeFail(RuntimeError::kDepth,
                       fmt::format("nesting passed the limit of {}; --max-depth raises it "
                                   "(at most {})",
                                   limits_.max_depth, kMaxEvalDepth));
  }
  struct Leave {
    std::uint32_t& d;
    ~Leave() { --d; }
  } leave{depth_};
  const std::size_t base = frames_.size();
  Result<ValuePtr> r = EvalTail(e, env, comp, base);
  if (!r) NoteFailure();
  frames_.resize(base);
  return r;
}

// Evaluates `e0`, following tail positions (the branches of `if` and `match`, the
// body of `let`, a call that saturates a closure, `x |> f`) in this loop instead of
// a nested call: a tail-recursive loop runs in constant stack and memory. A tail
// call into a function replaces the frame this invocation pushed for the trace.
Result<ValuePtr> Evaluator::EvalTail(const ExprPtr& e0, const EnvPtr& env0, const CompPtr& comp0,
                                     std::size_t base) {
  const ExprPtr* e = &e0;
  const EnvPtr* env = &env0;
  const CompPtr* comp = &comp0;
  ExprPtr e_hold;
  EnvPtr env_hold;
  CompPtr comp_hold;
  // Continues the loop in `body` under `new_env`; the holders keep them alive.
  auto jump = [&](ExprPtr body, EnvPtr new_env, CompPtr new_comp) {
    e_hold = std::move(body);
    env_hold = std::move(new_env);
    comp_hold = std::move(new_comp);
    e = &e_hold;
    env = &env_hold;
    comp = &comp_hold;
  };
  // A call in tail position: enters a closure it saturates, else applies.
  // Returns nullopt when the loop goes on in the closure's body.
  auto tail_call = [&](const ValuePtr& f,
                       std::vector<ValuePtr> args) -> std::optional<Result<ValuePtr>> {
    const auto* c = std::get_if<VClosure>(&f->v);
    if (!c) return Apply(f, std::move(args));
    const auto& lambda = std::get<ELambda>(c->lambda->node);
    if (c->applied.size() + args.size() != lambda.params.size()) return Apply(f, std::move(args));
    EnvPtr inner = c->env;
    for (const auto& v : c->applied) inner = Push(inner, v);
    for (auto& v : args) inner = Push(inner, std::move(v));
    const std::string* name = FunctionName(*c);
    if (frames_.size() == base) {
      frames_.push_back(name);
    } else {
      frames_.back() = name;
    }
    jump(lambda.body, std::move(inner), c->component);
    return std::nullopt;
  };
  for (;;) {
    if (++steps_ > limits_.max_steps) {
      return RuntimeFail(
          RuntimeError::kStepBudget,
          fmt::format("stopped after {} steps; --max-steps raises it", limits_.max_steps));
    }
    // The clock is read every 4,096 steps: a step is far below a microsecond.
    if (limits_.max_time.count() > 0 && (steps_ & 4095) == 0 &&
        std::chrono::steady_clock::now() - started_ > limits_.max_time) {
      return RuntimeFail(RuntimeError::kTimeLimit,
                         fmt::format("stopped after {} ms", limits_.max_time.count()));
    }
    if (meter_.over()) return Fail(meter_.Exceeded());
    const auto& node = (*e)->node;
    if (const auto* i = std::get_if<EIf>(&node)) {
      WEFT_ASSIGN_OR_RETURN(ValuePtr c, Eval(i->cond, *env, *comp));
      const auto* b = std::get_if<bool>(&c->v);
      if (!b)
        return RuntimeFail(RuntimeError::kTypeMismatch,
                           fmt::format("if needs a Bool, got {}", TypeNameOf(*c)));
      e_hold = *b ? i->then_branch : i->else_branch;
      e = &e_hold;
      continue;
    }
    if (const auto* l = std::get_if<ELet>(&node)) {
      WEFT_ASSIGN_OR_RETURN(ValuePtr v, Eval(l->value, *env, *comp));
      jump(l->body, Push(*env, std::move(v)), *comp);
      continue;
    }
    if (const auto* m = std::get_if<EMatch>(&node)) {
      WEFT_ASSIGN_OR_RETURN(ValuePtr s, Eval(m->scrutinee, *env, *comp));
      const MatchCase* hit = nullptr;
      std::vector<ValuePtr> bound;
      for (const auto& c : m->cases) {
        bound.clear();
        WEFT_ASSIGN_OR_RETURN(bool matched, Match(*c.pattern, s, bound));
        if (matched) {
          hit = &c;
          break;
        }
      }
      if (!hit)
        return RuntimeFail(RuntimeError::kNonExhaustiveMatch,
                           fmt::format("no case matches a {}", TypeNameOf(*s)));
      EnvPtr inner = *env;
      for (auto& v : bound) inner = Push(inner, std::move(v));
      jump(hit->body, std::move(inner), *comp);
      continue;
    }
    if (const auto* a = std::get_if<EApp>(&node)) {
      WEFT_ASSIGN_OR_RETURN(ValuePtr f, Eval(a->fn, *env, *comp));
      std::vector<ValuePtr> args;
      args.reserve(a->args.size());
      for (const auto& x : a->args) {
        WEFT_ASSIGN_OR_RETURN(ValuePtr y, Eval(x, *env, *comp));
        args.push_back(std::move(y));
      }
      if (auto done = tail_call(f, std::move(args))) return std::move(*done);
      continue;
    }
    if (const auto* b = std::get_if<EBinary>(&node); b && b->op == BinOp::kPipe) {
      WEFT_ASSIGN_OR_RETURN(ValuePtr x, Eval(b->left, *env, *comp));
      WEFT_ASSIGN_OR_RETURN(ValuePtr f, Eval(b->right, *env, *comp));
      if (auto done = tail_call(f, {std::move(x)})) return std::move(*done);
      continue;
    }
    if (std::holds_alternative<ELambda>(node)) return MakeValue(VClosure{*e, *comp, *env, {}});
    return EvalNode(**e, *env, *comp);
  }
}

// The forms with no tail position.
Result<ValuePtr> Evaluator::EvalNode(const Expr& e, const EnvPtr& env, const CompPtr& comp) {
  return std::visit(
      Overloaded{
          [&](const Literal& l) -> Result<ValuePtr> { return LiteralValue(l); },
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
            return ItemValue(r.target.item);
          },
          [&](const ECtor& c) { return Constructor(c.type, c.case_index); },
          [&](const EBuiltin& b) -> Result<ValuePtr> {
            const BuiltinInfo* info = FindBuiltin(b.name);
            if (!info)
              return RuntimeFail(RuntimeError::kMissingItem,
                                 fmt::format("unknown builtin {}", b.name));
            if (info->arity == 0) return info->fn({}, *this);
            return MakeValue(VBuiltin{info, {}});
          },
          [&](const EList& l) -> Result<ValuePtr> {
            std::vector<ValuePtr> items;
            for (const auto& x : l.items) {
              WEFT_ASSIGN_OR_RETURN(ValuePtr y, Eval(x, env, comp));
              items.push_back(std::move(y));
            }
            return ListValue(std::move(items));
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
          [&](const auto&) -> Result<ValuePtr> {
            return RuntimeFail(RuntimeError::kBadItem,
                               "a form with a tail position reached EvalNode");
          },
      },
      e.node);
}

}  // namespace weft::lang
