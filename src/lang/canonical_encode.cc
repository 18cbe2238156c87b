#include <algorithm>
#include <bit>
#include <map>
#include <set>

#include "core/codec.h"
#include "lang/canonical_codec.h"
#include "lang/canonical_tags.h"
#include "lang/transform.h"

namespace weft::lang {
namespace {

using namespace tags;  // NOLINT: the grammar's tag names read best unqualified

// ---------------------------------------------------------------- encoding

class Encoder {
 public:
  explicit Encoder(const std::map<Digest, std::uint64_t>& ref_index) : refs_(ref_index) {}

  void Target_(const Target& t) {
    if (t.kind == Target::Kind::kSelf) {
      w.PutU8(kTargetSelf);
      w.PutVarint(t.self);
    } else if (t.kind == Target::Kind::kBuiltin) {
      w.PutU8(kTargetBuiltin);
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

// The names a definition's source used for other items and for members of its
// own component (a `#hash` reference names nothing).
void CollectWrittenNames(const Definition& d, std::set<std::string>& out) {
  auto note = [&](const std::string& name) {
    if (!name.empty() && name[0] != '#') out.insert(name);
  };
  if (d.written_names) out.insert(d.written_names->begin(), d.written_names->end());
  ForEachNamedReference(d, note);
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

  const bool types = std::any_of(component.members.begin(), component.members.end(),
                                 [](const Definition& d) { return d.kind == DefKind::kType; });
  out.version =
      component.version != 0 ? component.version : (types ? kTypeLangVersion : kLangVersion);
  Encoder enc(index);
  Writer display;
  display.PutVarint(2);
  display.PutVarint(component.members.size());
  for (const auto& d : component.members) {
    enc.binders.clear();
    enc.w.PutU8(static_cast<std::uint8_t>(d.kind));
    std::vector<std::string> cases;
    if (d.kind == DefKind::kType && out.version >= kTypeLangVersion) {
      enc.w.PutString(d.identity.empty() ? d.name : d.identity);
    }
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
    std::set<std::string> written;
    CollectWrittenNames(d, written);
    display.PutVarint(written.size());
    for (const auto& n : written) display.PutString(n);
  }
  out.body_prefix_free = enc.w.Take();
  out.display = display.Take();
  return out;
}

Bytes MemberBody(const EncodedComponent& encoded, std::size_t count, std::size_t self) {
  Writer w;
  w.PutVarint(encoded.version);
  w.PutVarint(count);
  w.PutVarint(self);
  w.PutRaw(encoded.body_prefix_free);
  return w.Take();
}

}  // namespace weft::lang
