#include "cli/add_report.h"

#include <iostream>

#include "cli/json_out.h"
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

nlohmann::json AddReportJson(Store& store, const workspace::AddReport& r) {
  nlohmann::json out = WriteJson(store, nullptr, r.staged);
  out["added"] = r.added;
  out["updated"] = r.updated;
  out["unchanged"] = r.unchanged;
  out["repointed"] = r.repointed;
  out["left"] = r.left;
  return out;
}

}  // namespace weft::cli
