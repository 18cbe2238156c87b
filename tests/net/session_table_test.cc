#include "net/session_table.h"

#include <gtest/gtest.h>

#include <thread>

#include "net/head_events.h"

namespace weft::net {
namespace {

std::shared_ptr<ServerSession> Fresh() {
  auto s = std::make_shared<ServerSession>();
  s->Touch();
  return s;
}

TEST(SessionTable, ACallerKeepsAtMostHalfTheTableAndItsOldestGoesFirst) {
  SessionTable table(4, std::chrono::seconds(120), nullptr);
  auto a1 = Fresh();
  ASSERT_TRUE(table.MakeRoom("a"));
  ASSERT_EQ(table.Insert("a/1", a1), a1);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_TRUE(table.MakeRoom("a"));
  ASSERT_TRUE(table.Insert("a/2", Fresh()));
  ASSERT_TRUE(table.MakeRoom("a"));  // a holds 2 of 4: its oldest (a/1) ends
  EXPECT_TRUE(a1->dead);
  EXPECT_EQ(table.Find("a/1"), nullptr);
  EXPECT_NE(table.Find("a/2"), nullptr);
  // Another caller's sessions are not touched by a's.
  ASSERT_TRUE(table.MakeRoom("b"));
  ASSERT_TRUE(table.Insert("b/1", Fresh()));
  EXPECT_EQ(table.size(), 2u);
}

TEST(SessionTable, AFullTableRefusesUntilASessionHasBeenIdleFiveSeconds) {
  SessionTable table(2, std::chrono::seconds(120), nullptr);
  ASSERT_TRUE(table.Insert("a/1", Fresh()));
  auto b1 = Fresh();
  ASSERT_TRUE(table.Insert("b/1", b1));
  EXPECT_FALSE(table.MakeRoom("c"));
  EXPECT_EQ(table.Insert("c/1", Fresh()), nullptr);
  b1->last_used -=
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::seconds(6))
          .count();
  EXPECT_TRUE(table.MakeRoom("c"));
  EXPECT_TRUE(b1->dead);
  EXPECT_TRUE(table.Insert("c/1", Fresh()));
}

TEST(SessionTable, InsertKeepsTheFirstOfTwoAndEndAndSweepRemove) {
  SessionTable table(4, std::chrono::seconds(1), nullptr);
  auto first = Fresh();
  ASSERT_EQ(table.Insert("a/1", first), first);
  EXPECT_EQ(table.Insert("a/1", Fresh()), first);
  table.End("a/1");
  EXPECT_TRUE(first->dead);
  EXPECT_EQ(table.size(), 0u);
  auto idle = Fresh();
  ASSERT_TRUE(table.Insert("b/1", idle));
  idle->last_used -=
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::seconds(2))
          .count();
  table.Sweep();
  EXPECT_EQ(table.Find("b/1"), nullptr);
}

TEST(EventBatchJson, RoundTripsAndRefusesAMalformedDocument) {
  EventBatch b;
  b.epoch = "e1";
  b.latest = 7;
  b.missed = true;
  b.events.push_back(HeadEvent{7, {ChangeHash(Digest{3})}, 12, 1000});
  auto back = EventBatchFromJson(EventBatchToJson(b));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->epoch, "e1");
  EXPECT_EQ(back->latest, 7u);
  EXPECT_TRUE(back->missed);
  ASSERT_EQ(back->events.size(), 1u);
  EXPECT_EQ(back->events[0].heads, b.events[0].heads);
  EXPECT_EQ(back->events[0].changes, 12u);
  nlohmann::json broken = EventBatchToJson(b);
  broken["events"][0]["heads"][0] = "zz";
  auto bad = EventBatchFromJson(broken);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kProtocol);
}

}  // namespace
}  // namespace weft::net
