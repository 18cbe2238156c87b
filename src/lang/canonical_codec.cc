#include "lang/canonical_codec.h"

#include <algorithm>
#include <bit>
#include <map>

#include "core/codec.h"

namespace weft::lang {
namespace {

enum ExprTag : std::uint8_t {
  kUnit = 0,
  kInt = 1,
  kFloat = 2,
  kString = 3,
  kBool = 4,
  kVar = 5,
  kRef = 6,
  kSelfRef = 7,
  kCtor = 8,
  kBuiltin = 9,
  kLambda = 10,
  kApp = 11,
  kLet = 12,
  kIf = 13,
  kMatch = 14,
  kList = 15,
  kRecord = 16,
  kField = 17,
  kBinary = 18,
};
enum PatTag : std::uint8_t {
  kPWild = 0,
  kPVar = 1,
  kPLit = 2,
  kPNil = 3,
  kPCons = 4,
  kPList = 5,
  kPCtor = 6,
  kPRecord = 7,
};
enum TypeTag : std::uint8_t { kTBuiltin = 0, kTRef = 1, kTList = 2, kTRecord = 3 };
enum TargetTag : std::uint8_t { kTargetItem = 0, kTargetSelf = 1 };

constexpr std::uint64_t ZigZag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
constexpr std::int64_t UnZigZag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

// ---------------------------------------------------------------- encoding

class Encoder {
 public:
  explicit Encoder(const std::map<Digest, std::uint64_t>& ref_index) : refs_(ref_index) {}

  void Target_(const Target& t) {
    if (t.kind == Target::Kind::kSelf) {
      w.PutU8(kTargetSelf);
      w.PutVarint(t.self);
    } else {
      w.PutU8(kTargetItem);
      w.PutVarint(refs_.at(t.item));
    }
  }

  void Lit(const Literal& l) {
    std::visit(Overloaded{
                   [&](std::monostate) { w.PutU8(kUnit); },
                   [&](std::int64_t v) {
                     w.PutU8(kInt);
                     w.PutVarint(ZigZag(v));
                   },
                   [&](double v) {
                     w.PutU8(kFloat);
                     std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
                     for (int i = 0; i < 8; ++i)
                       w.PutU8(static_cast<std::uint8_t>(bits >> (8 * i)));
                   },
                   [&](const std::string& s) {
                     w.PutU8(kString);
                     w.PutString(s);
                   },
                   [&](bool b) {
                     w.PutU8(kBool);
                     w.PutU8(b ? 1 : 0);
                   },
               },
               l.value);
  }

  void Pat(const Pattern& p) {
    std::visit(Overloaded{
                   [&](const PWild&) { w.PutU8(kPWild); },
                   [&](const PVar& v) {
                     w.PutU8(kPVar);
                     binders.push_back(v.name);
                   },
                   [&](const PLit& l) {
                     w.PutU8(kPLit);
                     Lit(l.value);
                   },
                   [&](const PNil&) { w.PutU8(kPNil); },
                   [&](const PCons& c) {
                     w.PutU8(kPCons);
                     Pat(*c.head);
                     Pat(*c.tail);
                   },
                   [&](const PList& l) {
                     w.PutU8(kPList);
                     w.PutVarint(l.items.size());
                     for (const auto& i : l.items) Pat(*i);
                   },
                   [&](const PCtor& c) {
                     w.PutU8(kPCtor);
                     Target_(c.type);
                     w.PutVarint(c.case_index);
                     w.PutVarint(c.args.size());
                     for (const auto& a : c.args) Pat(*a);
                   },
                   [&](const PRecord& r) {
                     w.PutU8(kPRecord);
                     w.PutVarint(r.fields.size());
                     for (const auto& [name, sub] : r.fields) {
                       w.PutString(name);
                       Pat(*sub);
                     }
                   },
               },
               p.node);
  }

  void Ex(const Expr& e) {
    std::visit(Overloaded{
                   [&](const Literal& l) { Lit(l); },
                   [&](const EVar& v) {
                     w.PutU8(kVar);
                     w.PutVarint(v.index);
                   },
                   [&](const ERef& r) {
                     if (r.target.kind == Target::Kind::kSelf) {
                       w.PutU8(kSelfRef);
                       w.PutVarint(r.target.self);
                     } else {
                       w.PutU8(kRef);
                       w.PutVarint(refs_.at(r.target.item));
                     }
                   },
                   [&](const ECtor& c) {
                     w.PutU8(kCtor);
                     Target_(c.type);
                     w.PutVarint(c.case_index);
                   },
                   [&](const EBuiltin& b) {
                     w.PutU8(kBuiltin);
                     w.PutString(b.name);
                   },
                   [&](const ELambda& l) {
                     w.PutU8(kLambda);
                     w.PutVarint(l.params.size());
                     for (const auto& p : l.params) binders.push_back(p);
                     Ex(*l.body);
                   },
                   [&](const EApp& a) {
                     w.PutU8(kApp);
                     Ex(*a.fn);
                     w.PutVarint(a.args.size());
                     for (const auto& x : a.args) Ex(*x);
                   },
                   [&](const ELet& l) {
                     w.PutU8(kLet);
                     Ex(*l.value);
                     binders.push_back(l.name);
                     Ex(*l.body);
                   },
                   [&](const EIf& i) {
                     w.PutU8(kIf);
                     Ex(*i.cond);
                     Ex(*i.then_branch);
                     Ex(*i.else_branch);
                   },
                   [&](const EMatch& m) {
                     w.PutU8(kMatch);
                     Ex(*m.scrutinee);
                     w.PutVarint(m.cases.size());
                     for (const auto& c : m.cases) {
                       Pat(*c.pattern);
                       Ex(*c.body);
                     }
                   },
                   [&](const EList& l) {
                     w.PutU8(kList);
                     w.PutVarint(l.items.size());
                     for (const auto& x : l.items) Ex(*x);
                   },
                   [&](const ERecord& r) {
                     w.PutU8(kRecord);
                     w.PutVarint(r.fields.size());
                     for (const auto& [name, value] : r.fields) {
                       w.PutString(name);
                       Ex(*value);
                     }
                   },
                   [&](const EField& f) {
                     w.PutU8(kField);
                     Ex(*f.record);
                     w.PutString(f.field);
                   },
                   [&](const EBinary& b) {
                     w.PutU8(kBinary);
                     w.PutU8(static_cast<std::uint8_t>(b.op));
                     Ex(*b.left);
                     Ex(*b.right);
                   },
               },
               e.node);
  }

  void Ty(const TypeExpr& t) {
    std::visit(Overloaded{
                   [&](const TBuiltin& b) {
                     w.PutU8(kTBuiltin);
                     w.PutString(b.name);
                   },
                   [&](const TRef& r) {
                     w.PutU8(kTRef);
                     Target_(r.target);
                   },
                   [&](const TList& l) {
                     w.PutU8(kTList);
                     Ty(*l.element);
                   },
                   [&](const TRecord& r) { Rec(r); },
               },
               t.node);
  }
  void Rec(const TRecord& r) {
    w.PutU8(kTRecord);
    w.PutVarint(r.fields.size());
    for (const auto& [name, ft] : r.fields) {
      w.PutString(name);
      Ty(*ft);
    }
  }

  Writer w;
  std::vector<std::string> binders;

 private:
  const std::map<Digest, std::uint64_t>& refs_;
};

void CollectTarget(const Target& t, std::vector<Digest>& out) {
  if (t.kind == Target::Kind::kItem) out.push_back(t.item);
}
void CollectPat(const Pattern& p, std::vector<Digest>& out);
void CollectExpr(const Expr& e, std::vector<Digest>& out) {
  std::visit(Overloaded{
                 [&](const ERef& r) { CollectTarget(r.target, out); },
                 [&](const ECtor& c) { CollectTarget(c.type, out); },
                 [&](const ELambda& l) { CollectExpr(*l.body, out); },
                 [&](const EApp& a) {
                   CollectExpr(*a.fn, out);
                   for (const auto& x : a.args) CollectExpr(*x, out);
                 },
                 [&](const ELet& l) {
                   CollectExpr(*l.value, out);
                   CollectExpr(*l.body, out);
                 },
                 [&](const EIf& i) {
                   CollectExpr(*i.cond, out);
                   CollectExpr(*i.then_branch, out);
                   CollectExpr(*i.else_branch, out);
                 },
                 [&](const EMatch& m) {
                   CollectExpr(*m.scrutinee, out);
                   for (const auto& c : m.cases) {
                     CollectPat(*c.pattern, out);
                     CollectExpr(*c.body, out);
                   }
                 },
                 [&](const EList& l) {
                   for (const auto& x : l.items) CollectExpr(*x, out);
                 },
                 [&](const ERecord& r) {
                   for (const auto& f : r.fields) CollectExpr(*f.second, out);
                 },
                 [&](const EField& f) { CollectExpr(*f.record, out); },
                 [&](const EBinary& b) {
                   CollectExpr(*b.left, out);
                   CollectExpr(*b.right, out);
                 },
                 [](const auto&) {},
             },
             e.node);
}
void CollectPat(const Pattern& p, std::vector<Digest>& out) {
  std::visit(Overloaded{
                 [&](const PCons& c) {
                   CollectPat(*c.head, out);
                   CollectPat(*c.tail, out);
                 },
                 [&](const PList& l) {
                   for (const auto& i : l.items) CollectPat(*i, out);
                 },
                 [&](const PCtor& c) {
                   CollectTarget(c.type, out);
                   for (const auto& a : c.args) CollectPat(*a, out);
                 },
                 [&](const PRecord& r) {
                   for (const auto& f : r.fields) CollectPat(*f.second, out);
                 },
                 [](const auto&) {},
             },
             p.node);
}
void CollectType(const TypeExpr& t, std::vector<Digest>& out) {
  std::visit(Overloaded{
                 [&](const TRef& r) { CollectTarget(r.target, out); },
                 [&](const TList& l) { CollectType(*l.element, out); },
                 [&](const TRecord& r) {
                   for (const auto& f : r.fields) CollectType(*f.second, out);
                 },
                 [](const auto&) {},
             },
             t.node);
}

// ---------------------------------------------------------------- decoding

// Parsed source nests at most parser.h's kMaxDepth levels; a stored item deeper
// than this did not come from the parser.
constexpr int kMaxDecodeDepth = 4'000;

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
      if (i >= refs_.size()) return Fail(ErrorCode::kCorruption, "reference {} out of range", i);
      t.kind = Target::Kind::kItem;
      t.item = refs_[i];
    } else {
      return Fail(ErrorCode::kCorruption, "unknown target tag {}", tag);
    }
    return t;
  }

  Result<std::uint32_t> Count() {
    WEFT_ASSIGN_OR_RETURN(std::uint64_t n, r_.GetVarint());
    if (n > r_.remaining()) return Fail(ErrorCode::kCorruption, "count {} exceeds the input", n);
    return static_cast<std::uint32_t>(n);
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

  Status Enter() {
    if (++depth_ > kMaxDecodeDepth) return Fail(ErrorCode::kCorruption, "item nests too deeply");
    return {};
  }

  Result<PatternPtr> Pat(std::uint32_t& bound) {
    WEFT_TRY(Enter());
    struct L {
      int& d;
      ~L() { --d; }
    } leave{depth_};
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
        WEFT_ASSIGN_OR_RETURN(std::uint32_t n, Count());
        PList l;
        for (std::uint32_t i = 0; i < n; ++i) {
          WEFT_ASSIGN_OR_RETURN(PatternPtr p, Pat(bound));
          l.items.push_back(p);
        }
        return MakePattern(std::move(l));
      }
      case kPCtor: {
        PCtor c;
        WEFT_ASSIGN_OR_RETURN(c.type, Target_());
        WEFT_ASSIGN_OR_RETURN(std::uint64_t ci, r_.GetVarint());
        c.case_index = static_cast<std::uint32_t>(ci);
        WEFT_ASSIGN_OR_RETURN(std::uint32_t n, Count());
        for (std::uint32_t i = 0; i < n; ++i) {
          WEFT_ASSIGN_OR_RETURN(PatternPtr p, Pat(bound));
          c.args.push_back(p);
        }
        return MakePattern(std::move(c));
      }
      case kPRecord: {
        WEFT_ASSIGN_OR_RETURN(std::uint32_t n, Count());
        PRecord rec;
        for (std::uint32_t i = 0; i < n; ++i) {
          WEFT_ASSIGN_OR_RETURN(std::string name, r_.GetString());
          WEFT_ASSIGN_OR_RETURN(PatternPtr p, Pat(bound));
          rec.fields.emplace_back(std::move(name), p);
        }
        return MakePattern(std::move(rec));
      }
      default:
        return Fail(ErrorCode::kCorruption, "unknown pattern tag {}", tag);
    }
  }

  // `scope` is the number of variables in scope.
  Result<ExprPtr> Ex(std::uint32_t scope) {
    WEFT_TRY(Enter());
    struct L {
      int& d;
      ~L() { --d; }
    } leave{depth_};
    WEFT_ASSIGN_OR_RETURN(std::uint8_t tag, r_.GetU8());
    switch (tag) {
      case kUnit:
      case kInt:
      case kFloat:
      case kString:
      case kBool: {
        WEFT_ASSIGN_OR_RETURN(Literal l, Lit(tag));
        return MakeExpr(std::move(l));
      }
      case kVar: {
        WEFT_ASSIGN_OR_RETURN(std::uint64_t i, r_.GetVarint());
        if (i >= scope) return Fail(ErrorCode::kCorruption, "variable index {} out of scope", i);
        return MakeExpr(EVar{"", static_cast<std::uint32_t>(i)});
      }
      case kRef: {
        WEFT_ASSIGN_OR_RETURN(std::uint64_t i, r_.GetVarint());
        if (i >= refs_.size()) return Fail(ErrorCode::kCorruption, "reference {} out of range", i);
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
        WEFT_ASSIGN_OR_RETURN(std::uint64_t ci, r_.GetVarint());
        c.case_index = static_cast<std::uint32_t>(ci);
        return MakeExpr(std::move(c));
      }
      case kBuiltin: {
        WEFT_ASSIGN_OR_RETURN(std::string name, r_.GetString());
        return MakeExpr(EBuiltin{std::move(name)});
      }
      case kLambda: {
        WEFT_ASSIGN_OR_RETURN(std::uint32_t n, Count());
        if (n == 0) return Fail(ErrorCode::kCorruption, "lambda without parameters");
        ELambda l;
        for (std::uint32_t i = 0; i < n; ++i) l.params.push_back(NextName());
        WEFT_ASSIGN_OR_RETURN(l.body, Ex(scope + n));
        return MakeExpr(std::move(l));
      }
      case kApp: {
        EApp a;
        WEFT_ASSIGN_OR_RETURN(a.fn, Ex(scope));
        WEFT_ASSIGN_OR_RETURN(std::uint32_t n, Count());
        for (std::uint32_t i = 0; i < n; ++i) {
          WEFT_ASSIGN_OR_RETURN(ExprPtr x, Ex(scope));
          a.args.push_back(x);
        }
        return MakeExpr(std::move(a));
      }
      case kLet: {
        ELet l;
        WEFT_ASSIGN_OR_RETURN(l.value, Ex(scope));
        l.name = NextName();
        WEFT_ASSIGN_OR_RETURN(l.body, Ex(scope + 1));
        return MakeExpr(std::move(l));
      }
      case kIf: {
        EIf i;
        WEFT_ASSIGN_OR_RETURN(i.cond, Ex(scope));
        WEFT_ASSIGN_OR_RETURN(i.then_branch, Ex(scope));
        WEFT_ASSIGN_OR_RETURN(i.else_branch, Ex(scope));
        return MakeExpr(std::move(i));
      }
      case kMatch: {
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
      case kList: {
        WEFT_ASSIGN_OR_RETURN(std::uint32_t n, Count());
        EList l;
        for (std::uint32_t i = 0; i < n; ++i) {
          WEFT_ASSIGN_OR_RETURN(ExprPtr x, Ex(scope));
          l.items.push_back(x);
        }
        return MakeExpr(std::move(l));
      }
      case kRecord: {
        WEFT_ASSIGN_OR_RETURN(std::uint32_t n, Count());
        ERecord rec;
        for (std::uint32_t i = 0; i < n; ++i) {
          WEFT_ASSIGN_OR_RETURN(std::string name, r_.GetString());
          WEFT_ASSIGN_OR_RETURN(ExprPtr x, Ex(scope));
          rec.fields.emplace_back(std::move(name), x);
        }
        return MakeExpr(std::move(rec));
      }
      case kField: {
        EField f;
        WEFT_ASSIGN_OR_RETURN(f.record, Ex(scope));
        WEFT_ASSIGN_OR_RETURN(f.field, r_.GetString());
        return MakeExpr(std::move(f));
      }
      case kBinary: {
        WEFT_ASSIGN_OR_RETURN(std::uint8_t op, r_.GetU8());
        if (op < 1 || op > static_cast<std::uint8_t>(BinOp::kPipe)) {
          return Fail(ErrorCode::kCorruption, "unknown operator {}", op);
        }
        EBinary b{static_cast<BinOp>(op), nullptr, nullptr};
        WEFT_ASSIGN_OR_RETURN(b.left, Ex(scope));
        WEFT_ASSIGN_OR_RETURN(b.right, Ex(scope));
        return MakeExpr(std::move(b));
      }
      default:
        return Fail(ErrorCode::kCorruption, "unknown expression tag {}", tag);
    }
  }

  Result<TypeExprPtr> Ty() {
    WEFT_TRY(Enter());
    struct L {
      int& d;
      ~L() { --d; }
    } leave{depth_};
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
    WEFT_ASSIGN_OR_RETURN(std::uint32_t n, Count());
    TRecord rec;
    for (std::uint32_t i = 0; i < n; ++i) {
      WEFT_ASSIGN_OR_RETURN(std::string name, r_.GetString());
      WEFT_ASSIGN_OR_RETURN(TypeExprPtr t, Ty());
      rec.fields.emplace_back(std::move(name), t);
    }
    return rec;
  }

 private:
  Reader r_;
  const std::vector<Digest>& refs_;
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
};

Result<std::vector<MemberDisplay>> DecodeDisplay(ByteView display) {
  std::vector<MemberDisplay> out;
  if (display.empty()) return out;
  Reader r(display);
  WEFT_ASSIGN_OR_RETURN(std::uint64_t version, r.GetVarint());
  if (version != 1)
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
    out.push_back(std::move(m));
  }
  WEFT_TRY(r.ExpectEnd("display metadata"));
  return out;
}

}  // namespace

EncodedComponent EncodeComponent(const Component& component) {
  EncodedComponent out;
  for (const auto& d : component.members) {
    if (d.body) CollectExpr(*d.body, out.refs);
    if (d.type) {
      if (d.type->record) {
        for (const auto& f : d.type->record->fields) CollectType(*f.second, out.refs);
      }
      for (const auto& c : d.type->cases) {
        for (const auto& a : c.args) CollectType(*a, out.refs);
      }
    }
  }
  SortUnique(out.refs);
  std::map<Digest, std::uint64_t> index;
  for (std::size_t i = 0; i < out.refs.size(); ++i) index[out.refs[i]] = i;

  Encoder enc(index);
  Writer display;
  display.PutVarint(1);
  display.PutVarint(component.members.size());
  for (const auto& d : component.members) {
    enc.binders.clear();
    enc.w.PutU8(static_cast<std::uint8_t>(d.kind));
    std::vector<std::string> cases;
    if (d.kind == DefKind::kType) {
      if (d.type->record) {
        enc.w.PutU8(0);
        enc.Rec(*d.type->record);
      } else {
        enc.w.PutU8(1);
        enc.w.PutVarint(d.type->cases.size());
        for (const auto& c : d.type->cases) {
          cases.push_back(c.name);
          enc.w.PutVarint(c.args.size());
          for (const auto& a : c.args) enc.Ty(*a);
        }
      }
    } else {
      enc.Ex(*d.body);
    }
    display.PutString(d.name);
    display.PutString(d.source);
    display.PutVarint(enc.binders.size());
    for (const auto& b : enc.binders) display.PutString(b);
    display.PutVarint(cases.size());
    for (const auto& c : cases) display.PutString(c);
  }
  out.body_prefix_free = enc.w.Take();
  out.display = display.Take();
  return out;
}

Bytes MemberBody(const EncodedComponent& encoded, std::size_t count, std::size_t self) {
  Writer w;
  w.PutVarint(kLangVersion);
  w.PutVarint(count);
  w.PutVarint(self);
  w.PutRaw(encoded.body_prefix_free);
  return w.Take();
}

Result<DecodedComponent> DecodeComponent(ByteView body, const std::vector<Digest>& refs,
                                         ByteView display) {
  WEFT_ASSIGN_OR_RETURN(std::vector<MemberDisplay> shown, DecodeDisplay(display));
  Reader head(body);
  WEFT_ASSIGN_OR_RETURN(std::uint64_t version, head.GetVarint());
  if (version != kLangVersion) {
    return Fail(ErrorCode::kCorruption, "item uses language version {}, this weft reads {}",
                version, kLangVersion);
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
  for (std::uint64_t m = 0; m < count; ++m) {
    const MemberDisplay* md = m < shown.size() ? &shown[m] : nullptr;
    dec.ResetNames(md ? md->binders : std::vector<std::string>{});
    Definition d;
    d.name = md ? md->name : "";
    d.source = md ? md->source : "";
    WEFT_ASSIGN_OR_RETURN(std::uint8_t kind, dec.reader().GetU8());
    if (kind < 1 || kind > 3)
      return Fail(ErrorCode::kCorruption, "unknown definition kind {}", kind);
    d.kind = static_cast<DefKind>(kind);
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
          WEFT_ASSIGN_OR_RETURN(std::uint32_t argc, dec.Count());
          for (std::uint32_t a = 0; a < argc; ++a) {
            WEFT_ASSIGN_OR_RETURN(TypeExprPtr t, dec.Ty());
            vc.args.push_back(t);
          }
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
  return out;
}

}  // namespace weft::lang
