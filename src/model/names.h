// Names a person types: locations (Owner.Module.name), namespaces and branches.
//
// A location is two or more dot-separated identifiers, each [A-Za-z_][A-Za-z0-9_']*,
// at most 255 bytes in all. A branch name is 1-64 characters of [A-Za-z0-9._/-]
// that does not start with '-' or '.'. Both checks apply to text from a person and
// to every decoded change, so a peer cannot plant a name a person could not type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace weft {

// Terms (fn, val) and types are bound in separate namespaces; on disk and wire.
enum class Namespace : std::uint8_t { kTerm = 1, kType = 2 };

const char* NamespaceName(Namespace ns);
Result<Namespace> NamespaceFromByte(std::uint8_t b);

Status ValidateLocation(std::string_view location);
Status ValidateBranchName(std::string_view name);

inline constexpr std::string_view kMainBranch = "main";

}  // namespace weft
