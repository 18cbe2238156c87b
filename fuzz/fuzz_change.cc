// Fuzz target: the change decoder. A change that decodes is in canonical form: its
// encoding is the input byte for byte, so one change has one hash.
#include <cstdint>
#include <cstdlib>

#include "model/change.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace weft;
  ByteView input(data, size);
  auto decoded = DecodeChange(input);
  if (!decoded) return 0;
  Bytes again = EncodeChange(*decoded);
  if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
  return 0;
}
