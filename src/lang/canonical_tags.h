// Tags of the canonical body grammar (docs/language.md), shared by the encoder
// and the decoder. Internal to lang/.
#pragma once

#include <cstdint>

namespace weft::lang::tags {

enum ExprTag : std::uint8_t {
  kUnit = 0,
  kInt = 1,
  kFloat = 2,
  kString = 3,
  kBool = 4,
  kVar = 5,
  kRef = 6,
  kSelfRef = 7,
  kCtor = 8,
  kBuiltin = 9,
  kLambda = 10,
  kApp = 11,
  kLet = 12,
  kIf = 13,
  kMatch = 14,
  kList = 15,
  kRecord = 16,
  kField = 17,
  kBinary = 18,
};
enum PatTag : std::uint8_t {
  kPWild = 0,
  kPVar = 1,
  kPLit = 2,
  kPNil = 3,
  kPCons = 4,
  kPList = 5,
  kPCtor = 6,
  kPRecord = 7,
};
enum TypeTag : std::uint8_t { kTBuiltin = 0, kTRef = 1, kTList = 2, kTRecord = 3 };
enum TargetTag : std::uint8_t { kTargetItem = 0, kTargetSelf = 1, kTargetBuiltin = 2 };

constexpr std::uint64_t ZigZag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
constexpr std::int64_t UnZigZag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

}  // namespace weft::lang::tags
