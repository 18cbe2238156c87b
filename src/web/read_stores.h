// Read-only connections the dashboard keeps between requests, so that SQLite's
// page cache stays warm: a page load on a large store then reads its counts from
// memory instead of the file. A connection is reused only while nothing has been
// committed since it was put back (PRAGMA data_version), so what it caches (the
// branch, the instance name) is never stale; otherwise a fresh one is opened.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

namespace weft::web {

class ReadStores {
 public:
  ReadStores(std::string store_dir, std::chrono::milliseconds busy_timeout, std::size_t keep = 4);

  // A read-only store: a kept one that is still current, or a newly opened one.
  Result<std::unique_ptr<Store>> Take();
  // Keeps `store` for a later Take (at most `keep` of them).
  void Give(std::unique_ptr<Store> store);

 private:
  struct Kept {
    std::unique_ptr<Store> store;
    std::int64_t version;
  };
  std::string store_dir_;
  std::chrono::milliseconds busy_timeout_;
  std::size_t keep_;
  std::mutex mu_;
  std::vector<Kept> idle_;
};

}  // namespace weft::web
