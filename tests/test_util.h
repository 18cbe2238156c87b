// Helpers shared by tests: temporary directories and items built through the API.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "model/item.h"

namespace weft::testing {

// The seed of a randomized test: $WEFT_SEED when set (to replay a failure), else
// random. Always printed, so any run can be reproduced.
inline unsigned TestSeed() {
  const char* fixed = std::getenv("WEFT_SEED");
  unsigned seed =
      fixed ? static_cast<unsigned>(std::strtoul(fixed, nullptr, 10)) : std::random_device{}();
  std::printf("random seed %u (replay with WEFT_SEED=%u)\n", seed, seed);
  return seed;
}

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "weft-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const {
    return (std::filesystem::path(path_) / name).string();
  }

 private:
  std::string path_;
};

// An item whose body is `text` and whose display metadata is the text too.
inline Item TextItem(const std::string& text, ItemKind kind = ItemKind::kVal,
                     std::vector<ItemHash> refs = {}) {
  return Item::Make(kind, std::move(refs), Bytes(text.begin(), text.end()),
                    Bytes(text.begin(), text.end()));
}

}  // namespace weft::testing
