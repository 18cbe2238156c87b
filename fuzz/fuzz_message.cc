// Fuzz target: the sync message decoder, the first code that reads a peer's bytes.
// A message that decodes re-encodes to bytes that decode to the same message, and
// every change it carries goes through the change decoder too.
#include <cstdint>
#include <cstdlib>

#include "core/release.h"
#include "model/change.h"
#include "sync/message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace weft;
  auto decoded = sync::DecodeMessage(ByteView(data, size), kRelease);
  if (!decoded) return 0;
  for (const Bytes& c : decoded->changes) (void)DecodeChange(c);
  Bytes again = sync::EncodeMessage(*decoded);
  auto redecoded = sync::DecodeMessage(again, kRelease);
  if (!redecoded) std::abort();  // our own encoding of a valid message must decode
  if (sync::EncodeMessage(*redecoded) != again) std::abort();
  return 0;
}
