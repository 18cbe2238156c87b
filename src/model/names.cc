#include "model/names.h"

#include <cctype>

namespace weft {
namespace {

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '\'';
}

}  // namespace

const char* NamespaceName(Namespace ns) { return ns == Namespace::kTerm ? "term" : "type"; }

Result<Namespace> NamespaceFromByte(std::uint8_t b) {
  if (b == 1) return Namespace::kTerm;
  if (b == 2) return Namespace::kType;
  return Fail(ErrorCode::kCorruption, "unknown namespace tag {}", b);
}

Status ValidateLocation(std::string_view location) {
  if (location.empty() || location.size() > 255) {
    return Fail(ErrorCode::kInvalidArgument, "a name must be 1 to 255 characters long");
  }
  int segments = 0;
  std::size_t start = 0;
  while (start <= location.size()) {
    std::size_t dot = location.find('.', start);
    std::string_view seg =
        location.substr(start, dot == std::string_view::npos ? location.npos : dot - start);
    if (seg.empty() || !IsIdentStart(seg[0])) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "'{}' is not a valid name: each dot-separated part must start with a letter or '_'",
          location);
    }
    for (char c : seg) {
      if (!IsIdentChar(c)) {
        return Fail(ErrorCode::kInvalidArgument, "'{}' is not a valid name: unexpected character",
                    location);
      }
    }
    ++segments;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (segments < 2) {
    return Fail(ErrorCode::kInvalidArgument,
                "'{}' is not a fully-qualified name (expected Owner.Module.name)", location);
  }
  return {};
}

Status ValidateBranchName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name[0] == '-' || name[0] == '.') {
    return Fail(ErrorCode::kInvalidArgument, "'{}' is not a valid branch name", name);
  }
  for (char c : name) {
    bool ok =
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '/' || c == '-';
    if (!ok) return Fail(ErrorCode::kInvalidArgument, "'{}' is not a valid branch name", name);
  }
  return {};
}

}  // namespace weft
