#include "fold/open.h"

#include "fold/ledger.h"
#include "store/store_file.h"

namespace weft {

Result<std::unique_ptr<Store>> OpenStore(const std::string& dir, Store::Access access,
                                         HlcClock::WallClock wall, bool* refolded,
                                         std::chrono::milliseconds busy_timeout) {
  WEFT_ASSIGN_OR_RETURN(auto store, Store::Open(dir, access, wall, busy_timeout));
  if (store->projections_current()) return store;
  // An upgrade from an older Release happens in the first open; say so after
  // the re-fold, which opens the store again.
  auto migration = store->migration();
  if (access == Store::Access::kReadOnly) {
    if (!CanWrite(dir, StoreFilePath(dir))) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "the projections of {} were folded by another weft build; a command that can "
                  "write the store (`weft rebuild`) re-folds them",
                  dir);
    }
    store.reset();
    WEFT_ASSIGN_OR_RETURN(auto writer,
                          OpenStore(dir, Store::Access::kReadWrite, wall, refolded, busy_timeout));
    if (!migration) migration = writer->migration();
    writer.reset();
    WEFT_ASSIGN_OR_RETURN(store, Store::Open(dir, access, wall, busy_timeout));
    store->set_migration(std::move(migration));
    return store;
  }
  WEFT_TRY(Ledger(*store).Rebuild());
  if (refolded != nullptr) *refolded = true;
  WEFT_ASSIGN_OR_RETURN(store, Store::Open(dir, access, wall, busy_timeout));
  store->set_migration(std::move(migration));
  return store;
}

}  // namespace weft
