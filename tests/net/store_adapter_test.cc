// The store adapter as the sync protocol's receiving end: what a peer sends is
// checked before anything of it is stored.
#include "net/store_adapter.h"

#include <gtest/gtest.h>

#include "model/change.h"
#include "store/blob_store.h"
#include "store/change_log.h"
#include "test_util.h"

namespace weft::net {
namespace {

using weft::testing::TempDir;
using weft::testing::TextItem;

sync::BlobRecord Record(const Item& item) {
  return {item.Hash(), item.kind, item.Canonical(), item.display};
}

Bytes ChangeAdding(const ItemHash& item) {
  Change c;
  c.actor = ActorId::Random();
  c.seq = 1;
  c.hlc = Hlc::From(1000, 0);
  c.branch = "main";
  c.message = "from a peer";
  c.ops = {AddItem{item}, SetName{Namespace::kTerm, "Demo.M.x", item}};
  return EncodeChange(c);
}

TEST(StoreAdapter, ABlobThatDoesNotMatchItsHashIsAProtocolErrorAndNothingIsStored) {
  TempDir dir;
  auto store = Store::Init(dir.Sub("s"), "receiver");
  ASSERT_TRUE(store) << store.error().message();
  StoreAdapter adapter(**store);

  const Item claimed = TextItem("the item the change names");
  const Item sent = TextItem("other bytes under its name");
  sync::BlobRecord forged = Record(sent);
  forged.hash = claimed.Hash();  // the peer says these bytes are `claimed`
  const Item honest = TextItem("an honest blob in the same message");
  const Bytes change = ChangeAdding(claimed.Hash());

  auto r = adapter.Apply({Record(honest), forged}, {change});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kProtocol) << r.error().message();
  EXPECT_NE(r.error().message().find("does not match its hash"), std::string::npos)
      << r.error().message();
  Db& db = (*store)->db();
  for (const Item* item : {&claimed, &sent, &honest}) {
    EXPECT_FALSE(*HasBlob(db, item->Hash())) << "a blob of a refused message was stored";
  }
  EXPECT_FALSE(*HasChange(db, HashChangeBytes(change))) << "the change came in anyway";
  EXPECT_EQ(*CountChanges(db), 0);

  // The same message with the true bytes is taken.
  auto ok = adapter.Apply({Record(claimed)}, {change});
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_TRUE(*HasBlob(db, claimed.Hash()));
  EXPECT_TRUE(*HasChange(db, HashChangeBytes(change)));
}

}  // namespace
}  // namespace weft::net
