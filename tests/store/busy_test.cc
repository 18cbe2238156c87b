// A store whose write lock another connection holds: the waiter retries for its
// busy timeout and then fails with kBusy, writing nothing; when the lock comes
// free within the timeout, it gets it.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "store/store.h"
#include "test_util.h"

namespace weft {
namespace {

using weft::testing::TempDir;
using namespace std::chrono_literals;

TEST(Busy, AWaiterGivesUpAfterItsTimeoutWithKBusyAndWritesNothing) {
  TempDir dir;
  ASSERT_TRUE(Store::Init(dir.Sub("s"), "s"));
  auto holder = Store::Open(dir.Sub("s"), Store::Access::kReadWrite);
  auto waiter = Store::Open(dir.Sub("s"), Store::Access::kReadWrite, SystemMillis, 200ms);
  ASSERT_TRUE(holder && waiter);
  auto held = Transaction::Begin((*holder)->db());
  ASSERT_TRUE(held);
  const auto start = std::chrono::steady_clock::now();
  auto tx = Transaction::Begin((*waiter)->db());
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(tx);
  EXPECT_EQ(tx.error().code(), ErrorCode::kBusy);
  EXPECT_NE(tx.error().message().find("the store is busy"), std::string::npos);
  EXPECT_GE(waited, 200ms) << "it gave up before its timeout";
  EXPECT_LT(waited, 5s) << "it waited far past its timeout";
}

TEST(Busy, AWaiterGetsTheLockWhenItComesFreeWithinItsTimeout) {
  TempDir dir;
  ASSERT_TRUE(Store::Init(dir.Sub("s"), "s"));
  auto holder = Store::Open(dir.Sub("s"), Store::Access::kReadWrite);
  auto waiter = Store::Open(dir.Sub("s"), Store::Access::kReadWrite, SystemMillis, 10s);
  ASSERT_TRUE(holder && waiter);
  auto held = Transaction::Begin((*holder)->db());
  ASSERT_TRUE(held);
  std::thread release([&] {
    std::this_thread::sleep_for(100ms);
    ASSERT_TRUE(held->Commit());
  });
  auto tx = Transaction::Begin((*waiter)->db());
  release.join();
  ASSERT_TRUE(tx) << tx.error().message();
  EXPECT_TRUE(tx->Commit());
}

}  // namespace
}  // namespace weft
