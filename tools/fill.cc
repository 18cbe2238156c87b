#include "tools/fill.h"

#include "fold/ledger.h"
#include "lang/canonicalize.h"
#include "lang/parser.h"
#include "store/blob_store.h"
#include "workspace/item_access.h"

namespace weft::tools {
namespace {

class NoNames : public lang::NameResolver {
 public:
  Result<std::optional<Digest>> Term(const std::string&) override {
    return std::optional<Digest>();
  }
  Result<std::optional<Digest>> Type(const std::string&) override {
    return std::optional<Digest>();
  }
  Result<std::vector<lang::CaseInfo>> TypeCases(const Digest&) override {
    return std::vector<lang::CaseInfo>{};
  }
  Result<Digest> HashPrefix(const std::string& h) override {
    return Fail(ErrorCode::kNotFound, "{}", h);
  }
};

std::string Value(std::uint64_t i, const std::string& salt) {
  std::string s = salt;
  while (s.size() < 200) s += "value-" + std::to_string(i) + "-";
  s.resize(200);
  return s;
}

}  // namespace

Status FillStore(Store& store, std::uint64_t first, std::uint64_t count, const std::string& salt) {
  NoNames names;
  Ledger ledger(store);
  // Setting up a benchmark or a test, not a person's work: each change is still
  // one transaction, but none waits for the disk (the store is flushed at the end).
  WEFT_TRY(store.db().Exec("PRAGMA synchronous=OFF"));
  struct Restore {
    Store& s;
    ~Restore() { (void)s.db().Exec("PRAGMA synchronous=FULL; PRAGMA wal_checkpoint(FULL)"); }
  } restore{store};
  for (std::uint64_t i = first; i < first + count; ++i) {
    std::string src = "val Bench.Data.v" + std::to_string(i) + " = \"" + Value(i, salt) + "\"";
    WEFT_ASSIGN_OR_RETURN(auto defs, lang::ParseFile(src, "bench"));
    WEFT_ASSIGN_OR_RETURN(auto items, lang::Canonicalize(defs, names, HashForLang, "bench"));
    const auto& c = items.front();
    Item item = Item::Make(c.kind, {}, c.body, c.display);
    {
      WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(store.db()));
      WEFT_TRY(PutBlob(store.db(), item));
      WEFT_TRY(tx.Commit());
    }
    WEFT_TRY(ledger.AuthorChange(
        {AddItem{item.Hash()}, SetName{Namespace::kTerm, c.name, item.Hash()}}, "bench"));
  }
  return {};
}

}  // namespace weft::tools
