// Running code on a peer (`POST /v1/eval`): the request, which names the heads
// the caller needs the peer to hold first, and the answer, as JSON
// (docs/design/daemon.md). The peer waits for the heads, then evaluates on the
// named branch, as committed, within limits it caps.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/ids.h"

namespace weft::net {

struct RemoteEvalRequest {
  std::string expression;         // `weft eval`: an expression; or
  std::string call;               // `weft run`: a function's name
  std::vector<std::string> args;  //   and its arguments, each one expression
  std::string branch = "main";
  std::vector<ChangeHash> required_heads;
  std::int64_t wait_ms = 10'000;  // for the heads to arrive
  // Limits the caller asks for; the peer caps each at its own (0: the peer's).
  std::uint64_t max_steps = 0;
  std::uint64_t max_depth = 0;
  std::uint64_t max_memory = 0;
  std::int64_t max_time_ms = 0;
};

struct RemoteEvalAnswer {
  std::string value;  // as weft source
  std::string type;
  std::uint64_t steps = 0;
  std::int64_t waited_ms = 0;  // for the required heads
};

// Sizes a request may have: a request is read whole, so it is small.
inline constexpr std::size_t kMaxEvalRequestBytes = 1u << 20;
inline constexpr std::size_t kMaxRequiredHeads = 1024;

nlohmann::json RemoteEvalRequestToJson(const RemoteEvalRequest& r);
// kInvalidArgument for a document that is not a request (one sentence saying why).
Result<RemoteEvalRequest> RemoteEvalRequestFromJson(const nlohmann::json& doc);
nlohmann::json RemoteEvalAnswerToJson(const RemoteEvalAnswer& a);
// kProtocol when a field is missing or malformed.
Result<RemoteEvalAnswer> RemoteEvalAnswerFromJson(const nlohmann::json& doc);

}  // namespace weft::net
