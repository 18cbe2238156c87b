// Dict values: an immutable map ordered by key (lang/compare.h), as a persistent
// AVL tree. Insert and remove copy only the path to the key (O(log n) new nodes)
// and share the rest, so a Dict built in a loop costs O(n log n), and every old
// version stays valid. Iteration is in key order, so a Dict prints, converts and
// compares the same on every instance. Nodes are charged to the memory meter.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "core/error.h"
#include "lang/value.h"

namespace weft::lang {

struct DictNode;
using DictNodePtr = std::shared_ptr<const DictNode>;

struct DictNode {
  ValuePtr key;
  ValuePtr value;
  DictNodePtr left, right;
  int height = 1;
  std::size_t size = 1;
  std::size_t charged = 0;
  ~DictNode();
};

inline std::size_t DictSize(const DictNodePtr& n) { return n ? n->size : 0; }
Result<DictNodePtr> DictInsert(const DictNodePtr& root, const ValuePtr& key, const ValuePtr& value);
Result<DictNodePtr> DictRemove(const DictNodePtr& root, const ValuePtr& key);
// The value at `key`, or null.
Result<ValuePtr> DictGet(const DictNodePtr& root, const ValuePtr& key);
// Calls `fn` on each entry in key order.
void DictForEach(const DictNodePtr& root, const std::function<void(const DictNode&)>& fn);

}  // namespace weft::lang
