#include "net/batch.h"

namespace weft::net {

std::string EncodeBatch(const std::vector<Bytes>& messages) {
  std::size_t total = 0;
  for (const auto& m : messages) total += 4 + m.size();
  std::string out;
  out.reserve(total);
  for (const auto& m : messages) {
    const auto n = static_cast<std::uint32_t>(m.size());
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(n >> shift));
    out.append(reinterpret_cast<const char*>(m.data()), m.size());
  }
  return out;
}

Result<std::vector<ByteView>> DecodeBatch(std::string_view body, std::size_t max_messages) {
  std::vector<ByteView> out;
  const auto* p = reinterpret_cast<const std::uint8_t*>(body.data());
  std::size_t at = 0;
  while (at < body.size()) {
    if (out.size() == max_messages) {
      return Fail(ErrorCode::kProtocol, "a sync batch holds more than {} messages", max_messages);
    }
    if (body.size() - at < 4) return Fail(ErrorCode::kProtocol, "a sync batch ends mid-frame");
    std::uint32_t n = 0;
    for (int i = 0; i < 4; ++i) n = (n << 8) | p[at + static_cast<std::size_t>(i)];
    at += 4;
    if (n == 0 || n > body.size() - at) {
      return Fail(ErrorCode::kProtocol, "a sync batch has a frame of {} bytes where {} remain", n,
                  body.size() - at);
    }
    out.emplace_back(p + at, n);
    at += n;
  }
  return out;
}

Result<std::vector<ByteView>> MessagesOfBody(std::string_view content_type, std::string_view body,
                                             std::size_t max_messages) {
  if (content_type == kBatchContentType) return DecodeBatch(body, max_messages);
  std::vector<ByteView> out;
  if (!body.empty())
    out.emplace_back(reinterpret_cast<const std::uint8_t*>(body.data()), body.size());
  return out;
}

}  // namespace weft::net
