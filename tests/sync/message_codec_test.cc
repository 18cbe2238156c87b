// The sync message codec against hostile bytes: every truncation, every bit flip,
// counts past their caps, a decompression bomb, a malformed hello. Decoding never
// crashes and never accepts what it should not; errors are kProtocol (or
// kVersionMismatch for another Release).
#include <gtest/gtest.h>
#include <zstd.h>

#include "core/codec.h"
#include "model/change.h"
#include "sync/message.h"

namespace weft::sync {
namespace {

constexpr std::int64_t kR = 1;

ChangeHash H(int i) { return ChangeHash(Sha256Of(AsBytes("change " + std::to_string(i)))); }

Message Full() {
  Message m;
  m.release = kR;
  m.flags = kFlagReadOnly;
  Hello h;
  h.instance = "laptop";
  h.actor = ActorId::Random();
  h.changes = 7;
  ActorId a = ActorId::Random(), b = ActorId::Random();
  if (b < a) std::swap(a, b);
  h.clock = {{a, 3}, {b, 4}};
  m.hello = h;
  m.heads = {H(1), H(2)};
  std::sort(m.heads.begin(), m.heads.end());  // the codec sends hash lists sorted
  m.need = {H(3)};
  m.have.push_back(Have{{H(1)}, Bloom({H(4), H(5)}, BloomParams{})});
  m.blob_need = {ItemHash(Sha256Of(AsBytes(std::string("item"))))};
  Change c;
  c.actor = ActorId::Random();
  c.seq = 1;
  c.hlc = Hlc::From(5, 0);
  c.branch = "main";
  c.ops = {Unname{Namespace::kTerm, "Demo.M.x"}};
  m.changes = {EncodedChange::FromChange(c).bytes};
  m.blobs = {BlobRecord{ItemHash(Sha256Of(AsBytes(std::string("blob")))), ItemKind::kFn,
                        Bytes{1, 2, 3}, Bytes{4, 5}}};
  return m;
}

void ExpectRejected(const Result<Message>& r, const std::string& why) {
  ASSERT_FALSE(r) << why << ": accepted";
  EXPECT_EQ(r.error().code(), ErrorCode::kProtocol) << why << ": " << r.error().message();
}

TEST(MessageCodec, RoundTripsEveryField) {
  const Message m = Full();
  auto d = DecodeMessage(EncodeMessage(m), kR);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->flags, kFlagReadOnly | kFlagHello);
  EXPECT_EQ(d->hello, m.hello);
  EXPECT_EQ(d->heads, m.heads);
  EXPECT_EQ(d->need, m.need);
  ASSERT_EQ(d->have.size(), 1u);
  EXPECT_TRUE(d->have[0].bloom.Contains(H(4)));
  EXPECT_EQ(d->blob_need, m.blob_need);
  EXPECT_EQ(d->changes, m.changes);
  ASSERT_EQ(d->blobs.size(), 1u);
  EXPECT_EQ(d->blobs[0].display, (Bytes{4, 5}));
  EXPECT_EQ(EncodeMessage(*d), EncodeMessage(m)) << "one byte form";
}

TEST(MessageCodec, EveryTruncationIsRejected) {
  const Bytes bytes = EncodeMessage(Full());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    ExpectRejected(DecodeMessage(ByteView(bytes.data(), n), kR),
                   "the first " + std::to_string(n) + " bytes");
  }
}

TEST(MessageCodec, EveryBitFlipIsRejectedOrDecodesToAWellFormedMessage) {
  const Bytes bytes = EncodeMessage(Full());
  int accepted = 0;
  for (std::size_t i = 0; i < bytes.size() * 8; ++i) {
    Bytes flipped = bytes;
    flipped[i / 8] ^= static_cast<std::uint8_t>(1u << (i % 8));
    auto r = DecodeMessage(flipped, kR);
    if (!r) {
      EXPECT_TRUE(r.error().code() == ErrorCode::kProtocol ||
                  r.error().code() == ErrorCode::kVersionMismatch)
          << "bit " << i << ": " << r.error().message();
      continue;
    }
    // A flip inside a hash or a payload byte can decode: the message is well formed,
    // and what it names is checked where it is used (a change's hash, a blob's).
    ++accepted;
    EXPECT_LE(r->have.size(), 64u);
    if (r->hello) {
      EXPECT_LE(r->hello->instance.size(), Hello::kMaxInstance);
    }
  }
  EXPECT_LT(accepted, static_cast<int>(bytes.size() * 8)) << "nothing was checked";
}

TEST(MessageCodec, AnotherReleaseIsAVersionMismatchNamingBoth) {
  Message m = Full();
  m.release = 2;
  auto r = DecodeMessage(EncodeMessage(m), kR);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kVersionMismatch);
  EXPECT_NE(r.error().message().find("Release 2"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("Release 1"), std::string::npos) << r.error().message();
}

// The fixed part of a message up to the payload, with the given counts.
Writer Head(std::uint8_t flags = 0) {
  Writer w;
  w.PutVarint(kR);
  w.PutU8(flags);
  return w;
}

TEST(MessageCodec, CountsPastTheirCapsAreRejectedBeforeAllocating) {
  {
    Writer w = Head();
    w.PutVarint(std::uint64_t{1} << 40);  // heads
    ExpectRejected(DecodeMessage(w.bytes(), kR), "2^40 heads");
  }
  {
    Writer w = Head();
    w.PutVarint(0);   // heads
    w.PutVarint(0);   // need
    w.PutVarint(65);  // have: the cap is 64
    ExpectRejected(DecodeMessage(w.bytes(), kR), "65 haves");
  }
  ExpectRejected(DecodeMessage(Head(0xf8).bytes(), kR), "unknown flags");
  // A payload whose counts exceed what it holds.
  for (const auto& [changes, blobs] : {std::pair<std::uint64_t, std::uint64_t>{1u << 30, 0},
                                       std::pair<std::uint64_t, std::uint64_t>{0, 1u << 30}}) {
    Writer payload;
    payload.PutVarint(changes);
    payload.PutVarint(blobs);
    Bytes z(ZSTD_compressBound(payload.bytes().size()));
    z.resize(ZSTD_compress(z.data(), z.size(), payload.bytes().data(), payload.bytes().size(), 1));
    Writer w = Head();
    for (int i = 0; i < 3; ++i) w.PutVarint(0);  // heads, need, have
    w.PutVarint(0);                              // blob_need
    w.PutBytes(z);
    ExpectRejected(DecodeMessage(w.bytes(), kR), "payload counts past its size");
  }
}

TEST(MessageCodec, ADecompressionBombIsRejectedUnopened) {
  // 65 MiB of zeros compresses to a few KiB; the frame says how big it would be.
  const Bytes zeros((kMaxDecompressedBytes) + 1, 0);
  Bytes z(ZSTD_compressBound(zeros.size()));
  z.resize(ZSTD_compress(z.data(), z.size(), zeros.data(), zeros.size(), 1));
  ASSERT_LT(z.size(), 64u << 10);
  Writer w = Head();
  for (int i = 0; i < 4; ++i) w.PutVarint(0);
  w.PutBytes(z);
  auto r = DecodeMessage(w.bytes(), kR);
  ExpectRejected(r, "a bomb");
  EXPECT_NE(r.error().message().find("would decompress to"), std::string::npos)
      << r.error().message();

  // A frame that does not say its size is refused too (it could be anything).
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0);
  const Bytes small(100, 7);
  ZSTD_inBuffer in{small.data(), small.size(), 0};
  Bytes out(ZSTD_compressBound(small.size()) + 64);
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  ZSTD_compressStream2(cctx, &o, &in, ZSTD_e_end);
  ZSTD_freeCCtx(cctx);
  out.resize(o.pos);
  Writer w2 = Head();
  for (int i = 0; i < 4; ++i) w2.PutVarint(0);
  w2.PutBytes(out);
  ExpectRejected(DecodeMessage(w2.bytes(), kR), "a frame of unknown size");
}

TEST(MessageCodec, AMalformedHelloIsRejected) {
  auto with_hello = [](const Hello& h) {
    Message m;
    m.release = kR;
    m.hello = h;
    return EncodeMessage(m);
  };
  Hello ok;
  ok.instance = "desk";
  ok.actor = ActorId::Random();
  ASSERT_TRUE(DecodeMessage(with_hello(ok), kR));

  Hello empty = ok;
  empty.instance = "";
  ExpectRejected(DecodeMessage(with_hello(empty), kR), "an empty instance name");
  Hello long_name = ok;
  long_name.instance = std::string(Hello::kMaxInstance + 1, 'x');
  ExpectRejected(DecodeMessage(with_hello(long_name), kR), "a 65-byte instance name");
  Hello unsorted = ok;
  ActorId a = ActorId::Random(), b = ActorId::Random();
  if (a < b) std::swap(a, b);
  unsorted.clock = {{a, 1}, {b, 1}};
  ExpectRejected(DecodeMessage(with_hello(unsorted), kR), "a clock out of order");
  Hello twice = ok;
  twice.clock = {{a, 1}, {a, 2}};
  ExpectRejected(DecodeMessage(with_hello(twice), kR), "an actor twice in the clock");
  {
    Writer w = Head(kFlagHello);
    w.PutString("desk");
    w.PutRaw(ok.actor.bytes());
    w.PutVarint(1);
    w.PutVarint(std::uint64_t{1} << 50);  // clock entries
    ExpectRejected(DecodeMessage(w.bytes(), kR), "2^50 clock entries");
  }
}

TEST(MessageCodec, ChangesAheadCountsWhatTheOtherLacksByClock) {
  ActorId a = ActorId::Random(), b = ActorId::Random(), c = ActorId::Random();
  std::vector<ActorId> ids = {a, b, c};
  std::sort(ids.begin(), ids.end());
  Hello mine, theirs;
  mine.clock = {{ids[0], 5}, {ids[1], 2}};
  theirs.clock = {{ids[0], 3}, {ids[2], 4}};
  EXPECT_EQ(ChangesAhead(mine, theirs), 2u + 2u);
  EXPECT_EQ(ChangesAhead(theirs, mine), 4u);
  EXPECT_EQ(ChangesAhead(mine, mine), 0u);
}

}  // namespace
}  // namespace weft::sync
