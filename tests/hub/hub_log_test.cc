#include "hub/hub_log.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "hub/schema.h"
#include "hub/tenants.h"
#include "hub_changes.h"
#include "pg_server.h"

namespace weft::hub {
namespace {

using testing::Built;
using testing::MakeChange;
using testing::PushOf;

class HubLog : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new testing::PgServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_FALSE(server_->url().empty()) << "PostgreSQL did not start (scripts/deps)";
    auto c = PgConn::Connect(server_->url());
    ASSERT_TRUE(c.has_value()) << c.error().message();
    conn_.emplace(std::move(*c));
    ASSERT_TRUE(Migrate(*conn_).has_value());
  }
  Tenant NewTenant(const std::string& name) {
    auto t = CreateTenant(*conn_, name, kDefaultQuotaBytes);
    EXPECT_TRUE(t.has_value()) << t.error().message();
    return *t;
  }
  std::int64_t Stored(const Tenant& t) {
    auto r =
        conn_->Exec("SELECT count(*)::bigint FROM changes WHERE tenant_id = $1", {PgInt8(t.id)});
    return r ? r->Int8(0, 0) : -1;
  }
  // A caller with an admin token of the tenant (made once per tenant).
  Caller As(const Tenant& t) {
    auto it = callers_.find(t.id);
    if (it != callers_.end()) return it->second;
    auto made = CreateToken(*conn_, t.name, "test", Scope::kAdmin);
    EXPECT_TRUE(made.has_value());
    return callers_[t.id] = CallerOf(made->secret, t.name, Scope::kWrite);
  }
  static Caller CallerOf(const std::string& token, const std::string& tenant, Scope need) {
    auto claim = ParseToken(token);
    return Caller{claim.value_or(TokenClaim{}), tenant, need};
  }
  // What the hub's first statement says of a caller.
  std::variant<TokenInfo, Denial> Check(const Caller& who) {
    auto r = conn_->Pipeline({TokenStatement(who)});
    EXPECT_TRUE(r.has_value());
    return Admit((*r)[0], who);
  }
  PushOutcome MustPush(const Tenant& t, const std::vector<Built>& changes) {
    auto out = Push(*conn_, As(t), PushOf(changes), {});
    EXPECT_TRUE(out.has_value()) << out.error().message();
    return *out;
  }

  static testing::PgServer* server_;
  std::optional<PgConn> conn_;
  std::map<std::int64_t, Caller> callers_;
};
testing::PgServer* HubLog::server_ = nullptr;

TEST_F(HubLog, APushIsAllOrNothingAndEachForgeryIsRefusedWithItsCause) {
  const Tenant t = NewTenant("forgeries");
  const ActorId a = ActorId::Random(), b = ActorId::Random();
  Built c1 = MakeChange(a, 1, {}, "one");
  Built c2 = MakeChange(a, 2, {c1.change.hash}, "two");
  PushOutcome ok = MustPush(t, {c1, c2});
  EXPECT_TRUE(ok.refusal.empty()) << ok.sentence;
  EXPECT_EQ(ok.accepted, 2u);
  EXPECT_EQ(ok.latest, 2);
  ASSERT_TRUE(ok.last.has_value());
  EXPECT_EQ(*ok.last, c2.change.hash);

  Built unknown = MakeChange(b, 1, {}, "never pushed");
  Built b2 = MakeChange(b, 2, {unknown.change.hash}, "b two");
  Built fresh = MakeChange(b, 1, {c2.change.hash}, "fine on its own");
  Built gap = MakeChange(a, 4, {c2.change.hash}, "a four");
  Built forged = MakeChange(a, 3, {c2.change.hash}, "a three");
  forged.blob.canonical.back() ^= 1;
  struct Case {
    std::vector<Built> push;
    const char* refusal;
  };
  for (const Case& c : {Case{{fresh, b2}, "missing_deps"}, Case{{fresh, gap}, "not_contiguous"},
                        Case{{MakeChange(b, 1, {unknown.change.hash}, "x")}, "missing_deps"},
                        Case{{fresh, forged}, "bad_hash"}}) {
    PushOutcome r = MustPush(t, c.push);
    EXPECT_EQ(r.refusal, c.refusal) << r.sentence;
    EXPECT_EQ(r.accepted, 0u);
    EXPECT_EQ(Stored(t), 2) << "a refused push stored something: " << c.refusal;
  }
  // The same push again is a no-op.
  PushOutcome again = MustPush(t, {c1, c2});
  EXPECT_TRUE(again.refusal.empty());
  EXPECT_EQ(again.duplicates, 2u);
  EXPECT_EQ(Stored(t), 2);
}

TEST_F(HubLog, ATenantSeesNothingOfAnotherEvenByHash) {
  const Tenant one = NewTenant("one"), two = NewTenant("two");
  Built c1 = MakeChange(ActorId::Random(), 1, {}, "secret");
  MustPush(one, {c1});
  auto page = Pull(*conn_, As(two), PullRequest{});
  ASSERT_TRUE(page.has_value());
  EXPECT_TRUE(page->changes.empty());
  // Naming one's change as a dep does not make it visible to the other.
  PushOutcome r = MustPush(two, {MakeChange(ActorId::Random(), 1, {c1.change.hash}, "x")});
  EXPECT_EQ(r.refusal, "missing_deps");
  // Nor does pushing the same bytes tell the other tenant anything: it is new there.
  PushOutcome same = MustPush(two, {c1});
  EXPECT_EQ(same.accepted, 1u);
  EXPECT_EQ(same.duplicates, 0u);
}

TEST_F(HubLog, PagesFollowArrivalOrderAndAMovedHistoryIsNoticed) {
  const Tenant t = NewTenant("pages");
  const ActorId a = ActorId::Random();
  std::vector<Built> chain;
  for (std::uint64_t s = 1; s <= 5; ++s) {
    chain.push_back(MakeChange(
        a, s,
        s == 1 ? std::vector<ChangeHash>{} : std::vector<ChangeHash>{chain.back().change.hash},
        "c" + std::to_string(s)));
  }
  MustPush(t, chain);
  PullRequest req;
  req.max_changes = 2;
  std::vector<ChangeHash> seen;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = Pull(*conn_, As(t), req);
    ASSERT_TRUE(page.has_value());
    ASSERT_FALSE(page->history_changed);
    for (const Bytes& b : page->changes) seen.push_back(EncodedChange::FromBytes(b)->hash);
    EXPECT_EQ(page->blobs.size(), page->changes.size());
    req.after = page->through;
    req.at = seen.back();
    req.epoch = page->epoch;
    if (!page->more) break;
  }
  ASSERT_EQ(seen.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(seen[i], chain[i].change.hash);
  // A position whose change is not the one at that number: another history.
  PullRequest wrong = req;
  wrong.at = chain[0].change.hash;
  EXPECT_TRUE(Pull(*conn_, As(t), wrong)->history_changed);
  PullRequest epoch = req;
  epoch.epoch = "another";
  EXPECT_TRUE(Pull(*conn_, As(t), epoch)->history_changed);
  PullRequest beyond = req;
  beyond.after = 99;
  EXPECT_TRUE(Pull(*conn_, As(t), beyond)->history_changed);
  // The witness: a client that read to 2 but knows (its push) that 5 is there
  // notices when 5 is another change, though its read position is fine.
  PullRequest witness;
  witness.after = 2;
  witness.at = chain[1].change.hash;
  witness.epoch = req.epoch;
  witness.seen = 5;
  witness.seen_at = chain.back().change.hash;
  EXPECT_FALSE(Pull(*conn_, As(t), witness)->history_changed);
  witness.seen_at = chain[0].change.hash;
  EXPECT_TRUE(Pull(*conn_, As(t), witness)->history_changed);
  witness.seen = 7;  // beyond the log: lost in a restore
  EXPECT_TRUE(Pull(*conn_, As(t), witness)->history_changed);
  // The clock and heads.
  auto clock = ReadClock(*conn_, As(t));
  ASSERT_TRUE(clock.has_value());
  ASSERT_EQ(clock->clock.size(), 1u);
  EXPECT_EQ(clock->clock[0].second, 5u);
  ASSERT_EQ(clock->heads.size(), 1u);
  EXPECT_EQ(clock->heads[0], chain.back().change.hash);
}

TEST_F(HubLog, ConcurrentPushesGetArrivalNumbersWithoutGaps) {
  const Tenant t = NewTenant("busy");
  constexpr int kWriters = 8, kEach = 15;
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  const Caller who = As(t);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto c = PgConn::Connect(server_->url());
      if (!c) {
        ++failures;
        return;
      }
      const ActorId a = ActorId::Random();
      ChangeHash prev;
      for (int s = 1; s <= kEach; ++s) {
        Built b = MakeChange(a, static_cast<std::uint64_t>(s),
                             s == 1 ? std::vector<ChangeHash>{} : std::vector<ChangeHash>{prev},
                             fmt::format("w{}s{}", w, s));
        prev = b.change.hash;
        auto out = Push(*c, who, PushOf({b}), {});
        if (!out || !out->refusal.empty() || out->accepted != 1) ++failures;
      }
    });
  }
  for (auto& th : writers) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto r = conn_->Exec("SELECT seq FROM changes WHERE tenant_id = $1 ORDER BY seq", {PgInt8(t.id)});
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->rows(), kWriters * kEach);
  for (int i = 0; i < r->rows(); ++i) EXPECT_EQ(r->Int8(i, 0), i + 1);
  auto clock = ReadClock(*conn_, As(t));
  EXPECT_EQ(clock->latest, kWriters * kEach);
  EXPECT_EQ(clock->heads.size(), static_cast<std::size_t>(kWriters));
}

TEST_F(HubLog, OverTheQuotaNothingIsStored) {
  auto t = CreateTenant(*conn_, "small", 200);
  ASSERT_TRUE(t.has_value());
  PushOutcome r = MustPush(*t, {MakeChange(ActorId::Random(), 1, {}, std::string(300, 'q'))});
  EXPECT_EQ(r.refusal, "over_quota");
  EXPECT_EQ(Stored(*t), 0);
}

TEST_F(HubLog, TokensAuthenticateUntilRevokedAndKeepOnlyAHash) {
  NewTenant("tok");
  NewTenant("else");
  auto made = CreateToken(*conn_, "tok", "laptop", Scope::kWrite);
  ASSERT_TRUE(made.has_value());
  auto who = Check(CallerOf(made->secret, "tok", Scope::kWrite));
  ASSERT_TRUE(std::holds_alternative<TokenInfo>(who));
  EXPECT_EQ(std::get<TokenInfo>(who).device, "laptop");
  EXPECT_EQ(std::get<TokenInfo>(who).scope, Scope::kWrite);
  std::string wrong = made->secret;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  auto denied = [&](const std::string& token, const std::string& tenant, Scope need) {
    auto r = Check(CallerOf(token, tenant, need));
    return std::holds_alternative<Denial>(r) ? std::get<Denial>(r) : Denial{255};
  };
  EXPECT_EQ(denied(wrong, "tok", Scope::kRead), Denial::kUnknown);
  EXPECT_FALSE(ParseToken("weft_hub_x_y").has_value());
  EXPECT_FALSE(ParseToken("").has_value());
  EXPECT_EQ(denied(made->secret, "else", Scope::kRead), Denial::kWrongTenant);
  EXPECT_EQ(denied(made->secret, "tok", Scope::kAdmin), Denial::kScope);
  auto stored = conn_->Exec(
      "SELECT count(*)::bigint FROM tokens WHERE position($1 in "
      "encode(secret_hash, 'escape')) > 0",
      {PgText(made->secret.substr(made->secret.rfind('_') + 1))});
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->Int8(0, 0), 0) << "the secret itself is stored";
  ASSERT_TRUE(RevokeToken(*conn_, made->info.id).has_value());
  EXPECT_EQ(denied(made->secret, "tok", Scope::kRead), Denial::kUnknown);
  EXPECT_EQ(RevokeToken(*conn_, 999999).error().code(), ErrorCode::kNotFound);
}

// Each way in checks the token in its own first round trip: a refused caller
// stores nothing, reads nothing and leaves no transaction open.
TEST_F(HubLog, ARefusedCallerGetsNothingFromAnyWayIn) {
  const Tenant t = NewTenant("guarded");
  Built c1 = MakeChange(ActorId::Random(), 1, {}, "guarded");
  MustPush(t, {c1});
  auto reader = CreateToken(*conn_, "guarded", "phone", Scope::kRead);
  ASSERT_TRUE(reader.has_value());
  std::string wrong = reader->secret;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  const Caller strangers[] = {CallerOf(wrong, "guarded", Scope::kWrite),
                              CallerOf(reader->secret, "guarded", Scope::kWrite),
                              CallerOf(reader->secret, "other", Scope::kRead)};
  for (const Caller& who : strangers) {
    auto push = Push(*conn_, who, PushOf({MakeChange(ActorId::Random(), 1, {}, "no")}), {});
    ASSERT_TRUE(push.has_value()) << push.error().message();
    EXPECT_TRUE(push->denied.has_value());
    EXPECT_EQ(push->accepted, 0u);
    auto page = Pull(*conn_, Caller{who.claim, who.tenant, Scope::kRead}, PullRequest{});
    ASSERT_TRUE(page.has_value());
    const bool refused = who.tenant == "other" || &who == &strangers[0];
    EXPECT_EQ(page->denied.has_value(), refused);
    if (refused) {
      EXPECT_TRUE(page->changes.empty());
    }
    auto clock = ReadClock(*conn_, Caller{who.claim, who.tenant, Scope::kRead});
    ASSERT_TRUE(clock.has_value());
    EXPECT_EQ(clock->denied.has_value(), refused);
    if (refused) {
      EXPECT_TRUE(clock->heads.empty() && clock->clock.empty());
    }
    // No transaction was left open: a savepoint has none to go in.
    EXPECT_FALSE(conn_->Run("SAVEPOINT probe").has_value()) << "a transaction was left open";
    (void)conn_->Run("ROLLBACK");
  }
  EXPECT_EQ(Stored(t), 1);
  // The reader reads.
  auto page = Pull(*conn_, CallerOf(reader->secret, "guarded", Scope::kRead), PullRequest{});
  ASSERT_TRUE(page.has_value());
  EXPECT_FALSE(page->denied.has_value());
  EXPECT_EQ(page->changes.size(), 1u);
}

// A pipeline stops at its first failure: what ran before keeps its results, what
// came after does not run, and the connection takes the next statement. A
// statement that failed to prepare is not remembered as prepared.
TEST_F(HubLog, APipelineStopsAtItsFirstFailureAndTheConnectionGoesOn) {
  auto run = conn_->PipelineUpTo({{"SELECT 1::bigint", {}},
                                  {"SELECT 1::bigint / (SELECT 0::bigint)", {}},
                                  {"CREATE TABLE never_made(x int)", {}}});
  ASSERT_TRUE(run.error.has_value());
  EXPECT_NE(run.error->message().find("division by zero"), std::string::npos)
      << run.error->message();
  ASSERT_EQ(run.results.size(), 1u);
  EXPECT_EQ(run.results[0].Int8(0, 0), 1);
  auto gone = conn_->Exec("SELECT to_regclass('never_made') IS NULL");
  ASSERT_TRUE(gone.has_value()) << gone.error().message();
  EXPECT_TRUE(gone->Bool(0, 0)) << "a statement after the failure ran";
  for (int i = 0; i < 2; ++i) {
    auto bad = conn_->Exec("SELEC $1::bigint", {PgInt8(1)});  // prepared: it has parameters
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message().find("syntax"), std::string::npos) << bad.error().message();
  }
  auto again = conn_->Exec("SELECT $1::bigint + 1", {PgInt8(41)});
  ASSERT_TRUE(again.has_value()) << again.error().message();
  EXPECT_EQ(again->Int8(0, 0), 42);
  auto twice = conn_->Exec("SELECT $1::bigint + 1", {PgInt8(1)});  // prepared now
  ASSERT_TRUE(twice.has_value()) << twice.error().message();
  EXPECT_EQ(twice->Int8(0, 0), 2);
}

}  // namespace
}  // namespace weft::hub
