// An in-memory world for language tests: items by hash and names bound to them,
// standing in for a store.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/codec.h"
#include "lang/canonicalize.h"
#include "lang/evaluator.h"
#include "lang/parser.h"
#include "lang/printer.h"
#include "model/item.h"

namespace weft::lang::testing {

// The real item-hash formula, so golden hashes are the hashes a store records.
inline Digest TestHasher(DefKind kind, const std::vector<Digest>& refs, ByteView body) {
  return HashItemParts(kind, refs, body);
}

class World : public NameResolver, public ItemLoader {
 public:
  // Parses, canonicalizes and binds every definition in `source`.
  Result<std::vector<CanonicalItem>> Add(const std::string& source) {
    WEFT_ASSIGN_OR_RETURN(auto defs, ParseFile(source, "test.weft"));
    WEFT_ASSIGN_OR_RETURN(auto items, Canonicalize(defs, *this, TestHasher, "test.weft"));
    for (const auto& item : items) {
      items_[item.hash] = StoredItem{item.kind, item.refs, item.body, item.display};
      (item.kind == DefKind::kType ? types_ : terms_)[item.name] = item.hash;
    }
    return items;
  }
  // Canonicalizes without binding anything.
  Result<std::vector<CanonicalItem>> Hash(const std::string& source) {
    WEFT_ASSIGN_OR_RETURN(auto defs, ParseFile(source, "test.weft"));
    return Canonicalize(defs, *this, TestHasher, "test.weft");
  }
  Digest HashOf(const std::string& source) {
    auto items = Hash(source);
    EXPECT_TRUE(items) << (items ? "" : items.error().message());
    return items ? items->back().hash : Digest{};
  }

  Result<ValuePtr> Eval(const std::string& expr, EvalLimits limits = {}) {
    WEFT_ASSIGN_OR_RETURN(ExprPtr parsed, ParseExpression(expr, "<eval>"));
    WEFT_ASSIGN_OR_RETURN(ExprPtr resolved, ResolveExpression(parsed, *this, "<eval>"));
    Evaluator ev(*this, limits);
    return RunWithLargeStack([&] { return ev.EvalExpr(resolved); });
  }
  std::string Show(const ValuePtr& v) { return FormatValue(v, Names()); }
  Result<std::string> EvalText(const std::string& expr, EvalLimits limits = {}) {
    WEFT_ASSIGN_OR_RETURN(ValuePtr v, Eval(expr, limits));
    return Show(v);
  }

  PrintNames Names() {
    PrintNames n;
    n.item = [this](const Digest& d) {
      for (const auto& [name, h] : terms_) {
        if (h == d) return name;
      }
      for (const auto& [name, h] : types_) {
        if (h == d) return name;
      }
      return "#" + DigestToHex(d).substr(0, 8);
    };
    n.case_name = [this](const Digest& t, std::uint32_t i) {
      auto cases = TypeCases(t);
      return cases && i < cases->size() ? (*cases)[i].name : std::string("?");
    };
    return n;
  }

  Result<DecodedComponent> Decode(const Digest& d) {
    const StoredItem& s = items_.at(d);
    return DecodeComponent(s.body, s.refs, s.display);
  }

  Result<std::optional<Digest>> Term(const std::string& name) override {
    auto it = terms_.find(name);
    return it == terms_.end() ? std::optional<Digest>() : std::optional<Digest>(it->second);
  }
  Result<std::optional<Digest>> Type(const std::string& name) override {
    auto it = types_.find(name);
    return it == types_.end() ? std::optional<Digest>() : std::optional<Digest>(it->second);
  }
  Result<std::vector<CaseInfo>> TypeCases(const Digest& type) override {
    WEFT_ASSIGN_OR_RETURN(DecodedComponent dc, Decode(type));
    std::vector<CaseInfo> out;
    for (const auto& c : dc.component.members[dc.self].type->cases)
      out.push_back({c.name, c.args.size()});
    return out;
  }
  Result<Digest> HashPrefix(const std::string& hex) override {
    for (const auto& [d, item] : items_) {
      if (DigestToHex(d).starts_with(hex)) return d;
    }
    return Fail(ErrorCode::kNotFound, "no item {}", hex);
  }
  Result<std::optional<StoredItem>> Load(const Digest& item) override {
    auto it = items_.find(item);
    if (it == items_.end()) return std::optional<StoredItem>();
    return std::optional<StoredItem>(it->second);
  }

  std::map<Digest, StoredItem> items_;
  std::map<std::string, Digest> terms_, types_;
};

}  // namespace weft::lang::testing
