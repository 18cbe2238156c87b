#include "web/read_stores.h"

#include "fold/open.h"

namespace weft::web {

ReadStores::ReadStores(std::string store_dir, std::chrono::milliseconds busy_timeout,
                       std::size_t keep)
    : store_dir_(std::move(store_dir)), busy_timeout_(busy_timeout), keep_(keep) {}

Result<std::unique_ptr<Store>> ReadStores::Take() {
  while (true) {
    Kept kept;
    {
      std::lock_guard lock(mu_);
      if (idle_.empty()) break;
      kept = std::move(idle_.back());
      idle_.pop_back();
    }
    auto now = kept.store->db().DataVersion();
    if (now && *now == kept.version) return std::move(kept.store);
    // Another connection committed since: drop it (its cache and meta are stale).
  }
  return OpenStore(store_dir_, Store::Access::kReadOnly, SystemMillis, nullptr, busy_timeout_);
}

void ReadStores::Give(std::unique_ptr<Store> store) {
  auto version = store->db().DataVersion();
  if (!version) return;
  std::lock_guard lock(mu_);
  if (idle_.size() < keep_) idle_.push_back(Kept{std::move(store), *version});
}

}  // namespace weft::web
