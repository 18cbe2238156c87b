#include "net/remote_eval.h"

namespace weft::net {
namespace {

using json = nlohmann::json;

Status Expect(bool ok, const char* what) {
  if (!ok) return Fail(ErrorCode::kInvalidArgument, "an eval request's {}", what);
  return {};
}

template <typename T>
Status ReadCount(const json& doc, const char* key, T& out) {
  if (!doc.contains(key)) return {};
  const json& v = doc[key];
  WEFT_TRY(Expect(v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0),
                  "limits must be whole numbers"));
  out = static_cast<T>(v.get<std::uint64_t>());
  return {};
}

}  // namespace

json RemoteEvalRequestToJson(const RemoteEvalRequest& r) {
  json heads = json::array();
  for (const auto& h : r.required_heads) heads.push_back(h.Hex());
  json doc = {{"branch", r.branch},          {"required_heads", heads},
              {"wait_ms", r.wait_ms},        {"max_steps", r.max_steps},
              {"max_depth", r.max_depth},    {"max_memory", r.max_memory},
              {"max_time_ms", r.max_time_ms}};
  if (!r.call.empty()) {
    doc["call"] = r.call;
    doc["args"] = r.args;
  } else {
    doc["expression"] = r.expression;
  }
  return doc;
}

Result<RemoteEvalRequest> RemoteEvalRequestFromJson(const json& doc) {
  RemoteEvalRequest r;
  WEFT_TRY(Expect(doc.is_object(), "body must be a JSON object"));
  const bool is_call = doc.contains("call");
  WEFT_TRY(Expect(is_call != doc.contains("expression"),
                  "body needs exactly one of expression and call"));
  if (is_call) {
    WEFT_TRY(Expect(doc["call"].is_string(), "call must be a name"));
    r.call = doc["call"].get<std::string>();
    if (doc.contains("args")) {
      WEFT_TRY(Expect(doc["args"].is_array(), "args must be a list of expressions"));
      for (const auto& a : doc["args"]) {
        WEFT_TRY(Expect(a.is_string(), "args must be a list of expressions"));
        r.args.push_back(a.get<std::string>());
      }
    }
  } else {
    WEFT_TRY(Expect(doc["expression"].is_string(), "expression must be text"));
    r.expression = doc["expression"].get<std::string>();
  }
  if (doc.contains("branch")) {
    WEFT_TRY(Expect(doc["branch"].is_string() && !doc["branch"].get<std::string>().empty(),
                    "branch must be a name"));
    r.branch = doc["branch"].get<std::string>();
  }
  if (doc.contains("required_heads")) {
    const json& heads = doc["required_heads"];
    WEFT_TRY(Expect(heads.is_array() && heads.size() <= kMaxRequiredHeads,
                    "required_heads must be a list of at most 1024 change hashes"));
    for (const auto& h : heads) {
      WEFT_TRY(Expect(h.is_string(), "required_heads must be change hashes"));
      auto hash = ChangeHash::FromHex(h.get<std::string>());
      WEFT_TRY(Expect(hash.has_value(), "required_heads must be full change hashes"));
      r.required_heads.push_back(*hash);
    }
  }
  WEFT_TRY(ReadCount(doc, "wait_ms", r.wait_ms));
  WEFT_TRY(ReadCount(doc, "max_steps", r.max_steps));
  WEFT_TRY(ReadCount(doc, "max_depth", r.max_depth));
  WEFT_TRY(ReadCount(doc, "max_memory", r.max_memory));
  WEFT_TRY(ReadCount(doc, "max_time_ms", r.max_time_ms));
  WEFT_TRY(Expect(r.wait_ms >= 0 && r.max_time_ms >= 0, "wait_ms and max_time_ms must fit"));
  return r;
}

json RemoteEvalAnswerToJson(const RemoteEvalAnswer& a) {
  return {{"value", a.value}, {"type", a.type}, {"steps", a.steps}, {"waited_ms", a.waited_ms}};
}

Result<RemoteEvalAnswer> RemoteEvalAnswerFromJson(const json& doc) {
  if (!doc.is_object() || !doc.contains("value") || !doc["value"].is_string() ||
      !doc.contains("type") || !doc["type"].is_string() || !doc.contains("steps") ||
      !doc["steps"].is_number_unsigned() || !doc.contains("waited_ms") ||
      !doc["waited_ms"].is_number_integer()) {
    return Fail(ErrorCode::kProtocol, "the eval answer lacks value, type, steps or waited_ms");
  }
  return RemoteEvalAnswer{doc["value"].get<std::string>(), doc["type"].get<std::string>(),
                          doc["steps"].get<std::uint64_t>(), doc["waited_ms"].get<std::int64_t>()};
}

}  // namespace weft::net
