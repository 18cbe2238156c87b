// A batch: several sync messages in one HTTP body, for a round trip that carries
// the parts of a large delta back to back (docs/wire-format.md, "Batches").
//
//   batch := frame*        frame := u32 big-endian length, then that many bytes
//
// A client says it reads batches with the Weft-Batch request header; a server
// that writes them says so with the same header on its answer, and only then does
// the client send batches itself. Each frame is one message, decoded as ever.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"

namespace weft::net {

inline constexpr char kBatchContentType[] = "application/vnd.weft.sync-batch";

std::string EncodeBatch(const std::vector<Bytes>& messages);
// Views into `body`. kProtocol for a frame that runs past the end, an empty one,
// or more than `max_messages` frames.
Result<std::vector<ByteView>> DecodeBatch(std::string_view body, std::size_t max_messages);
// The messages of an HTTP body: a batch's frames when `content_type` is
// kBatchContentType, else the body as one message (none when it is empty).
Result<std::vector<ByteView>> MessagesOfBody(std::string_view content_type, std::string_view body,
                                             std::size_t max_messages);

}  // namespace weft::net
