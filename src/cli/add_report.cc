#include "cli/add_report.h"

#include <iostream>

#include "cli/text.h"

namespace weft::cli {

void PrintAddReport(const workspace::AddReport& r) {
  if (!r.added.empty()) std::cout << "added " << NameList(r.added) << "\n";
  if (!r.updated.empty()) {
    std::cout << "updated " << NameList(r.updated);
    if (!r.repointed.empty()) {
      std::cout << "; re-pointed " << r.repointed.size() << " dependent"
                << (r.repointed.size() == 1 ? "" : "s") << ": " << NameList(r.repointed);
    }
    std::cout << "\n";
  }
  if (!r.unchanged.empty())
    std::cout << "unchanged (identical content already bound): " << NameList(r.unchanged) << "\n";
  if (!r.left.empty()) {
    std::cout << "left on the old version: " << NameList(r.left)
              << " (one item under several names that also refers to another name of the "
                 "replaced item; re-add them to choose)\n";
  }
  if (r.added.empty() && r.updated.empty()) {
    std::cout << "nothing staged\n";
  } else {
    std::cout << "staged; run `weft commit -m ...` to record it\n";
  }
}

}  // namespace weft::cli
