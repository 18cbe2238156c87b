// Fuzz target: the language parser, as a file and as one expression. Source text
// is hostile input too: it comes from files and the command line.
#include <cstdint>
#include <string_view>

#include "lang/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  (void)weft::lang::ParseFile(source, "fuzz.weft");
  (void)weft::lang::ParseExpression(source, "fuzz");
  return 0;
}
