// The projection digest and rebuild against the Release 1 fixture store, whose
// history fills every projection table: the digest sees every column of every
// row, and a rebuild leaves nothing the log does not justify.
#include <gtest/gtest.h>

#include <filesystem>

#include "fold/digest.h"
#include "fold/ledger.h"
#include "fold/open.h"
#include "fold_fixture.h"
#include "store/blob_store.h"
#include "store/change_log.h"
#include "store/schema.h"

namespace weft {
namespace {

using testing::MakeStore;
using testing::TempDir;

std::unique_ptr<Store> OpenFixture(const TempDir& dir) {
  const std::string copy = dir.Sub("fixture");
  std::filesystem::create_directories(copy);
  std::filesystem::copy_file(std::string(WEFT_FIXTURE_DIR) + "/release1/weft.db",
                             copy + "/weft.db");
  auto s = OpenStore(copy, Store::Access::kReadWrite);
  EXPECT_TRUE(s) << s.error().message();
  return s ? std::move(*s) : nullptr;
}

std::string Hex(Store& s) {
  auto d = ProjectionDigest(s.db());
  EXPECT_TRUE(d) << d.error().message();
  return d ? DigestToHex(*d) : "";
}

struct Column {
  std::string name;
  std::string type;
  bool key = false;
};

std::vector<Column> ColumnsOf(Db& db, const std::string& table) {
  std::vector<Column> out;
  auto q = db.Prepare(fmt::format("PRAGMA table_info({})", table).c_str());
  EXPECT_TRUE(q);
  while (q && q->Step().value_or(false)) out.push_back({q->Text(1), q->Text(2), q->Int(5) > 0});
  return out;
}

std::int64_t Rows(Db& db, const std::string& table) {
  return *db.QueryInt(fmt::format("SELECT count(*) FROM {}", table).c_str());
}

// A store folded from scratch from every change and blob of `from`, in log order.
std::string FreshFoldDigest(Store& from, const TempDir& dir) {
  std::vector<EncodedChange> changes;
  std::vector<Item> items;
  EXPECT_TRUE(ForEachChange(from.db(), [&](const EncodedChange& c) -> Status {
    changes.push_back(c);
    for (const Op& op : c.change.ops) {
      if (const auto* add = std::get_if<AddItem>(&op)) {
        WEFT_ASSIGN_OR_RETURN(auto item, LoadItem(from.db(), add->item));
        if (item) items.push_back(std::move(*item));
      }
    }
    return {};
  }));
  auto fresh = MakeStore(dir, "fresh");
  auto r = Ledger(*fresh).Append(changes, items);
  EXPECT_TRUE(r && r->rejected.empty());
  return Hex(*fresh);
}

TEST(ProjectionDigest, TheFixtureFillsEveryProjectionTable) {
  TempDir dir;
  auto s = OpenFixture(dir);
  ASSERT_TRUE(s);
  std::size_t count = 0;
  const ProjectionTable* tables = ProjectionTables(&count);
  for (std::size_t t = 0; t < count; ++t) {
    EXPECT_GT(Rows(s->db(), tables[t].name), 0) << tables[t].name << " is empty in the fixture";
  }
}

// Every column of the first and last row of every projection table, changed on
// its own to another value of the same type, changes the digest.
TEST(ProjectionDigest, ChangingAnySingleColumnOfAnyRowChangesTheDigest) {
  TempDir dir;
  auto s = OpenFixture(dir);
  ASSERT_TRUE(s);
  Db& db = s->db();
  const std::string base = Hex(*s);
  std::size_t count = 0, checked = 0;
  const ProjectionTable* tables = ProjectionTables(&count);
  for (std::size_t t = 0; t < count; ++t) {
    const std::string table = tables[t].name;
    const auto columns = ColumnsOf(db, table);
    std::string key;
    for (const auto& c : columns) {
      if (c.key) key += (key.empty() ? "" : ", ") + c.name;
    }
    ASSERT_FALSE(key.empty()) << table;
    const std::int64_t rows = Rows(db, table);
    for (std::int64_t row : {std::int64_t{0}, rows - 1}) {
      for (const auto& c : columns) {
        const std::string changed = fmt::format(
            "CASE typeof({0}) WHEN 'integer' THEN {0} + 1000003 WHEN 'text' THEN {0} || 'x' "
            "WHEN 'null' THEN 1 ELSE CASE WHEN {0} = zeroblob(length({0})) THEN "
            "randomblob(length({0}) + 1) ELSE zeroblob(length({0})) END END",
            c.name);
        const std::string update = fmt::format(
            "UPDATE {0} SET {1} = {2} WHERE ({3}) IN (SELECT {3} FROM {0} ORDER BY {4} "
            "LIMIT 1 OFFSET {5})",
            table, c.name, changed, key, tables[t].order_by, row);
        ASSERT_TRUE(db.Exec("SAVEPOINT cell"));
        ASSERT_TRUE(db.Exec(update)) << update;
        ASSERT_EQ(db.Changes(), 1) << update;
        EXPECT_NE(Hex(*s), base) << table << "." << c.name << " of row " << row
                                 << " is not in the digest";
        ASSERT_TRUE(db.Exec("ROLLBACK TO cell; RELEASE cell"));
        ++checked;
      }
    }
  }
  EXPECT_EQ(Hex(*s), base);
  EXPECT_GT(checked, 100u);
}

// A row in each projection table that the log does not justify is gone after a
// rebuild, and the digest is a fresh fold's.
TEST(ProjectionDigest, RebuildRemovesRowsTheLogDoesNotJustify) {
  TempDir dir;
  auto s = OpenFixture(dir);
  ASSERT_TRUE(s);
  Db& db = s->db();
  const std::string fresh = FreshFoldDigest(*s, dir);
  EXPECT_EQ(Hex(*s), fresh);
  std::size_t count = 0;
  const ProjectionTable* tables = ProjectionTables(&count);
  for (std::size_t t = 0; t < count; ++t) {
    const std::string table = tables[t].name;
    std::string names, values;
    for (const auto& c : ColumnsOf(db, table)) {
      names += (names.empty() ? "" : ", ") + c.name;
      values += std::string(values.empty() ? "" : ", ") + (c.type == "BLOB"   ? "randomblob(32)"
                                                           : c.type == "TEXT" ? "'Bogus.row'"
                                                                              : "7");
    }
    const std::int64_t before = Rows(db, table);
    ASSERT_TRUE(db.Exec(fmt::format("INSERT INTO {} ({}) VALUES ({})", table, names, values)))
        << table;
    ASSERT_EQ(Rows(db, table), before + 1) << table;
  }
  EXPECT_NE(Hex(*s), fresh);
  ASSERT_TRUE(Ledger(*s).Rebuild());
  EXPECT_EQ(Hex(*s), fresh);
}

}  // namespace
}  // namespace weft
