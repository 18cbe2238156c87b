// A runtime value as JSON, for `eval --json`: Unit is null, Int and finite Float
// numbers, String a string, Bool a boolean, a List an array, a Record an object,
// a variant {"type": "Demo.Geo.Shape", "case": "Circle", "args": [...]}, a Dict
// an array of {"key", "value"} in key order. A function, NaN or an infinity does
// not map: nullopt (the source text stands alone then).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "lang/printer.h"
#include "lang/value.h"

namespace weft::workspace {

std::optional<nlohmann::json> ValueToJson(const lang::ValuePtr& v, const lang::PrintNames& names);

}  // namespace weft::workspace
