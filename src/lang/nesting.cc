#include "lang/nesting.h"

#include <algorithm>
#include <vector>

namespace weft::lang {
namespace {

// An explicit stack of (node, depth) for the three node kinds.
class DepthWalk {
 public:
  void Push(const Expr* e, std::size_t d) { todo_.push_back({e, nullptr, nullptr, d}); }
  void Push(const Pattern* p, std::size_t d) { todo_.push_back({nullptr, p, nullptr, d}); }
  void Push(const TypeExpr* t, std::size_t d) { todo_.push_back({nullptr, nullptr, t, d}); }

  std::size_t Run() {
    std::size_t deepest = 0;
    while (!todo_.empty()) {
      Item it = todo_.back();
      todo_.pop_back();
      deepest = std::max(deepest, it.depth);
      const std::size_t d = it.depth + 1;
      if (it.expr != nullptr) Children(*it.expr, d);
      if (it.pattern != nullptr) Children(*it.pattern, d);
      if (it.type != nullptr) Children(*it.type, d);
    }
    return deepest;
  }

 private:
  struct Item {
    const Expr* expr;
    const Pattern* pattern;
    const TypeExpr* type;
    std::size_t depth;
  };

  void Children(const Expr& e, std::size_t d) {
    std::visit(Overloaded{
                   [&](const ELambda& l) { Push(l.body.get(), d); },
                   [&](const EApp& a) {
                     Push(a.fn.get(), d);
                     for (const auto& x : a.args) Push(x.get(), d);
                   },
                   [&](const ELet& l) {
                     Push(l.value.get(), d);
                     Push(l.body.get(), d);
                   },
                   [&](const EIf& i) {
                     Push(i.cond.get(), d);
                     Push(i.then_branch.get(), d);
                     Push(i.else_branch.get(), d);
                   },
                   [&](const EMatch& m) {
                     Push(m.scrutinee.get(), d);
                     for (const auto& c : m.cases) {
                       Push(c.pattern.get(), d);
                       Push(c.body.get(), d);
                     }
                   },
                   [&](const EList& l) {
                     for (const auto& x : l.items) Push(x.get(), d);
                   },
                   [&](const ERecord& r) {
                     for (const auto& f : r.fields) Push(f.second.get(), d);
                   },
                   [&](const EField& f) { Push(f.record.get(), d); },
                   [&](const EBinary& b) {
                     Push(b.left.get(), d);
                     Push(b.right.get(), d);
                   },
                   [](const auto&) {},
               },
               e.node);
  }
  void Children(const Pattern& p, std::size_t d) {
    std::visit(Overloaded{
                   [&](const PCons& c) {
                     Push(c.head.get(), d);
                     Push(c.tail.get(), d);
                   },
                   [&](const PList& l) {
                     for (const auto& x : l.items) Push(x.get(), d);
                   },
                   [&](const PCtor& c) {
                     for (const auto& x : c.args) Push(x.get(), d);
                   },
                   [&](const PRecord& r) {
                     for (const auto& f : r.fields) Push(f.second.get(), d);
                   },
                   [](const auto&) {},
               },
               p.node);
  }
  void Children(const TypeExpr& t, std::size_t d) {
    std::visit(Overloaded{
                   [&](const TList& l) { Push(l.element.get(), d); },
                   [&](const TRecord& r) {
                     for (const auto& f : r.fields) Push(f.second.get(), d);
                   },
                   [](const auto&) {},
               },
               t.node);
  }

  std::vector<Item> todo_;
};

}  // namespace

std::size_t NestingDepth(const Expr& e) {
  DepthWalk walk;
  walk.Push(&e, 1);
  return walk.Run();
}

std::size_t NestingDepth(const Definition& d) {
  DepthWalk walk;
  if (d.body) walk.Push(d.body.get(), 1);
  if (d.type) {
    // A type definition's fields and case arguments are its first level.
    if (d.type->record) {
      for (const auto& f : d.type->record->fields) walk.Push(f.second.get(), 1);
    }
    for (const auto& c : d.type->cases) {
      for (const auto& a : c.args) walk.Push(a.get(), 1);
    }
  }
  return walk.Run();
}

Status CheckNesting(const Definition& d, std::string_view where) {
  const std::size_t depth = NestingDepth(d);
  if (depth <= kMaxNesting) return {};
  return Fail(ErrorCode::kInvalidArgument,
              "{}: nests {} levels deep; the limit is {} (operator chains count like brackets)",
              where, depth, kMaxNesting);
}

}  // namespace weft::lang
