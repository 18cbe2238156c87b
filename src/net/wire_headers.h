// The HTTP headers of `POST /v1/sync` and its refusals (docs/design/network.md).
#pragma once

namespace weft::net {

// Request.
inline constexpr char kHeaderSession[] = "Weft-Session";  // the client's session id
inline constexpr char kHeaderSeq[] = "Weft-Seq";          // 1, 2, ...: a retry repeats it
inline constexpr char kHeaderMode[] = "Weft-Mode";        // "pull": the server applies nothing
inline constexpr char kHeaderDevice[] = "Weft-Device";    // plain loopback: the client's id
inline constexpr char kHeaderTailscaleLogin[] = "Tailscale-User-Login";
// Request: "1" = the client reads a batch (net/batch.h). Response: "1" = this
// answer is a batch, and the server takes batches too.
inline constexpr char kHeaderBatch[] = "Weft-Batch";
// Response.
inline constexpr char kHeaderApplied[] = "Weft-Applied";  // changes of ours it applied
inline constexpr char kHeaderCarried[] = "Weft-Carried";  // our message carried changes
inline constexpr char kHeaderProgressed[] =
    "Weft-Progressed";                                    // ...and some were applied or queued
inline constexpr char kHeaderProblem[] = "Weft-Problem";  // one sentence each, repeated
inline constexpr char kHeaderNotice[] = "Weft-Notice";
inline constexpr char kHeaderMore[] = "Weft-More";  // "0": nothing more until it hears from us
inline constexpr char kHeaderRefusal[] = "Weft-Refusal";  // the counter a refusal counts under

}  // namespace weft::net
