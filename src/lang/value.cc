#include "lang/value.h"

namespace weft::lang {
namespace {

constexpr std::size_t kControlBlock = 16;  // a shared_ptr's reference counts

}  // namespace

ValuePtr MakeValue(decltype(Value::v) v) {
  auto value = std::make_shared<Value>();
  value->v = std::move(v);
  std::size_t cost = sizeof(Value) + kControlBlock;
  if (const auto* s = std::get_if<std::string>(&value->v)) cost += s->capacity();
  if (const auto* r = std::get_if<VRecord>(&value->v)) {
    for (const auto& f : r->fields) cost += sizeof(f) + f.first.capacity();
  }
  if (const auto* x = std::get_if<VVariant>(&value->v))
    cost += x->args.capacity() * sizeof(ValuePtr);
  value->charged = ChargeCurrent(cost);
  return value;
}

std::size_t ItemsCost(std::size_t n) {
  return sizeof(std::vector<ValuePtr>) + kControlBlock + n * sizeof(ValuePtr);
}

std::shared_ptr<const std::vector<ValuePtr>> MakeItems(std::vector<ValuePtr> items) {
  const std::size_t charged = ChargeCurrent(ItemsCost(items.capacity()));
  return std::shared_ptr<const std::vector<ValuePtr>>(new std::vector<ValuePtr>(std::move(items)),
                                                      [charged](const std::vector<ValuePtr>* p) {
                                                        ReleaseCurrent(charged);
                                                        delete p;
                                                      });
}

EnvPtr PushEnv(EnvPtr env, ValuePtr v) {
  auto frame = std::make_shared<Env>();
  frame->value = std::move(v);
  frame->next = std::move(env);
  frame->charged = ChargeCurrent(sizeof(Env) + kControlBlock);
  return frame;
}

ValuePtr ListValue(std::vector<ValuePtr> items) {
  return MakeValue(VList{MakeItems(std::move(items)), 0});
}

ValuePtr LiteralValue(const Literal& l) {
  return std::visit([](const auto& x) { return MakeValue(x); }, l.value);
}

}  // namespace weft::lang
