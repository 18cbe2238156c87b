// Writes seed inputs for the fuzz targets from a real store: every change, every
// blob (in fuzz_item's framing), and sync messages built from them (a hello, the
// heads, a Bloom filter, changes and blobs). fuzz/make_corpus runs it; the output
// is checked in under fuzz/corpus/.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/release.h"
#include "store/blob_store.h"
#include "store/change_log.h"
#include "store/store.h"
#include "sync/message.h"

namespace {

using namespace weft;

void Write(const std::filesystem::path& dir, const std::string& name, ByteView bytes) {
  std::filesystem::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

int Run(const std::string& store_dir, const std::filesystem::path& out) {
  auto store = Store::Open(store_dir, Store::Access::kReadOnly);
  if (!store) {
    std::cerr << store.error().message() << "\n";
    return 1;
  }
  Db& db = (*store)->db();
  std::vector<EncodedChange> changes;
  Status st = ForEachChange(db, [&](const EncodedChange& c) -> Status {
    changes.push_back(c);
    return {};
  });
  if (!st) {
    std::cerr << st.error().message() << "\n";
    return 1;
  }
  std::vector<sync::BlobRecord> blobs;
  std::size_t n = 0;
  for (const auto& c : changes) {
    Write(out / "change", fmt::format("seed-{:03}", n++), c.bytes);
    for (const Op& op : c.change.ops) {
      const auto* add = std::get_if<AddItem>(&op);
      if (!add) continue;
      auto item = LoadItem(db, add->item);
      if (!item || !*item) continue;
      Bytes canonical = (*item)->Canonical();
      Bytes framed{static_cast<std::uint8_t>((*item)->kind),
                   static_cast<std::uint8_t>(canonical.size() & 0xff),
                   static_cast<std::uint8_t>(canonical.size() >> 8)};
      framed.insert(framed.end(), canonical.begin(), canonical.end());
      framed.insert(framed.end(), (*item)->display.begin(), (*item)->display.end());
      Write(out / "item", fmt::format("seed-{:03}", blobs.size()), framed);
      blobs.push_back({add->item, (*item)->kind, canonical, (*item)->display});
    }
  }
  std::vector<ChangeHash> all;
  for (const auto& c : changes) all.push_back(c.hash);
  std::sort(all.begin(), all.end());
  sync::Message hello;
  hello.release = kRelease;
  hello.hello = sync::Hello{"seed", (*store)->actor(), changes.size(), {}};
  hello.heads = {all.back()};
  hello.have.push_back({{all.front()}, sync::Bloom(all, sync::BloomParams{})});
  Write(out / "message", "seed-hello", sync::EncodeMessage(hello));
  sync::Message carry;
  carry.release = kRelease;
  carry.heads = {all.front()};
  carry.need = {all.back()};
  carry.blob_need = {blobs.empty() ? ItemHash() : blobs.front().hash};
  for (const auto& c : changes) carry.changes.push_back(c.bytes);
  carry.blobs = blobs;
  Write(out / "message", "seed-changes", sync::EncodeMessage(carry));
  sync::Message empty;
  empty.release = kRelease;
  empty.flags = sync::kFlagReset | sync::kFlagReadOnly;
  Write(out / "message", "seed-empty", sync::EncodeMessage(empty));
  std::cout << changes.size() << " changes, " << blobs.size() << " blobs\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: weft_fuzz_seeds STORE OUTDIR\n";
    return 2;
  }
  return Run(argv[1], argv[2]);
}
