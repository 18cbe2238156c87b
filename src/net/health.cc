#include "net/health.h"

namespace weft::net {
namespace {

template <typename H>
Result<H> HashFrom(const nlohmann::json& v) {
  if (!v.is_string())
    return Fail(ErrorCode::kProtocol, "a hash in the health document is not text");
  return H::FromHex(v.get<std::string>());
}

}  // namespace

nlohmann::json HealthToJson(const Health& h) {
  nlohmann::json heads = nlohmann::json::array();
  for (const auto& c : h.heads) heads.push_back(c.Hex());
  nlohmann::json clock = nlohmann::json::array();
  for (const auto& [actor, seq] : h.hello.clock) clock.push_back({actor.Hex(), seq});
  return {{"release", h.release},
          {"instance", h.hello.instance},
          {"actor", h.hello.actor.Hex()},
          {"device_id", h.device_id},
          {"heads", heads},
          {"changes", h.hello.changes},
          {"clock", clock}};
}

Result<Health> HealthFromJson(const nlohmann::json& doc) {
  Health h;
  if (!doc.is_object() || !doc.contains("release") || !doc["release"].is_number_integer()) {
    return Fail(ErrorCode::kProtocol, "the health document has no Release");
  }
  h.release = doc["release"].get<std::int64_t>();
  auto text = [&](const char* key) -> Result<std::string> {
    if (!doc.contains(key) || !doc[key].is_string()) {
      return Fail(ErrorCode::kProtocol, "the health document has no {}", key);
    }
    return doc[key].get<std::string>();
  };
  WEFT_ASSIGN_OR_RETURN(h.hello.instance, text("instance"));
  WEFT_ASSIGN_OR_RETURN(h.device_id, text("device_id"));
  WEFT_ASSIGN_OR_RETURN(std::string actor, text("actor"));
  WEFT_ASSIGN_OR_RETURN(h.hello.actor, ActorId::FromHex(actor));
  if (!doc.contains("changes") || !doc["changes"].is_number_unsigned() || !doc.contains("heads") ||
      !doc["heads"].is_array() || !doc.contains("clock") || !doc["clock"].is_array()) {
    return Fail(ErrorCode::kProtocol, "the health document lacks heads, changes or clock");
  }
  h.hello.changes = doc["changes"].get<std::uint64_t>();
  for (const auto& v : doc["heads"]) {
    WEFT_ASSIGN_OR_RETURN(ChangeHash c, HashFrom<ChangeHash>(v));
    h.heads.push_back(c);
  }
  for (const auto& e : doc["clock"]) {
    if (!e.is_array() || e.size() != 2 || !e[1].is_number_unsigned()) {
      return Fail(ErrorCode::kProtocol, "the health document's clock is malformed");
    }
    WEFT_ASSIGN_OR_RETURN(ActorId a, HashFrom<ActorId>(e[0]));
    h.hello.clock.emplace_back(a, e[1].get<std::uint64_t>());
  }
  return h;
}

}  // namespace weft::net
