// `weft find QUERY`: names of the current branch ranked by how well they match
// what a person remembers of them, or (with `source`) whose source holds it.
#pragma once

#include <string>
#include <vector>

#include "fold/queries.h"
#include "store/store.h"

namespace weft::workspace {

struct Found {
  Binding binding;
  int score = 0;     // lower is better
  std::string why;   // "exact", "prefix", "substring", "fuzzy", "typo", "source"
  std::string line;  // with `source`: the first line holding the query
};

// Ranked: the exact name, then a last part starting with the query, then the
// query anywhere in the name (case-insensitive), then its letters in order
// (`dmsq` finds Demo.Math.square), then a last part within a few typos. With
// `source`, every name whose printed source holds the query (case-sensitive),
// in name order. At most `limit`.
Result<std::vector<Found>> FindNames(Store& store, const std::string& query, bool source,
                                     std::size_t limit);

}  // namespace weft::workspace
