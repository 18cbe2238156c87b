// Components and hashing (canonicalize.h): resolved definitions grouped into
// strongly connected components, put in canonical order and encoded as items.
#include "lang/canonicalize.h"

#include <algorithm>
#include <map>
#include <set>

#include "lang/canonical_codec.h"
#include "lang/nesting.h"
#include "lang/transform.h"

namespace weft::lang {
namespace {

void CollectFileEdges(const Definition& d, std::set<std::size_t>& out) {
  (void)MapTargets(d, [&](const Target& t) {
    if (t.kind == Target::Kind::kSelf) out.insert(t.self);
    return t;
  });
}

// Tarjan's algorithm; components come out dependencies first.
std::vector<std::vector<std::size_t>> StronglyConnected(
    const std::vector<std::set<std::size_t>>& edges) {
  const std::size_t n = edges.size();
  std::vector<int> index(n, -1), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  std::vector<std::vector<std::size_t>> out;
  int counter = 0;
  // Iterative to stay safe on long dependency chains.
  for (std::size_t root = 0; root < n; ++root) {
    if (index[root] >= 0) continue;
    std::vector<std::pair<std::size_t, std::set<std::size_t>::const_iterator>> work;
    auto visit = [&](std::size_t v) {
      index[v] = low[v] = counter++;
      stack.push_back(v);
      on_stack[v] = true;
      work.emplace_back(v, edges[v].begin());
    };
    visit(root);
    while (!work.empty()) {
      auto& [v, it] = work.back();
      if (it != edges[v].end()) {
        std::size_t w = *it++;
        if (index[w] < 0) {
          visit(w);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      if (low[v] == index[v]) {
        std::vector<std::size_t> comp;
        while (true) {
          std::size_t w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          comp.push_back(w);
          if (w == v) break;
        }
        std::sort(comp.begin(), comp.end());
        out.push_back(std::move(comp));
      }
      std::size_t done = v;
      work.pop_back();
      if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[done]);
    }
  }
  return out;
}

}  // namespace

Result<std::vector<CanonicalItem>> AssembleComponents(const std::vector<Definition>& resolved,
                                                      const ItemHasher& hasher) {
  std::vector<std::set<std::size_t>> edges(resolved.size());
  for (std::size_t i = 0; i < resolved.size(); ++i) CollectFileEdges(resolved[i], edges[i]);
  std::vector<std::optional<Digest>> digests(resolved.size());
  std::vector<CanonicalItem> out;
  for (const auto& comp : StronglyConnected(edges)) {
    // Re-express the component with kSelf meaning "position in `members`" and
    // references to earlier components as item targets.
    std::map<std::size_t, std::uint32_t> local;
    for (std::size_t k = 0; k < comp.size(); ++k) local[comp[k]] = static_cast<std::uint32_t>(k);
    std::vector<Definition> members;
    for (std::size_t idx : comp) {
      members.push_back(MapTargets(resolved[idx], [&](const Target& t) {
        if (t.kind != Target::Kind::kSelf) return t;
        if (auto it = local.find(t.self); it != local.end())
          return Target{Target::Kind::kSelf, {}, it->second};
        return ItemTarget(*digests[t.self]);
      }));
    }
    WEFT_ASSIGN_OR_RETURN(std::vector<CanonicalItem> items, CanonicalizeComponent(members, hasher));
    for (auto& item : items) {
      const std::size_t idx = comp[item.source];
      digests[idx] = item.hash;
      item.source = idx;
      out.push_back(std::move(item));
    }
  }
  return out;
}

Result<std::vector<CanonicalItem>> CanonicalizeComponent(const std::vector<Definition>& given,
                                                         const ItemHasher& hasher) {
  // Resolution can deepen a tree (Demo.Data.origin.x becomes field accesses): the
  // encoder holds the limit the decoder reads under.
  for (const Definition& m : given) WEFT_TRY(CheckNesting(m, m.name));
  // A type created here is created under its name; a re-hashed one keeps its own.
  std::vector<Definition> members = given;
  for (Definition& m : members) {
    if (m.kind == DefKind::kType && m.identity.empty()) m.identity = m.name;
  }
  // Shape: a member with every in-component reference collapsed to position 0.
  std::vector<std::pair<Digest, std::size_t>> order;
  for (std::size_t k = 0; k < members.size(); ++k) {
    Definition shape = MapTargets(members[k], [](const Target& t) {
      return t.kind == Target::Kind::kSelf ? Target{Target::Kind::kSelf, {}, 0} : t;
    });
    shape.name.clear();
    order.emplace_back(Sha256Of(EncodeComponent(Component{{shape}}).body_prefix_free), k);
  }
  // Ties (members of identical shape) are broken by name.
  std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    return std::tie(a.first, members[a.second].name, a.second) <
           std::tie(b.first, members[b.second].name, b.second);
  });
  std::vector<std::uint32_t> position(members.size());
  for (std::size_t p = 0; p < order.size(); ++p)
    position[order[p].second] = static_cast<std::uint32_t>(p);
  Component component;
  for (const auto& [shape, k] : order) {
    component.members.push_back(MapTargets(members[k], [&](const Target& t) {
      if (t.kind == Target::Kind::kSelf)
        return Target{Target::Kind::kSelf, {}, position.at(t.self)};
      return t;
    }));
  }
  EncodedComponent enc = EncodeComponent(component);
  std::vector<CanonicalItem> out;
  for (std::size_t p = 0; p < order.size(); ++p) {
    const Definition& d = component.members[p];
    CanonicalItem item{d.kind,      d.name,         {}, enc.refs, MemberBody(enc, order.size(), p),
                       enc.display, order[p].second};
    item.hash = hasher(d.kind, item.refs, item.body);
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::vector<CanonicalItem>> Canonicalize(const std::vector<Definition>& defs,
                                                NameResolver& ext, const ItemHasher& hasher,
                                                std::string_view file) {
  WEFT_ASSIGN_OR_RETURN(std::vector<Definition> resolved, ResolveDefinitions(defs, ext, file));
  return AssembleComponents(resolved, hasher);
}

}  // namespace weft::lang
