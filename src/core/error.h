// Error and Result: the library's only failure vocabulary.
//
// Every fallible call returns Result<T> = std::expected<T, Error>. An Error is a
// specific code plus one line of text meant for a person; it never carries context
// the caller already has. The library throws no exceptions; exceptions raised by
// third-party code are caught where they enter and turned into an Error.
#pragma once

#include <fmt/core.h>

#include <cstdint>
#include <expected>
#include <string>
#include <utility>

namespace weft {

enum class ErrorCode : std::uint8_t {
  kInvalidArgument = 1,  // the caller (a person or a program) asked for something malformed
  kNotFound = 2,
  kCorruption = 3,  // stored or received bytes do not decode or do not match their hash
  kIo = 4,
  kProtocol = 5,
  kVersionMismatch = 6,
  kConflict = 7,
  kUnavailable = 8,
  kTimeout = 9,
  kFailedPrecondition = 10,  // the request is well formed but the state forbids it
  kEvaluation = 11,          // running weft code failed (a typed runtime error)
  kBusy = 12,                // another process holds the store's write lock past the wait
  kPermissionDenied = 13,    // a peer does not trust this device, or is not the device we trust
  kMissingChanges = 14,      // a peer did not come to hold the changes a request needs in time
};

// The stable lowercase name of a code, used in --json output.
const char* ErrorCodeName(ErrorCode code);

class [[nodiscard]] Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_;
  std::string message_;
};

template <typename T>
using Result = std::expected<T, Error>;
using Status = Result<void>;

// Builds the unexpected side of a Result: `return Fail(ErrorCode::kNotFound, "no {}", x);`
template <typename... Args>
std::unexpected<Error> Fail(ErrorCode code, fmt::format_string<Args...> f, Args&&... args) {
  return std::unexpected<Error>(Error(code, fmt::format(f, std::forward<Args>(args)...)));
}

inline std::unexpected<Error> Fail(Error e) { return std::unexpected<Error>(std::move(e)); }

}  // namespace weft

// Propagates the error of an expression that yields a Result<void>.
#define WEFT_TRY(expr)                                                               \
  do {                                                                               \
    auto weft_try_status_ = (expr);                                                  \
    if (!weft_try_status_) return ::weft::Fail(std::move(weft_try_status_.error())); \
  } while (false)

// Evaluates a Result<T>, propagating its error, and binds the value to `lhs`.
#define WEFT_ASSIGN_OR_RETURN(lhs, expr) \
  WEFT_ASSIGN_IMPL_(WEFT_CONCAT_(weft_r_, __LINE__), lhs, expr)
#define WEFT_CONCAT_INNER_(a, b) a##b
#define WEFT_CONCAT_(a, b) WEFT_CONCAT_INNER_(a, b)
#define WEFT_ASSIGN_IMPL_(tmp, lhs, expr)                \
  auto tmp = (expr);                                     \
  if (!tmp) return ::weft::Fail(std::move(tmp.error())); \
  lhs = std::move(*tmp)
