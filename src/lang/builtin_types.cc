#include "lang/builtin_types.h"

#include <array>
#include <string>

#include "lang/runtime_error.h"

namespace weft::lang {
namespace {

constexpr BuiltinCase kOptionCases[] = {{"None", 0}, {"Some", 1}};
constexpr BuiltinCase kResultCases[] = {{"Ok", 1}, {"Err", 1}};

BuiltinType Make(std::string_view name, std::span<const BuiltinCase> cases) {
  const std::string seed = "weft builtin type " + std::string(name);
  return BuiltinType{name, cases, Sha256Of(AsBytes(seed))};
}

// The order is part of the canonical form: append only.
const std::array<BuiltinType, 2>& Table() {
  static const std::array<BuiltinType, 2> table = {Make("Builtin.Option", kOptionCases),
                                                   Make("Builtin.Result", kResultCases)};
  return table;
}

ValuePtr Variant(std::size_t type, std::uint32_t index, std::vector<ValuePtr> args) {
  return MakeValue(VVariant{Table()[type].digest, index, std::move(args)});
}

}  // namespace

std::span<const BuiltinType> AllBuiltinTypes() { return Table(); }

Target BuiltinTarget(std::uint32_t index) {
  return Target{Target::Kind::kBuiltin, Table()[index].digest, index};
}

std::string BuiltinCaseName(const Digest& type, std::uint32_t index) {
  const BuiltinType* t = BuiltinTypeOf(type);
  if (!t || index >= t->cases.size()) return fmt::format("Case{}", index);
  return std::string(t->cases[index].name);
}

const BuiltinType* FindBuiltinType(std::string_view name) {
  for (const auto& t : Table()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const BuiltinType* BuiltinTypeOf(const Digest& type) {
  for (const auto& t : Table()) {
    if (t.digest == type) return &t;
  }
  return nullptr;
}

ValuePtr SomeValue(ValuePtr v) { return Variant(0, kOptionSome, {std::move(v)}); }
ValuePtr NoneValue() { return Variant(0, kOptionNone, {}); }
ValuePtr OkValue(ValuePtr v) { return Variant(1, kResultOk, {std::move(v)}); }
ValuePtr ErrValue(ValuePtr v) { return Variant(1, kResultErr, {std::move(v)}); }

Result<ValuePtr> OptionPayload(const ValuePtr& v, std::string_view fn) {
  const auto* x = std::get_if<VVariant>(&v->v);
  if (!x || x->type != Table()[0].digest) {
    return RuntimeFail(RuntimeError::kTypeMismatch,
                       fmt::format("{} expects an Option, got {}", fn, TypeNameOf(*v)));
  }
  return x->case_index == kOptionSome ? x->args[0] : ValuePtr();
}

}  // namespace weft::lang
