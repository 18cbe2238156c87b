// Operators and value formatting for the evaluator (evaluator.h).
#include <cmath>
#include <limits>

#include "lang/builtin_types.h"
#include "lang/dict.h"
#include "lang/evaluator.h"

namespace weft::lang {
namespace {

std::unexpected<weft::Error> OperandMismatch(BinOp op, const Value& a, const Value& b) {
  return RuntimeFail(
      RuntimeError::kTypeMismatch,
      fmt::format("{} cannot combine {} and {}", BinOpText(op), TypeNameOf(a), TypeNameOf(b)));
}

Result<ValuePtr> IntArith(BinOp op, std::int64_t x, std::int64_t y) {
  std::int64_t r = 0;
  bool overflow = false;
  switch (op) {
    case BinOp::kAdd:
      overflow = __builtin_add_overflow(x, y, &r);
      break;
    case BinOp::kSub:
      overflow = __builtin_sub_overflow(x, y, &r);
      break;
    case BinOp::kMul:
      overflow = __builtin_mul_overflow(x, y, &r);
      break;
    case BinOp::kDiv:
    case BinOp::kMod:
      if (y == 0)
        return RuntimeFail(RuntimeError::kDivisionByZero, fmt::format("{} {} 0", x, BinOpText(op)));
      if (x == std::numeric_limits<std::int64_t>::min() && y == -1) {
        overflow = true;
        break;
      }
      r = op == BinOp::kDiv ? x / y : x % y;
      break;
    default:
      break;
  }
  if (overflow)
    return RuntimeFail(RuntimeError::kOverflow, fmt::format("{} {} {}", x, BinOpText(op), y));
  return MakeValue(r);
}

Result<ValuePtr> FloatArith(BinOp op, double x, double y) {
  switch (op) {
    case BinOp::kAdd:
      return MakeValue(x + y);
    case BinOp::kSub:
      return MakeValue(x - y);
    case BinOp::kMul:
      return MakeValue(x * y);
    case BinOp::kDiv:
      return MakeValue(x / y);
    default:
      return MakeValue(std::fmod(x, y));
  }
}

template <typename T>
bool Compare(BinOp op, const T& x, const T& y) {
  switch (op) {
    case BinOp::kLt:
      return x < y;
    case BinOp::kLe:
      return x <= y;
    case BinOp::kGt:
      return x > y;
    default:
      return x >= y;
  }
}

}  // namespace

Result<ValuePtr> Evaluator::Binary(const EBinary& b, const EnvPtr& env,
                                   const std::shared_ptr<const LoadedComponent>& comp) {
  WEFT_ASSIGN_OR_RETURN(ValuePtr l, Eval(b.left, env, comp));
  if (b.op == BinOp::kAnd || b.op == BinOp::kOr) {
    const auto* x = std::get_if<bool>(&l->v);
    if (!x)
      return RuntimeFail(RuntimeError::kTypeMismatch,
                         fmt::format("{} needs Bools, got {}", BinOpText(b.op), TypeNameOf(*l)));
    if (*x == (b.op == BinOp::kOr)) return l;
    WEFT_ASSIGN_OR_RETURN(ValuePtr r, Eval(b.right, env, comp));
    if (!std::holds_alternative<bool>(r->v)) {
      return RuntimeFail(RuntimeError::kTypeMismatch,
                         fmt::format("{} needs Bools, got {}", BinOpText(b.op), TypeNameOf(*r)));
    }
    return r;
  }
  WEFT_ASSIGN_OR_RETURN(ValuePtr r, Eval(b.right, env, comp));
  switch (b.op) {
    case BinOp::kPipe:
      return Apply(r, {l});
    case BinOp::kEq:
    case BinOp::kNe: {
      WEFT_ASSIGN_OR_RETURN(bool eq, Equal(l, r));
      return MakeValue(b.op == BinOp::kEq ? eq : !eq);
    }
    case BinOp::kCons: {
      const auto* tail = std::get_if<VList>(&r->v);
      if (!tail) return OperandMismatch(b.op, *l, *r);
      WEFT_TRY(meter_.Reserve(ItemsCost(tail->size() + 1)));
      std::vector<ValuePtr> items;
      items.reserve(tail->size() + 1);
      items.push_back(l);
      for (std::size_t i = 0; i < tail->size(); ++i) items.push_back(tail->at(i));
      return MakeValue(VList{MakeItems(std::move(items)), 0});
    }
    case BinOp::kConcat: {
      const auto* xs = std::get_if<std::string>(&l->v);
      const auto* ys = std::get_if<std::string>(&r->v);
      if (xs && ys) {
        WEFT_TRY(meter_.Reserve(xs->size() + ys->size()));
        return MakeValue(*xs + *ys);
      }
      const auto* xl = std::get_if<VList>(&l->v);
      const auto* yl = std::get_if<VList>(&r->v);
      if (!xl || !yl) return OperandMismatch(b.op, *l, *r);
      WEFT_TRY(meter_.Reserve(ItemsCost(xl->size() + yl->size())));
      std::vector<ValuePtr> items;
      items.reserve(xl->size() + yl->size());
      for (std::size_t i = 0; i < xl->size(); ++i) items.push_back(xl->at(i));
      for (std::size_t i = 0; i < yl->size(); ++i) items.push_back(yl->at(i));
      return MakeValue(VList{MakeItems(std::move(items)), 0});
    }
    case BinOp::kLt:
    case BinOp::kLe:
    case BinOp::kGt:
    case BinOp::kGe: {
      if (l->v.index() != r->v.index()) return OperandMismatch(b.op, *l, *r);
      if (const auto* x = std::get_if<std::int64_t>(&l->v))
        return MakeValue(Compare(b.op, *x, std::get<std::int64_t>(r->v)));
      if (const auto* x = std::get_if<double>(&l->v))
        return MakeValue(Compare(b.op, *x, std::get<double>(r->v)));
      if (const auto* x = std::get_if<std::string>(&l->v))
        return MakeValue(Compare(b.op, *x, std::get<std::string>(r->v)));
      return OperandMismatch(b.op, *l, *r);
    }
    default: {
      const auto* xi = std::get_if<std::int64_t>(&l->v);
      const auto* yi = std::get_if<std::int64_t>(&r->v);
      if (xi && yi) return IntArith(b.op, *xi, *yi);
      const auto* xf = std::get_if<double>(&l->v);
      const auto* yf = std::get_if<double>(&r->v);
      if (xf && yf) return FloatArith(b.op, *xf, *yf);
      return OperandMismatch(b.op, *l, *r);
    }
  }
}

std::string FormatFloat(double v) {
  if (std::isnan(v)) return "nan";  // never "-nan": NaN has no sign worth showing
  return PrintLiteral(Literal{v});
}

std::string FormatValue(const ValuePtr& v, const PrintNames& names) {
  return std::visit(
      Overloaded{
          [&](const VList& l) {
            std::string s = "[";
            for (std::size_t i = 0; i < l.size(); ++i)
              s += (i ? ", " : "") + FormatValue(l.at(i), names);
            return s + "]";
          },
          [&](const VRecord& r) {
            std::string s = "{ ";
            for (std::size_t i = 0; i < r.fields.size(); ++i) {
              s += (i ? ", " : "") + r.fields[i].first + " = " +
                   FormatValue(r.fields[i].second, names);
            }
            return s + " }";
          },
          [&](const VVariant& x) {
            const BuiltinType* builtin = BuiltinTypeOf(x.type);
            std::string s =
                builtin ? std::string(builtin->name) + "." + BuiltinCaseName(x.type, x.case_index)
                        : names.item(x.type) + "." + names.case_name(x.type, x.case_index);
            for (const auto& a : x.args) {
              std::string inner = FormatValue(a, names);
              bool wrap =
                  std::holds_alternative<VVariant>(a->v) && !std::get<VVariant>(a->v).args.empty();
              wrap = wrap || inner.starts_with("-");
              s += " " + (wrap ? "(" + inner + ")" : inner);
            }
            return s;
          },
          [&](const VClosure&) { return std::string("<function>"); },
          [&](const VBuiltin& b) { return fmt::format("<builtin {}>", b.info->name); },
          [&](const VConstructor&) { return std::string("<constructor>"); },
          [&](const VDict& d) {
            // Source that evaluates back to the same Dict.
            std::string s = "Builtin.Dict.fromList [";
            bool first = true;
            DictForEach(d.root, [&](const DictNode& n) {
              s += fmt::format("{}{{ key = {}, value = {} }}", first ? "" : ", ",
                               FormatValue(n.key, names), FormatValue(n.value, names));
              first = false;
            });
            return s + "]";
          },
          [&](double x) { return FormatFloat(x); },
          [&](const auto& x) { return PrintLiteral(Literal{x}); },
      },
      v->v);
}

}  // namespace weft::lang
