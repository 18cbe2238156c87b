// weft_fill_store DIR N [SALT]: authors N synthetic changes into the store at DIR
// (tools/fill.h), for slow tests and benchmarks that need a large log quickly.
#include <iostream>
#include <string>

#include "fold/open.h"
#include "tools/fill.h"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: weft_fill_store DIR N [SALT]\n";
    return 1;
  }
  std::uint64_t n = 0;
  try {
    n = std::stoull(argv[2]);
  } catch (const std::exception&) {
    std::cerr << "weft_fill_store: N must be a whole number\n";
    return 1;
  }
  auto store = weft::OpenStore(argv[1], weft::Store::Access::kReadWrite);
  if (!store) {
    std::cerr << "weft_fill_store: " << store.error().message() << "\n";
    return 4;
  }
  auto filled = weft::tools::FillStore(**store, 0, n, argc == 4 ? argv[3] : "");
  if (!filled) {
    std::cerr << "weft_fill_store: " << filled.error().message() << "\n";
    return 4;
  }
  return 0;
}
