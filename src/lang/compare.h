// The total order of values used by Builtin.List.sort and by Dict keys: Unit,
// Bool (false first), Int, Float (IEEE total order, so NaN has a place), String
// (by bytes), List (element by element, then length), Record (field by field),
// Variant (case, then arguments); a Dict by its entries in order. Values of
// different kinds and functions do not compare: a type mismatch.
#pragma once

#include "core/error.h"
#include "lang/value.h"

namespace weft::lang {

// Negative, zero or positive as `a` sorts before, with or after `b`.
Result<int> CompareValues(const ValuePtr& a, const ValuePtr& b);

}  // namespace weft::lang
