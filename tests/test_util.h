// Helpers shared by tests: temporary directories and items built through the API.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "model/item.h"

namespace weft::testing {

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
