// The dashboard's page, style and script (src/web/assets), compiled into the
// binary by cmake/embed_assets.cmake: nothing is read from disk or fetched.
#pragma once

#include <string_view>
#include <vector>

namespace weft::web {

struct Asset {
  std::string_view name;  // "index.html", "app.js", "app.css"
  std::string_view body;
};
const std::vector<Asset>& Assets();
// The asset named `name`, or nullptr.
const Asset* FindAsset(std::string_view name);
// Its Content-Type, from its extension.
std::string_view ContentTypeOf(std::string_view name);

}  // namespace weft::web
