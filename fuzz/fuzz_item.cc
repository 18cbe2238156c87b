// Fuzz target: the canonical item decoder, model and language layers together, as
// a received blob is read. Input: u8(kind) u16(canonical length, little endian)
// canonical display. A body that decodes re-encodes to itself, so the item keeps
// its hash.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "lang/canonical_codec.h"
#include "model/item.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace weft;
  if (size < 3) return 0;
  auto kind = ItemKindFromByte(data[0]);
  if (!kind) return 0;
  std::size_t split = static_cast<std::size_t>(data[1]) | (static_cast<std::size_t>(data[2]) << 8);
  ByteView rest(data + 3, size - 3);
  if (split > rest.size()) split = rest.size();
  auto item = DecodeItem(*kind, rest.subspan(0, split), rest.subspan(split));
  if (!item) return 0;
  std::vector<Digest> refs;
  for (const auto& r : item->refs) refs.push_back(r.digest());
  auto component = lang::DecodeComponent(item->body, refs, item->display);
  if (!component) return 0;
  lang::EncodedComponent encoded = lang::EncodeComponent(component->component);
  Bytes body = lang::MemberBody(encoded, component->component.members.size(), component->self);
  if (body != item->body || encoded.refs != refs) std::abort();
  return 0;
}
