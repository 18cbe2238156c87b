// Meaning-stable identity: what changes an item's hash and what does not.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>

#include "lang_world.h"
#include "test_util.h"

namespace weft::lang {
namespace {

using testing::TestHasher;
using testing::World;

TEST(Hashing, RenamingParametersKeepsTheHash) {
  World w;
  EXPECT_EQ(w.HashOf("fn Demo.M.f x y = x + y"), w.HashOf("fn Demo.M.f a b = a + b"));
}

TEST(Hashing, WhichBinderIsUsedChangesTheHash) {
  World w;
  EXPECT_NE(w.HashOf("val Demo.M.f = fun x y -> x"), w.HashOf("val Demo.M.f = fun x y -> y"));
}

TEST(Hashing, ParameterOrderCounts) {
  World w;
  EXPECT_NE(w.HashOf("fn Demo.M.f x y = x - y"), w.HashOf("fn Demo.M.f y x = x - y"));
}

TEST(Hashing, ShadowingIsRespected) {
  World w;
  Digest inner = w.HashOf("val Demo.M.f = fun x -> fun x -> x");
  EXPECT_EQ(inner, w.HashOf("val Demo.M.f = fun a -> fun b -> b"));
  EXPECT_NE(inner, w.HashOf("val Demo.M.f = fun a -> fun b -> a"));
  EXPECT_EQ(w.HashOf("val Demo.M.f = let x = 1 in let x = x + 1 in x"),
            w.HashOf("val Demo.M.f = let a = 1 in let b = a + 1 in b"));
}

TEST(Hashing, LetLambdaAndMatchBinderRenamesKeepTheHash) {
  World w;
  EXPECT_EQ(w.HashOf("val Demo.M.v = let total = 1 in total * 2"),
            w.HashOf("val Demo.M.v = let n = 1 in n * 2"));
  EXPECT_EQ(w.HashOf("val Demo.M.v = Builtin.List.map (fun item -> item + 1) [1, 2]"),
            w.HashOf("val Demo.M.v = Builtin.List.map (fun i -> i + 1) [1, 2]"));
  EXPECT_EQ(w.HashOf("fn Demo.M.head xs = match xs with | h :: t -> h | [] -> 0"),
            w.HashOf("fn Demo.M.head list = match list with | first :: rest -> first | [] -> 0"));
  EXPECT_EQ(w.HashOf("fn Demo.M.px p = match p with | { x = a, y = b } -> a"),
            w.HashOf("fn Demo.M.px q = match q with | { y = v, x = u } -> u"));
}

TEST(Hashing, TheItemsNameIsNotHashed) {
  World w;
  EXPECT_EQ(w.HashOf("fn Demo.M.f x = x"), w.HashOf("fn Other.N.g y = y"));
}

TEST(Hashing, ReferencesToDifferentItemsDiffer) {
  World w;
  ASSERT_TRUE(w.Add("val Demo.M.one = 1\nval Demo.M.two = 2"));
  EXPECT_NE(w.HashOf("val Demo.M.v = Demo.M.one"), w.HashOf("val Demo.M.v = Demo.M.two"));
  // ...but two names for the same item are the same reference.
  ASSERT_TRUE(w.Add("val Demo.Alias.uno = 1"));
  EXPECT_EQ(w.HashOf("val Demo.M.v = Demo.M.one"), w.HashOf("val Demo.M.v = Demo.Alias.uno"));
}

TEST(Hashing, RecordFieldOrderInSourceDoesNotMatter) {
  World w;
  EXPECT_EQ(w.HashOf("val Demo.M.p = { x = 1, y = 2 }"),
            w.HashOf("val Demo.M.p = { y = 2, x = 1 }"));
  EXPECT_NE(w.HashOf("val Demo.M.p = { x = 1, y = 2 }"),
            w.HashOf("val Demo.M.p = { x = 1, z = 2 }"));
}

TEST(Hashing, CaseNamesAreDisplayButCaseOrderIsMeaning) {
  World w;
  EXPECT_EQ(w.HashOf("type Demo.G.S = A of Int | B"),
            w.HashOf("type Demo.G.S = First of Int | Second"));
  EXPECT_NE(w.HashOf("type Demo.G.S = A of Int | B"), w.HashOf("type Demo.G.S = B | A of Int"));
}

TEST(Hashing, MutualRecursionIsOneComponentWhateverTheOrder) {
  World w;
  const char* a =
      "fn Demo.P.even n = if n == 0 then true else Demo.P.odd (n - 1)\n"
      "fn Demo.P.odd n = if n == 0 then false else Demo.P.even (n - 1)\n";
  const char* b =
      "fn Demo.P.odd k = if k == 0 then false else Demo.P.even (k - 1)\n"
      "fn Demo.P.even k = if k == 0 then true else Demo.P.odd (k - 1)\n";
  auto ia = w.Hash(a);
  auto ib = w.Hash(b);
  ASSERT_TRUE(ia && ib);
  std::map<std::string, Digest> ha, hb;
  for (const auto& i : *ia) ha[i.name] = i.hash;
  for (const auto& i : *ib) hb[i.name] = i.hash;
  EXPECT_EQ(ha, hb);
  EXPECT_NE(ha["Demo.P.even"], ha["Demo.P.odd"]);
  // Both members carry the same component.
  EXPECT_EQ((*ia)[0].refs, (*ia)[1].refs);
}

// Members of identical shape (each calls the other the same way) are told apart
// only by the tie-break on their names; without it, which name gets which hash
// would follow the order of the file.
TEST(Hashing, MutualRecursionOfIdenticalShapeHashesTheSameInEitherOrder) {
  World w;
  const char* ping = "fn Demo.P.ping n = if n == 0 then 0 else Demo.P.pong (n - 1)\n";
  const char* pong = "fn Demo.P.pong k = if k == 0 then 0 else Demo.P.ping (k - 1)\n";
  auto ia = w.Hash(std::string(ping) + pong);
  auto ib = w.Hash(std::string(pong) + ping);
  ASSERT_TRUE(ia && ib);
  std::map<std::string, Digest> ha, hb;
  for (const auto& i : *ia) ha[i.name] = i.hash;
  for (const auto& i : *ib) hb[i.name] = i.hash;
  ASSERT_EQ(ha.size(), 2u);
  EXPECT_EQ(ha, hb);
  EXPECT_NE(ha["Demo.P.ping"], ha["Demo.P.pong"]);
}

TEST(Hashing, SelfRecursionDoesNotDependOnTheName) {
  World w;
  EXPECT_EQ(w.HashOf("fn Demo.M.fact n = if n <= 1 then 1 else n * Demo.M.fact (n - 1)"),
            w.HashOf("fn Other.X.f k = if k <= 1 then 1 else k * Other.X.f (k - 1)"));
}

TEST(Hashing, NormalizationIsIdempotent) {
  World w;
  ASSERT_TRUE(
      w.Add("type Demo.G.Shape = Circle of Float | Rect of Float * Float\n"
            "val Demo.G.unit = 1.0"));
  const std::string src =
      "fn Demo.G.area s = match s with\n"
      "  | Demo.G.Shape.Circle r -> 3.14159 * r * r\n"
      "  | Demo.G.Shape.Rect w h -> w * h * Demo.G.unit\n";
  auto items = w.Add(src);
  ASSERT_TRUE(items) << items.error().message();
  const auto& item = items->back();
  // Decoding and re-encoding gives the same bytes.
  auto decoded = w.Decode(item.hash);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EncodedComponent again = EncodeComponent(decoded->component);
  EXPECT_EQ(MemberBody(again, 1, 0), item.body);
  // Printing and re-parsing gives the same hash.
  std::string printed = PrintComponent(decoded->component, w.Names());
  EXPECT_EQ(w.HashOf(printed), item.hash) << printed;
}

TEST(Hashing, TypesOfOneShapeWithDifferentNamesAreDifferentItems) {
  World w;
  Digest celsius = w.HashOf("type Demo.U.Celsius = C of Float");
  EXPECT_NE(celsius, w.HashOf("type Demo.U.Meters = M of Float"));
  // The case names are still display metadata: the type's name makes it unique.
  EXPECT_EQ(celsius, w.HashOf("type Demo.U.Celsius = Degrees of Float"));
  EXPECT_NE(w.HashOf("type Demo.U.P = { x: Int }"), w.HashOf("type Demo.U.Q = { x: Int }"));
}

TEST(Hashing, FunctionsKeepStructuralIdentity) {
  World w;
  EXPECT_EQ(w.HashOf("fn Demo.A.f x = x + 1"), w.HashOf("fn Demo.B.g y = y + 1"));
}

TEST(Hashing, TypeItemsStoredBeforeIdentitiesStillDecodeAndKeepTheirHashes) {
  // The pinned Release-1 hash of Demo.Geo.Point, encoded under lang_version 1.
  World w;
  auto defs = ParseFile("type Demo.Geo.Point = { x: Float, y: Float }", "t.weft");
  ASSERT_TRUE(defs);
  Component v1{*defs, kLangVersion};
  EncodedComponent enc = EncodeComponent(v1);
  Bytes body = MemberBody(enc, 1, 0);
  EXPECT_EQ(DigestToHex(TestHasher(DefKind::kType, enc.refs, body)),
            "bd8509a2ecb0406e8eeb9dd752f38b515d270f7f9d80b904682945ba014b3e5e");
  auto decoded = DecodeComponent(body, enc.refs, enc.display);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(decoded->component.version, kLangVersion);
  EXPECT_TRUE(decoded->component.members[0].identity.empty());
  EncodedComponent again = EncodeComponent(decoded->component);
  EXPECT_EQ(MemberBody(again, 1, 0), body);  // re-encoding reproduces the stored bytes
  // Authored today, the same type gets an identity and a new hash.
  EXPECT_NE(w.HashOf("type Demo.Geo.Point = { x: Float, y: Float }"),
            TestHasher(DefKind::kType, enc.refs, body));
}

TEST(Hashing, ATypesIdentitySurvivesDecodingAndReencoding) {
  World w;
  auto items = w.Add("type Demo.U.Celsius = C of Float");
  ASSERT_TRUE(items);
  const CanonicalItem& item = items->front();
  auto decoded = DecodeComponent(item.body, item.refs, item.display);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->component.members[0].identity, "Demo.U.Celsius");
  Definition renamed = decoded->component.members[0];
  renamed.name = "Demo.U.Temperature";  // a rename is display only
  auto rehashed = CanonicalizeComponent({renamed}, TestHasher);
  ASSERT_TRUE(rehashed);
  EXPECT_EQ(rehashed->front().hash, item.hash);
}

TEST(Hashing, GoldenHashesOfTheCorpusAreStable) {
  std::ifstream corpus(std::string(WEFT_GOLDEN_DIR) + "/lang_corpus.weft");
  std::string source((std::istreambuf_iterator<char>(corpus)), {});
  ASSERT_FALSE(source.empty());
  World w;
  auto items = w.Add(source);
  ASSERT_TRUE(items) << items.error().message();
  if (std::getenv("WEFT_WRITE_GOLDEN") != nullptr) {  // regenerate after a deliberate format change
    std::ofstream outf(std::string(WEFT_GOLDEN_DIR) + "/lang_hashes.txt");
    for (const auto& item : *items) outf << item.name << " " << DigestToHex(item.hash) << "\n";
  }
  std::map<std::string, std::string> golden;
  std::ifstream in(std::string(WEFT_GOLDEN_DIR) + "/lang_hashes.txt");
  std::string name, hex;
  while (in >> name >> hex) golden[name] = hex;
  ASSERT_EQ(golden.size(), items->size());
  for (const auto& item : *items) {
    EXPECT_EQ(DigestToHex(item.hash), golden[item.name]) << item.name;
  }
}

}  // namespace
}  // namespace weft::lang

namespace weft::lang {
namespace {

std::string Corpus() {
  std::ifstream corpus(std::string(WEFT_GOLDEN_DIR) + "/lang_corpus.weft");
  return std::string((std::istreambuf_iterator<char>(corpus)), {});
}

TEST(RoundTrip, PrintingAndReparsingEveryCorpusItemGivesTheSameHash) {
  testing::World w;
  auto items = w.Add(Corpus());
  ASSERT_TRUE(items) << items.error().message();
  for (const auto& item : *items) {
    auto decoded = w.Decode(item.hash);
    ASSERT_TRUE(decoded) << item.name;
    std::string printed = PrintComponent(decoded->component, w.Names());
    testing::World fresh_names = w;  // same items and names, so references resolve alike
    for (const auto& m : decoded->component.members) {
      (m.kind == DefKind::kType ? fresh_names.types_ : fresh_names.terms_).erase(m.name);
    }
    auto again = fresh_names.Hash(printed);
    ASSERT_TRUE(again) << item.name << ": " << again.error().message() << "\n" << printed;
    bool found = false;
    for (const auto& a : *again) found = found || (a.name == item.name && a.hash == item.hash);
    EXPECT_TRUE(found) << item.name << " printed as:\n" << printed;
  }
}

// Found by fuzz_item: a body listed with a reference it never uses decoded, so
// one meaning had two hashes. Every listed reference must be used.
TEST(RoundTrip, AnItemListingAReferenceItNeverUsesIsRejected) {
  testing::World w;
  auto items = w.Add("val Demo.M.one = 1\nval Demo.M.two = Demo.M.one + 1\n");
  ASSERT_TRUE(items) << items.error().message();
  for (const auto& item : *items) {
    ASSERT_TRUE(DecodeComponent(item.body, item.refs, item.display));
    std::vector<Digest> extra = item.refs;
    extra.push_back(Sha256Of(AsBytes(std::string("an item nobody uses"))));
    std::sort(extra.begin(), extra.end());
    auto r = DecodeComponent(item.body, extra, item.display);
    ASSERT_FALSE(r) << item.name;
    EXPECT_NE(r.error().message().find("never uses"), std::string::npos) << r.error().message();
  }
}

TEST(RoundTrip, DamagedBodiesAreRejectedOrDecodedNeverCrash) {
  const unsigned seed = weft::testing::TestSeed();
  std::mt19937 rng(seed);
  testing::World w;
  auto items = w.Add(Corpus());
  ASSERT_TRUE(items);
  int rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    const auto& item = (*items)[rng() % items->size()];
    Bytes body = item.body;
    if (rng() % 4 == 0) {
      body.resize(rng() % body.size());  // truncation
    } else {
      body[rng() % body.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
    }
    auto decoded = DecodeComponent(body, item.refs, item.display);
    if (!decoded) {
      ++rejected;
      EXPECT_EQ(decoded.error().code(), ErrorCode::kCorruption);
    }
  }
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace weft::lang
