#include "workspace/fsck.h"

#include <charconv>

namespace weft::workspace {
namespace {

std::optional<std::int64_t> Number(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return v;
}

}  // namespace

Result<FsckReport> Fsck(Store& store, bool repair) {
  WEFT_ASSIGN_OR_RETURN(FsckReport report, repair ? RepairStore(store) : CheckStore(store));
  WEFT_TRY(RecordFsck(store, report.findings.size()));
  return report;
}

Result<std::optional<LastFsck>> LastFsckOf(Store& store) {
  WEFT_ASSIGN_OR_RETURN(auto at, store.GetMeta("fsck_at"));
  WEFT_ASSIGN_OR_RETURN(auto findings, store.GetMeta("fsck_findings"));
  auto a = Number(at), f = Number(findings);
  if (!a || !f) return std::optional<LastFsck>();
  return std::optional<LastFsck>(LastFsck{*a, *f});
}

}  // namespace weft::workspace
