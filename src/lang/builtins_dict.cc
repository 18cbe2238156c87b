// Builtin.Dict (lang/dict.h) and the helpers of Builtin.Option and
// Builtin.Result (lang/builtin_types.h). The Dict comes last, for `|>`.
#include "lang/builtin_types.h"
#include "lang/builtins_impl.h"
#include "lang/dict.h"

namespace weft::lang::builtin {
namespace {

Result<DictNodePtr> DictArg(const ValuePtr& v, std::string_view fn) {
  const auto* d = std::get_if<VDict>(&v->v);
  if (!d) return Mismatch(fn, "a Dict", *v);
  return d->root;
}

ValuePtr DictValue(DictNodePtr root) { return MakeValue(VDict{std::move(root)}); }

// The entries of a Dict in key order, each made by `make`.
template <typename F>
Result<ValuePtr> Entries(const ValuePtr& v, std::string_view fn, F make) {
  WEFT_ASSIGN_OR_RETURN(DictNodePtr root, DictArg(v, fn));
  WEFT_TRY(Room(ItemsCost(DictSize(root))));
  std::vector<ValuePtr> out;
  out.reserve(DictSize(root));
  DictForEach(root, [&](const DictNode& n) { out.push_back(make(n)); });
  return ListValue(std::move(out));
}

// The case of a Result (Ok: true) and its payload.
Result<std::pair<bool, ValuePtr>> ResultArg(const ValuePtr& v, std::string_view fn) {
  const auto* x = std::get_if<VVariant>(&v->v);
  const BuiltinType* t = x ? BuiltinTypeOf(x->type) : nullptr;
  if (!t || t->name != "Builtin.Result") return Mismatch(fn, "a Result", *v);
  return std::make_pair(x->case_index == kResultOk, x->args[0]);
}

}  // namespace

ValuePtr RecordValue(std::vector<std::pair<std::string, ValuePtr>> fields) {
  return MakeValue(VRecord{std::move(fields)});
}

Result<ValuePtr> DictEmpty(const Args&, Applier&) { return DictValue(nullptr); }

Result<ValuePtr> DictInsertFn(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(DictNodePtr root, DictArg(a[2], "Builtin.Dict.insert"));
  WEFT_ASSIGN_OR_RETURN(DictNodePtr next, DictInsert(root, a[0], a[1]));
  return DictValue(std::move(next));
}

Result<ValuePtr> DictGetFn(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(DictNodePtr root, DictArg(a[1], "Builtin.Dict.get"));
  WEFT_ASSIGN_OR_RETURN(ValuePtr v, DictGet(root, a[0]));
  return v ? SomeValue(std::move(v)) : NoneValue();
}

Result<ValuePtr> DictRemoveFn(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(DictNodePtr root, DictArg(a[1], "Builtin.Dict.remove"));
  WEFT_ASSIGN_OR_RETURN(DictNodePtr next, DictRemove(root, a[0]));
  return next == root ? a[1] : DictValue(std::move(next));
}

Result<ValuePtr> DictKeys(const Args& a, Applier&) {
  return Entries(a[0], "Builtin.Dict.keys", [](const DictNode& n) { return n.key; });
}

Result<ValuePtr> DictValues(const Args& a, Applier&) {
  return Entries(a[0], "Builtin.Dict.values", [](const DictNode& n) { return n.value; });
}

Result<ValuePtr> DictToList(const Args& a, Applier&) {
  return Entries(a[0], "Builtin.Dict.toList", [](const DictNode& n) {
    return RecordValue({{"key", n.key}, {"value", n.value}});
  });
}

Result<ValuePtr> DictFromList(const Args& a, Applier&) {
  constexpr std::string_view kName = "Builtin.Dict.fromList";
  WEFT_ASSIGN_OR_RETURN(VList list, List(a[0], kName));
  DictNodePtr root;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto* r = std::get_if<VRecord>(&list.at(i)->v);
    // Fields are sorted by name: { key, value } exactly.
    if (!r || r->fields.size() != 2 || r->fields[0].first != "key" ||
        r->fields[1].first != "value") {
      return Mismatch(kName, "a List of { key, value } records", *list.at(i));
    }
    WEFT_ASSIGN_OR_RETURN(root, DictInsert(root, r->fields[0].second, r->fields[1].second));
  }
  return DictValue(std::move(root));
}

Result<ValuePtr> DictSizeFn(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(DictNodePtr root, DictArg(a[0], "Builtin.Dict.size"));
  return MakeValue(static_cast<std::int64_t>(DictSize(root)));
}

Result<ValuePtr> OptionWithDefault(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(ValuePtr x, OptionPayload(a[1], "Builtin.Option.withDefault"));
  return x ? x : a[0];
}

Result<ValuePtr> OptionMap(const Args& a, Applier& apply) {
  WEFT_ASSIGN_OR_RETURN(ValuePtr x, OptionPayload(a[1], "Builtin.Option.map"));
  if (!x) return a[1];
  WEFT_ASSIGN_OR_RETURN(ValuePtr y, apply.Apply(a[0], {x}));
  return SomeValue(std::move(y));
}

Result<ValuePtr> OptionAndThen(const Args& a, Applier& apply) {
  WEFT_ASSIGN_OR_RETURN(ValuePtr x, OptionPayload(a[1], "Builtin.Option.andThen"));
  if (!x) return a[1];
  WEFT_ASSIGN_OR_RETURN(ValuePtr y, apply.Apply(a[0], {x}));
  WEFT_TRY(OptionPayload(y, "Builtin.Option.andThen's function"));
  return y;
}

Result<ValuePtr> OptionIsSome(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(ValuePtr x, OptionPayload(a[0], "Builtin.Option.isSome"));
  return MakeValue(x != nullptr);
}

Result<ValuePtr> ResultWithDefault(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(auto r, ResultArg(a[1], "Builtin.Result.withDefault"));
  return r.first ? r.second : a[0];
}

Result<ValuePtr> ResultMap(const Args& a, Applier& apply) {
  WEFT_ASSIGN_OR_RETURN(auto r, ResultArg(a[1], "Builtin.Result.map"));
  if (!r.first) return a[1];
  WEFT_ASSIGN_OR_RETURN(ValuePtr y, apply.Apply(a[0], {r.second}));
  return OkValue(std::move(y));
}

Result<ValuePtr> ResultMapError(const Args& a, Applier& apply) {
  WEFT_ASSIGN_OR_RETURN(auto r, ResultArg(a[1], "Builtin.Result.mapError"));
  if (r.first) return a[1];
  WEFT_ASSIGN_OR_RETURN(ValuePtr y, apply.Apply(a[0], {r.second}));
  return ErrValue(std::move(y));
}

Result<ValuePtr> ResultAndThen(const Args& a, Applier& apply) {
  WEFT_ASSIGN_OR_RETURN(auto r, ResultArg(a[1], "Builtin.Result.andThen"));
  if (!r.first) return a[1];
  WEFT_ASSIGN_OR_RETURN(ValuePtr y, apply.Apply(a[0], {r.second}));
  WEFT_TRY(ResultArg(y, "Builtin.Result.andThen's function"));
  return y;
}

Result<ValuePtr> ResultIsOk(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(auto r, ResultArg(a[0], "Builtin.Result.isOk"));
  return MakeValue(r.first);
}

}  // namespace weft::lang::builtin
