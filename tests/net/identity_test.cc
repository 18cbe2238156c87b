// Device identity: the id's printed form, and the identity file's guards.
#include "net/identity.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "test_util.h"

namespace weft::net {
namespace {

using weft::testing::TempDir;

TEST(DeviceId, PrintsAsFourGroupsAndParsesBackInAnyCaseWithOrWithoutDashes) {
  TempDir dir;
  auto me = DeviceIdentity::LoadOrCreate(dir.path(), "laptop");
  ASSERT_TRUE(me) << me.error().message();
  const std::string text = me->id().ToString();
  ASSERT_EQ(text.size(), 52u + 3u);
  EXPECT_EQ(text[13], '-');
  std::string bare, lower;
  for (char c : text) {
    if (c != '-') bare += c;
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (const std::string& form : {text, bare, lower}) {
    auto parsed = DeviceId::Parse(form);
    ASSERT_TRUE(parsed) << form;
    EXPECT_EQ(*parsed, me->id());
  }
}

TEST(DeviceId, RejectsWrongLengthsAlphabetsAndTrailingBits) {
  TempDir dir;
  auto me = DeviceIdentity::LoadOrCreate(dir.path(), "laptop");
  ASSERT_TRUE(me);
  const std::string text = me->id().ToString();
  // The last character carries 1 bit of the digest and 4 zero bits ('A' or 'Q');
  // the next letter sets one of the zero bits.
  std::string trailing = text;
  ++trailing.back();
  for (const std::string& bad :
       {std::string(), text.substr(1), text + "A", "1" + text.substr(1), trailing}) {
    EXPECT_FALSE(DeviceId::Parse(bad)) << bad;
  }
}

TEST(Identity, IsMadeOnceAndReadBackTheSame) {
  TempDir dir;
  auto a = DeviceIdentity::LoadOrCreate(dir.path(), "laptop");
  auto b = DeviceIdentity::LoadOrCreate(dir.path(), "laptop");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->id(), b->id());
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() + "/device.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(Identity, TwoInstancesGetDifferentIds) {
  TempDir a, b;
  auto x = DeviceIdentity::LoadOrCreate(a.path(), "same-name");
  auto y = DeviceIdentity::LoadOrCreate(b.path(), "same-name");
  ASSERT_TRUE(x && y);
  EXPECT_FALSE(x->id() == y->id());
}

TEST(Identity, RefusesAFileReadableByOthersASymlinkAndDamage) {
  TempDir dir;
  ASSERT_TRUE(DeviceIdentity::LoadOrCreate(dir.path(), "laptop"));
  const std::string file = dir.path() + "/device.pem";
  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  auto open = DeviceIdentity::Load(dir.path());
  ASSERT_FALSE(open);
  EXPECT_NE(open.error().message().find("chmod 600"), std::string::npos);
  ASSERT_EQ(::chmod(file.c_str(), 0600), 0);

  TempDir other;
  ASSERT_EQ(::symlink(file.c_str(), (other.path() + "/device.pem").c_str()), 0);
  auto linked = DeviceIdentity::Load(other.path());
  ASSERT_FALSE(linked);
  EXPECT_NE(linked.error().message().find("symlink"), std::string::npos);

  TempDir damaged;
  {
    std::ofstream out(damaged.path() + "/device.pem");
    out << "-----BEGIN PRIVATE KEY-----\nnot base64\n";
  }
  ASSERT_EQ(::chmod((damaged.path() + "/device.pem").c_str(), 0600), 0);
  auto bad = DeviceIdentity::LoadOrCreate(damaged.path(), "x");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kCorruption);
}

}  // namespace
}  // namespace weft::net
