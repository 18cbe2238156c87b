#include "net/remote_eval.h"

#include <gtest/gtest.h>

namespace weft::net {
namespace {

using json = nlohmann::json;

TEST(RemoteEval, ARequestRoundTrips) {
  RemoteEvalRequest r;
  r.call = "Demo.M.f";
  r.args = {"1", "[1, 2]"};
  r.branch = "feature";
  r.required_heads = {ChangeHash(Digest{1}), ChangeHash(Digest{2})};
  r.wait_ms = 2500;
  r.max_steps = 100;
  r.max_time_ms = 30;
  auto back = RemoteEvalRequestFromJson(RemoteEvalRequestToJson(r));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->call, "Demo.M.f");
  EXPECT_EQ(back->args, r.args);
  EXPECT_EQ(back->branch, "feature");
  EXPECT_EQ(back->required_heads, r.required_heads);
  EXPECT_EQ(back->wait_ms, 2500);
  EXPECT_EQ(back->max_steps, 100u);
  EXPECT_EQ(back->max_time_ms, 30);
  EXPECT_TRUE(back->expression.empty());
}

TEST(RemoteEval, MalformedRequestsAreRefusedWithASentence) {
  RemoteEvalRequest base;
  base.expression = "1 + 1";
  const json ok = RemoteEvalRequestToJson(base);
  std::vector<json> bad = {json::array(), json("text"), json::object()};
  auto with = [&](const char* key, json v) {
    json d = ok;
    d[key] = std::move(v);
    return d;
  };
  bad.push_back(with("call", "Demo.M.f"));  // both call and expression
  bad.push_back(with("expression", 5));
  bad.push_back(with("branch", ""));
  bad.push_back(with("required_heads", json::array({"abc"})));
  bad.push_back(with("required_heads", json::array({7})));
  bad.push_back(with("required_heads", "00"));
  bad.push_back(with("wait_ms", -1));
  bad.push_back(with("wait_ms", 1.5));
  bad.push_back(with("max_time_ms", "10"));
  bad.push_back(with("wait_ms", json(std::uint64_t{1} << 63)));
  json many = ok;
  many["required_heads"] = json::array();
  for (int i = 0; i < 1025; ++i) many["required_heads"].push_back(ChangeHash(Digest{}).Hex());
  bad.push_back(many);
  for (const json& d : bad) {
    auto r = RemoteEvalRequestFromJson(d);
    EXPECT_FALSE(r) << d.dump().substr(0, 200);
    if (!r) {
      EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
      EXPECT_EQ(r.error().message().find('\n'), std::string::npos);
    }
  }
}

TEST(RemoteEval, AnAnswerRoundTripsAndAMalformedOneIsAProtocolError) {
  RemoteEvalAnswer a{"[1, 2]", "List", 42, 7};
  auto back = RemoteEvalAnswerFromJson(RemoteEvalAnswerToJson(a));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->value, "[1, 2]");
  EXPECT_EQ(back->type, "List");
  EXPECT_EQ(back->steps, 42u);
  EXPECT_EQ(back->waited_ms, 7);
  json d = RemoteEvalAnswerToJson(a);
  d.erase("value");
  auto missing = RemoteEvalAnswerFromJson(d);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kProtocol);
}

}  // namespace
}  // namespace weft::net
