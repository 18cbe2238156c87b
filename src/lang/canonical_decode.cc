#include <algorithm>
#include <bit>
#include <limits>
#include <map>

#include "core/codec.h"
#include "lang/builtin_types.h"
#include "lang/canonical_codec.h"
#include "lang/canonical_tags.h"
#include "lang/nesting.h"

namespace weft::lang {
namespace {

using namespace tags;  // NOLINT: the grammar's tag names read best unqualified

// ---------------------------------------------------------------- decoding

class Decoder {
 public:
  Decoder(ByteView body, const std::vector<Digest>& refs, std::vector<std::string> binder_names,
          std::size_t member_count)
      : r_(body), refs_(refs), names_(std::move(binder_names)), members_(member_count) {}

  Reader& reader() { return r_; }
  void ResetNames(std::vector<std::string> names) {
    names_ = std::move(names);
    next_name_ = 0;
  }

  Result<Target> Target_() {
    WEFT_ASSIGN_OR_RETURN(std::uint8_t tag, r_.GetU8());
    WEFT_ASSIGN_OR_RETURN(std::uint64_t i, r_.GetVarint());
    Target t;
    if (tag == kTargetSelf) {
      if (i >= members_)
        return Fail(ErrorCode::kCorruption, "component position {} out of range", i);
      t.kind = Target::Kind::kSelf;
      t.self = static_cast<std::uint32_t>(i);
    } else if (tag == kTargetItem) {
      WEFT_TRY(UseRef(i));
      t.kind = Target::Kind::kItem;
      t.item = refs_[i];
    } else if (tag == kTargetBuiltin) {
      if (i >= AllBuiltinTypes().size())
        return Fail(ErrorCode::kCorruption, "builtin type {} is not known to this Release", i);
      t = BuiltinTarget(static_cast<std::uint32_t>(i));
    } else {
      return Fail(ErrorCode::kCorruption, "unknown target tag {}", tag);
    }
    return t;
  }

  // A constructor's case: it must fit the field it is kept in, or re-encoding
  // would write another number (found by fuzz_item).
  Result<std::uint32_t> CaseIndex() {
    WEFT_ASSIGN_OR_RETURN(std::uint64_t ci, r_.GetVarint());
    if (ci > std::numeric_limits<std::uint32_t>::max())
      return Fail(ErrorCode::kCorruption, "case index {} out of range", ci);
    return static_cast<std::uint32_t>(ci);
  }

  Result<std::uint32_t> Count() {
    WEFT_ASSIGN_OR_RETURN(std::uint64_t n, r_.GetVarint());
    if (n > r_.remaining()) return Fail(ErrorCode::kCorruption, "count {} exceeds the input", n);
    return static_cast<std::uint32_t>(n);
  }

  // varint(n) then n elements read by `one`.
  template <typename T, typename F>
  Result<std::vector<T>> ListOf(F&& one) {
    WEFT_ASSIGN_OR_RETURN(std::uint32_t n, Count());
    std::vector<T> out;
    for (std::uint32_t i = 0; i < n; ++i) {
      WEFT_ASSIGN_OR_RETURN(T x, one());
      out.push_back(std::move(x));
    }
    return out;
  }
  // varint(n) then n (string(name), element) pairs.
  template <typename T, typename F>
  Result<std::vector<std::pair<std::string, T>>> FieldsOf(F&& one) {
    return ListOf<std::pair<std::string, T>>([&]() -> Result<std::pair<std::string, T>> {
      WEFT_ASSIGN_OR_RETURN(std::string name, r_.GetString());
      WEFT_ASSIGN_OR_RETURN(T x, one());
      return std::make_pair(std::move(name), std::move(x));
    });
  }

  std::string NextName() {
    if (next_name_ < names_.size()) return names_[next_name_++];
    return fmt::format("x{}", ++generated_);
  }

  Result<Literal> Lit(std::uint8_t tag) {
    switch (tag) {
      case kUnit:
        return Literal{};
      case kInt: {
        WEFT_ASSIGN_OR_RETURN(std::uint64_t v, r_.GetVarint());
        return Literal{UnZigZag(v)};
      }
      case kFloat: {
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) {
          WEFT_ASSIGN_OR_RETURN(std::uint8_t b, r_.GetU8());
          bits |= static_cast<std::uint64_t>(b) << (8 * i);
        }
        return Literal{std::bit_cast<double>(bits)};
      }
      case kString: {
        WEFT_ASSIGN_OR_RETURN(std::string s, r_.GetString());
        return Literal{std::move(s)};
      }
      case kBool: {
        WEFT_ASSIGN_OR_RETURN(std::uint8_t b, r_.GetU8());
        if (b > 1) return Fail(ErrorCode::kCorruption, "bad boolean {}", b);
        return Literal{b == 1};
      }
      default:
        return Fail(ErrorCode::kCorruption, "unknown literal tag {}", tag);
    }
  }

  // Enter() counts one level of nesting; a Leave undoes it at scope exit.
  Status Enter() {
    // The limit every item was encoded under (lang/nesting.h): deeper did not come
    // from weft.
    if (static_cast<std::size_t>(++depth_) > kMaxNesting) {
      return Fail(ErrorCode::kCorruption, "item nests deeper than {} levels", kMaxNesting);
    }
    return {};
  }
  struct Leave {
    int& d;
    ~Leave() { --d; }
  };

  Result<PatternPtr> Pat(std::uint32_t& bound) {
    WEFT_TRY(Enter());
    Leave leave{depth_};
    WEFT_ASSIGN_OR_RETURN(std::uint8_t tag, r_.GetU8());
    switch (tag) {
      case kPWild:
        return MakePattern(PWild{});
      case kPVar:
        ++bound;
        return MakePattern(PVar{NextName()});
      case kPLit: {
        WEFT_ASSIGN_OR_RETURN(std::uint8_t lt, r_.GetU8());
        WEFT_ASSIGN_OR_RETURN(Literal l, Lit(lt));
        return MakePattern(PLit{std::move(l)});
      }
      case kPNil:
        return MakePattern(PNil{});
      case kPCons: {
        WEFT_ASSIGN_OR_RETURN(PatternPtr h, Pat(bound));
        WEFT_ASSIGN_OR_RETURN(PatternPtr t, Pat(bound));
        return MakePattern(PCons{h, t});
      }
      case kPList: {
        PList l;
        WEFT_ASSIGN_OR_RETURN(l.items, ListOf<PatternPtr>([&] { return Pat(bound); }));
        return MakePattern(std::move(l));
      }
      case kPCtor: {
        PCtor c;
        WEFT_ASSIGN_OR_RETURN(c.type, Target_());
        WEFT_ASSIGN_OR_RETURN(c.case_index, CaseIndex());
        WEFT_ASSIGN_OR_RETURN(c.args, ListOf<PatternPtr>([&] { return Pat(bound); }));
        return MakePattern(std::move(c));
      }
      case kPRecord: {
        PRecord rec;
        WEFT_ASSIGN_OR_RETURN(rec.fields, FieldsOf<PatternPtr>([&] { return Pat(bound); }));
        return MakePattern(std::move(rec));
      }
      default:
        return Fail(ErrorCode::kCorruption, "unknown pattern tag {}", tag);
    }
  }

  // `scope` is the number of variables in scope. Ex only dispatches: each kind
  // is read by a function of its own, so the frame that repeats once per level
  // of nesting holds no case's locals (under AddressSanitizer, with a redzone
  // per local, a 1,000-level item overflowed even a 64 MiB stack).
  Result<ExprPtr> Ex(std::uint32_t scope) {
    WEFT_TRY(Enter());
    Leave leave{depth_};
    WEFT_ASSIGN_OR_RETURN(std::uint8_t tag, r_.GetU8());
    switch (tag) {
      case kUnit:
      case kInt:
      case kFloat:
      case kString:
      case kBool:
      case kVar:
      case kRef:
      case kSelfRef:
      case kCtor:
      case kBuiltin:
        return Leaf(tag, scope);
      case kLambda:
        return Lambda(scope);
      case kApp:
        return App(scope);
      case kLet:
        return Let(scope);
      case kIf:
        return If(scope);
      case kMatch:
        return Match(scope);
      case kList:
        return List(scope);
      case kRecord:
        return Record(scope);
      case kField:
        return Field(scope);
      case kBinary:
        return Binary(scope);
      default:
        return Fail(ErrorCode::kCorruption, "unknown expression tag {}", tag);
    }
  }

  [[gnu::noinline]] Result<ExprPtr> Leaf(std::uint8_t tag, std::uint32_t scope) {
    switch (tag) {
      case kVar: {
        WEFT_ASSIGN_OR_RETURN(std::uint64_t i, r_.GetVarint());
        if (i >= scope) return Fail(ErrorCode::kCorruption, "variable index {} out of scope", i);
        return MakeExpr(EVar{"", static_cast<std::uint32_t>(i)});
      }
      case kRef: {
        WEFT_ASSIGN_OR_RETURN(std::uint64_t i, r_.GetVarint());
        WEFT_TRY(UseRef(i));
        return MakeExpr(ERef{"", Target{Target::Kind::kItem, refs_[i], 0}});
      }
      case kSelfRef: {
        WEFT_ASSIGN_OR_RETURN(std::uint64_t i, r_.GetVarint());
        if (i >= members_)
          return Fail(ErrorCode::kCorruption, "component position {} out of range", i);
        return MakeExpr(ERef{"", Target{Target::Kind::kSelf, {}, static_cast<std::uint32_t>(i)}});
      }
      case kCtor: {
        ECtor c;
        WEFT_ASSIGN_OR_RETURN(c.type, Target_());
        WEFT_ASSIGN_OR_RETURN(c.case_index, CaseIndex());
        return MakeExpr(std::move(c));
      }
      case kBuiltin: {
        WEFT_ASSIGN_OR_RETURN(std::string name, r_.GetString());
        return MakeExpr(EBuiltin{std::move(name)});
      }
      default: {  // kUnit, kInt, kFloat, kString, kBool
        WEFT_ASSIGN_OR_RETURN(Literal l, Lit(tag));
        return MakeExpr(std::move(l));
      }
    }
  }

  [[gnu::noinline]] Result<ExprPtr> Lambda(std::uint32_t scope) {
    WEFT_ASSIGN_OR_RETURN(std::uint32_t n, Count());
    if (n == 0) return Fail(ErrorCode::kCorruption, "lambda without parameters");
    ELambda l;
    for (std::uint32_t i = 0; i < n; ++i) l.params.push_back(NextName());
    WEFT_ASSIGN_OR_RETURN(l.body, Ex(scope + n));
    return MakeExpr(std::move(l));
  }

  [[gnu::noinline]] Result<ExprPtr> App(std::uint32_t scope) {
    EApp a;
    WEFT_ASSIGN_OR_RETURN(a.fn, Ex(scope));
    WEFT_ASSIGN_OR_RETURN(a.args, ListOf<ExprPtr>([&] { return Ex(scope); }));
    return MakeExpr(std::move(a));
  }

  [[gnu::noinline]] Result<ExprPtr> Let(std::uint32_t scope) {
    ELet l;
    WEFT_ASSIGN_OR_RETURN(l.value, Ex(scope));
    l.name = NextName();
    WEFT_ASSIGN_OR_RETURN(l.body, Ex(scope + 1));
    return MakeExpr(std::move(l));
  }

  [[gnu::noinline]] Result<ExprPtr> If(std::uint32_t scope) {
    EIf i;
    WEFT_ASSIGN_OR_RETURN(i.cond, Ex(scope));
    WEFT_ASSIGN_OR_RETURN(i.then_branch, Ex(scope));
    WEFT_ASSIGN_OR_RETURN(i.else_branch, Ex(scope));
    return MakeExpr(std::move(i));
  }

  [[gnu::noinline]] Result<ExprPtr> Match(std::uint32_t scope) {
    EMatch m;
    WEFT_ASSIGN_OR_RETURN(m.scrutinee, Ex(scope));
    WEFT_ASSIGN_OR_RETURN(std::uint32_t n, Count());
    for (std::uint32_t i = 0; i < n; ++i) {
      std::uint32_t bound = 0;
      WEFT_ASSIGN_OR_RETURN(PatternPtr p, Pat(bound));
      WEFT_ASSIGN_OR_RETURN(ExprPtr body, Ex(scope + bound));
      m.cases.push_back(MatchCase{p, body});
    }
    return MakeExpr(std::move(m));
  }

  [[gnu::noinline]] Result<ExprPtr> List(std::uint32_t scope) {
    EList l;
    WEFT_ASSIGN_OR_RETURN(l.items, ListOf<ExprPtr>([&] { return Ex(scope); }));
    return MakeExpr(std::move(l));
  }

  [[gnu::noinline]] Result<ExprPtr> Record(std::uint32_t scope) {
    ERecord rec;
    WEFT_ASSIGN_OR_RETURN(rec.fields, FieldsOf<ExprPtr>([&] { return Ex(scope); }));
    return MakeExpr(std::move(rec));
  }

  [[gnu::noinline]] Result<ExprPtr> Field(std::uint32_t scope) {
    EField f;
    WEFT_ASSIGN_OR_RETURN(f.record, Ex(scope));
    WEFT_ASSIGN_OR_RETURN(f.field, r_.GetString());
    return MakeExpr(std::move(f));
  }

  [[gnu::noinline]] Result<ExprPtr> Binary(std::uint32_t scope) {
    WEFT_ASSIGN_OR_RETURN(std::uint8_t op, r_.GetU8());
    if (op < 1 || op > static_cast<std::uint8_t>(BinOp::kPipe)) {
      return Fail(ErrorCode::kCorruption, "unknown operator {}", op);
    }
    EBinary b{static_cast<BinOp>(op), nullptr, nullptr};
    WEFT_ASSIGN_OR_RETURN(b.left, Ex(scope));
    WEFT_ASSIGN_OR_RETURN(b.right, Ex(scope));
    return MakeExpr(std::move(b));
  }

  Result<TypeExprPtr> Ty() {
    WEFT_TRY(Enter());
    Leave leave{depth_};
    WEFT_ASSIGN_OR_RETURN(std::uint8_t tag, r_.GetU8());
    switch (tag) {
      case kTBuiltin: {
        WEFT_ASSIGN_OR_RETURN(std::string name, r_.GetString());
        return MakeType(TBuiltin{std::move(name)});
      }
      case kTRef: {
        WEFT_ASSIGN_OR_RETURN(Target t, Target_());
        return MakeType(TRef{"", t});
      }
      case kTList: {
        WEFT_ASSIGN_OR_RETURN(TypeExprPtr e, Ty());
        return MakeType(TList{e});
      }
      case kTRecord: {
        WEFT_ASSIGN_OR_RETURN(TRecord rec, RecBody());
        return MakeType(std::move(rec));
      }
      default:
        return Fail(ErrorCode::kCorruption, "unknown type tag {}", tag);
    }
  }
  Result<TRecord> RecBody() {
    TRecord rec;
    WEFT_ASSIGN_OR_RETURN(rec.fields, FieldsOf<TypeExprPtr>([&] { return Ty(); }));
    return rec;
  }

  // The encoder lists exactly the items a body refers to, so an unused ref is a
  // second encoding of the same code under another hash: refused.
  Status CheckEveryRefUsed() const {
    for (std::size_t i = 0; i < used_.size(); ++i) {
      if (!used_[i])
        return Fail(ErrorCode::kCorruption, "the item lists reference {} but never uses it", i);
    }
    return {};
  }

 private:
  Status UseRef(std::uint64_t i) {
    if (i >= refs_.size()) return Fail(ErrorCode::kCorruption, "reference {} out of range", i);
    used_[i] = true;
    return {};
  }

  Reader r_;
  const std::vector<Digest>& refs_;
  std::vector<bool> used_ = std::vector<bool>(refs_.size());
  std::vector<std::string> names_;
  std::size_t next_name_ = 0;
  int generated_ = 0;
  int depth_ = 0;
  std::size_t members_;
};

struct MemberDisplay {
  std::string name;
  std::string source;
  std::vector<std::string> binders;
  std::vector<std::string> cases;
  std::optional<std::vector<std::string>> written;
};

Result<std::vector<MemberDisplay>> DecodeDisplay(ByteView display) {
  std::vector<MemberDisplay> out;
  if (display.empty()) return out;
  Reader r(display);
  WEFT_ASSIGN_OR_RETURN(std::uint64_t version, r.GetVarint());
  if (version != 1 && version != 2)
    return Fail(ErrorCode::kCorruption, "unknown display metadata version {}", version);
  WEFT_ASSIGN_OR_RETURN(std::uint64_t n, r.GetVarintAtMost(display.size(), "member count"));
  for (std::uint64_t i = 0; i < n; ++i) {
    MemberDisplay m;
    WEFT_ASSIGN_OR_RETURN(m.name, r.GetString());
    WEFT_ASSIGN_OR_RETURN(m.source, r.GetString());
    WEFT_ASSIGN_OR_RETURN(std::uint64_t nb, r.GetVarintAtMost(display.size(), "binder count"));
    for (std::uint64_t k = 0; k < nb; ++k) {
      WEFT_ASSIGN_OR_RETURN(std::string b, r.GetString());
      m.binders.push_back(std::move(b));
    }
    WEFT_ASSIGN_OR_RETURN(std::uint64_t nc, r.GetVarintAtMost(display.size(), "case count"));
    for (std::uint64_t k = 0; k < nc; ++k) {
      WEFT_ASSIGN_OR_RETURN(std::string c, r.GetString());
      m.cases.push_back(std::move(c));
    }
    if (version >= 2) {
      WEFT_ASSIGN_OR_RETURN(std::uint64_t nw, r.GetVarintAtMost(display.size(), "name count"));
      m.written.emplace();
      for (std::uint64_t k = 0; k < nw; ++k) {
        WEFT_ASSIGN_OR_RETURN(std::string w, r.GetString());
        m.written->push_back(std::move(w));
      }
    }
    out.push_back(std::move(m));
  }
  WEFT_TRY(r.ExpectEnd("display metadata"));
  return out;
}

}  // namespace

Result<DecodedComponent> DecodeComponent(ByteView body, const std::vector<Digest>& refs,
                                         ByteView display) {
  WEFT_ASSIGN_OR_RETURN(std::vector<MemberDisplay> shown, DecodeDisplay(display));
  Reader head(body);
  WEFT_ASSIGN_OR_RETURN(std::uint64_t version, head.GetVarint());
  if (version != kLangVersion && version != kTypeLangVersion) {
    return Fail(ErrorCode::kCorruption, "item uses language version {}, this weft reads {} and {}",
                version, kLangVersion, kTypeLangVersion);
  }
  WEFT_ASSIGN_OR_RETURN(std::uint64_t count, head.GetVarint());
  WEFT_ASSIGN_OR_RETURN(std::uint64_t self, head.GetVarint());
  if (count == 0 || count > 10'000 || self >= count) {
    return Fail(ErrorCode::kCorruption, "bad component header ({} members, position {})", count,
                self);
  }
  std::size_t consumed = body.size() - head.remaining();
  Decoder dec(body.subspan(consumed), refs, {}, count);
  DecodedComponent out;
  out.self = self;
  out.component.version = version;
  for (std::uint64_t m = 0; m < count; ++m) {
    const MemberDisplay* md = m < shown.size() ? &shown[m] : nullptr;
    dec.ResetNames(md ? md->binders : std::vector<std::string>{});
    Definition d;
    d.name = md ? md->name : "";
    d.source = md ? md->source : "";
    if (md) d.written_names = md->written;
    WEFT_ASSIGN_OR_RETURN(std::uint8_t kind, dec.reader().GetU8());
    if (kind < 1 || kind > 3)
      return Fail(ErrorCode::kCorruption, "unknown definition kind {}", kind);
    d.kind = static_cast<DefKind>(kind);
    if (d.kind != DefKind::kType && version == kTypeLangVersion) {
      return Fail(ErrorCode::kCorruption, "a type component holds a {}",
                  d.kind == DefKind::kFn ? "fn" : "val");
    }
    if (d.kind == DefKind::kType && version == kTypeLangVersion) {
      WEFT_ASSIGN_OR_RETURN(d.identity, dec.reader().GetString());
      if (d.identity.empty()) return Fail(ErrorCode::kCorruption, "a type without an identity");
    }
    if (d.kind == DefKind::kType) {
      WEFT_ASSIGN_OR_RETURN(std::uint8_t shape, dec.reader().GetU8());
      TypeBody tb;
      if (shape == 0) {
        WEFT_ASSIGN_OR_RETURN(std::uint8_t rt, dec.reader().GetU8());
        if (rt != 3) return Fail(ErrorCode::kCorruption, "record type expected");
        WEFT_ASSIGN_OR_RETURN(tb.record, dec.RecBody());
      } else if (shape == 1) {
        WEFT_ASSIGN_OR_RETURN(std::uint32_t n, dec.Count());
        for (std::uint32_t c = 0; c < n; ++c) {
          VariantCase vc;
          vc.name = md && c < md->cases.size() ? md->cases[c] : fmt::format("Case{}", c);
          WEFT_ASSIGN_OR_RETURN(vc.args, dec.ListOf<TypeExprPtr>([&] { return dec.Ty(); }));
          tb.cases.push_back(std::move(vc));
        }
      } else {
        return Fail(ErrorCode::kCorruption, "unknown type shape {}", shape);
      }
      d.type = std::move(tb);
    } else {
      WEFT_ASSIGN_OR_RETURN(d.body, dec.Ex(0));
    }
    out.component.members.push_back(std::move(d));
  }
  WEFT_TRY(dec.reader().ExpectEnd("item body"));
  WEFT_TRY(dec.CheckEveryRefUsed());
  return out;
}

}  // namespace weft::lang
