#include "workspace/value_json.h"

#include <cmath>

#include "lang/builtin_types.h"
#include "lang/dict.h"

namespace weft::workspace {

std::optional<nlohmann::json> ValueToJson(const lang::ValuePtr& v, const lang::PrintNames& names) {
  using J = std::optional<nlohmann::json>;
  auto all = [&](auto count, auto at) -> J {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < count; ++i) {
      J x = ValueToJson(at(i), names);
      if (!x) return std::nullopt;
      out.push_back(std::move(*x));
    }
    return out;
  };
  return std::visit(
      lang::Overloaded{
          [](const std::monostate&) -> J { return nlohmann::json(nullptr); },
          [](std::int64_t i) -> J { return nlohmann::json(i); },
          [](double d) -> J { return std::isfinite(d) ? J(nlohmann::json(d)) : std::nullopt; },
          [](const std::string& s) -> J { return nlohmann::json(s); },
          [](bool b) -> J { return nlohmann::json(b); },
          [&](const lang::VList& l) -> J {
            return all(l.size(), [&](std::size_t i) { return l.at(i); });
          },
          [&](const lang::VRecord& r) -> J {
            nlohmann::json out = nlohmann::json::object();
            for (const auto& [name, value] : r.fields) {
              J x = ValueToJson(value, names);
              if (!x) return std::nullopt;
              out[name] = std::move(*x);
            }
            return out;
          },
          [&](const lang::VVariant& x) -> J {
            J args = all(x.args.size(), [&](std::size_t i) { return x.args[i]; });
            if (!args) return std::nullopt;
            const lang::BuiltinType* builtin = lang::BuiltinTypeOf(x.type);
            return nlohmann::json{
                {"type", builtin ? std::string(builtin->name) : names.item(x.type)},
                {"case", builtin ? lang::BuiltinCaseName(x.type, x.case_index)
                                 : names.case_name(x.type, x.case_index)},
                {"args", std::move(*args)}};
          },
          [&](const lang::VDict& d) -> J {
            nlohmann::json out = nlohmann::json::array();
            bool ok = true;
            lang::DictForEach(d.root, [&](const lang::DictNode& n) {
              J k = ValueToJson(n.key, names);
              J val = ValueToJson(n.value, names);
              if (!k || !val) ok = false;
              if (ok) out.push_back({{"key", std::move(*k)}, {"value", std::move(*val)}});
            });
            return ok ? J(std::move(out)) : std::nullopt;
          },
          [](const auto&) -> J { return std::nullopt; },
      },
      v->v);
}

}  // namespace weft::workspace
