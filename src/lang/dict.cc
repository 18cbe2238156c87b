#include "lang/dict.h"

#include <algorithm>

#include "lang/compare.h"
#include "lang/memory.h"

namespace weft::lang {
namespace {

constexpr std::size_t kNodeCost = sizeof(DictNode) + 16;  // with its shared_ptr counts

int Height(const DictNodePtr& n) { return n ? n->height : 0; }

DictNodePtr Node(ValuePtr key, ValuePtr value, DictNodePtr left, DictNodePtr right) {
  auto n = std::make_shared<DictNode>();
  n->key = std::move(key);
  n->value = std::move(value);
  n->height = 1 + std::max(Height(left), Height(right));
  n->size = 1 + DictSize(left) + DictSize(right);
  n->left = std::move(left);
  n->right = std::move(right);
  n->charged = ChargeCurrent(kNodeCost);
  return n;
}

// A node over `left` and `right`, whose heights differ by at most 2, rotated so
// they differ by at most 1.
DictNodePtr Balance(const ValuePtr& key, const ValuePtr& value, const DictNodePtr& left,
                    const DictNodePtr& right) {
  const int hl = Height(left);
  const int hr = Height(right);
  if (hl > hr + 1) {
    if (Height(left->left) >= Height(left->right))
      return Node(left->key, left->value, left->left, Node(key, value, left->right, right));
    const DictNodePtr& lr = left->right;
    return Node(lr->key, lr->value, Node(left->key, left->value, left->left, lr->left),
                Node(key, value, lr->right, right));
  }
  if (hr > hl + 1) {
    if (Height(right->right) >= Height(right->left))
      return Node(right->key, right->value, Node(key, value, left, right->left), right->right);
    const DictNodePtr& rl = right->left;
    return Node(rl->key, rl->value, Node(key, value, left, rl->left),
                Node(right->key, right->value, rl->right, right->right));
  }
  return Node(key, value, left, right);
}

// Removes the least entry of `n` (not null), returning it and the rest.
DictNodePtr RemoveMin(const DictNodePtr& n, DictNodePtr& min) {
  if (!n->left) {
    min = n;
    return n->right;
  }
  DictNodePtr left = RemoveMin(n->left, min);
  return Balance(n->key, n->value, left, n->right);
}

}  // namespace

DictNode::~DictNode() { ReleaseCurrent(charged); }

Result<DictNodePtr> DictInsert(const DictNodePtr& root, const ValuePtr& key,
                               const ValuePtr& value) {
  if (!root) return Node(key, value, nullptr, nullptr);
  WEFT_ASSIGN_OR_RETURN(int c, CompareValues(key, root->key));
  if (c == 0) return Node(root->key, value, root->left, root->right);
  if (c < 0) {
    WEFT_ASSIGN_OR_RETURN(DictNodePtr left, DictInsert(root->left, key, value));
    return Balance(root->key, root->value, left, root->right);
  }
  WEFT_ASSIGN_OR_RETURN(DictNodePtr right, DictInsert(root->right, key, value));
  return Balance(root->key, root->value, root->left, right);
}

Result<DictNodePtr> DictRemove(const DictNodePtr& root, const ValuePtr& key) {
  if (!root) return root;
  WEFT_ASSIGN_OR_RETURN(int c, CompareValues(key, root->key));
  if (c < 0) {
    WEFT_ASSIGN_OR_RETURN(DictNodePtr left, DictRemove(root->left, key));
    if (left == root->left) return root;
    return Balance(root->key, root->value, left, root->right);
  }
  if (c > 0) {
    WEFT_ASSIGN_OR_RETURN(DictNodePtr right, DictRemove(root->right, key));
    if (right == root->right) return root;
    return Balance(root->key, root->value, root->left, right);
  }
  if (!root->left) return root->right;
  if (!root->right) return root->left;
  DictNodePtr min;
  DictNodePtr right = RemoveMin(root->right, min);
  return Balance(min->key, min->value, root->left, right);
}

Result<ValuePtr> DictGet(const DictNodePtr& root, const ValuePtr& key) {
  const DictNode* n = root.get();
  while (n) {
    WEFT_ASSIGN_OR_RETURN(int c, CompareValues(key, n->key));
    if (c == 0) return n->value;
    n = c < 0 ? n->left.get() : n->right.get();
  }
  return ValuePtr();
}

void DictForEach(const DictNodePtr& root, const std::function<void(const DictNode&)>& fn) {
  if (!root) return;
  DictForEach(root->left, fn);
  fn(*root);
  DictForEach(root->right, fn);
}

}  // namespace weft::lang
