#include "faulty_vfs.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

namespace weft::testing {
namespace {

// One region a write replaced before the file's last fsync: what was there.
struct Undo {
  sqlite3_int64 offset = 0;
  std::vector<char> before;  // the old bytes (short when the file was shorter)
  sqlite3_int64 old_size = 0;
};

struct FaultyFile {
  sqlite3_file base;  // must be first: SQLite sees this
  sqlite3_file* real;
  std::vector<Undo> unsynced;
};

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;
sqlite3_io_methods g_methods;
std::mutex g_mu;
FaultPlan g_plan;
std::uint64_t g_ops = 0;
bool g_fired = false;
std::vector<FaultyFile*> g_open;

FaultyFile* Self(sqlite3_file* f) { return reinterpret_cast<FaultyFile*>(f); }

// Undoes every unsynced write of every open file, newest first, then exits
// without running destructors or atexit handlers: the machine lost power.
[[noreturn]] void PowerCut() {
  for (FaultyFile* f : g_open) {
    for (auto it = f->unsynced.rbegin(); it != f->unsynced.rend(); ++it) {
      if (!it->before.empty())
        f->real->pMethods->xWrite(f->real, it->before.data(), static_cast<int>(it->before.size()),
                                  it->offset);
      f->real->pMethods->xTruncate(f->real, it->old_size);
    }
  }
  _exit(g_plan.exit_code);
}

// Counts one write or fsync; returns the error to report, or SQLITE_OK.
int Tick(bool is_write) {
  ++g_ops;
  if (g_plan.fault == Fault::kNone || g_fired || g_ops != g_plan.at) return SQLITE_OK;
  g_fired = true;
  if (g_plan.fault == Fault::kPowerCut) PowerCut();
  if (!is_write) return SQLITE_IOERR_FSYNC;
  return g_plan.full_disk ? SQLITE_FULL : SQLITE_IOERR_WRITE;
}

int Close(sqlite3_file* f) {
  FaultyFile* self = Self(f);
  {
    std::lock_guard lock(g_mu);
    std::erase(g_open, self);
  }
  int rc = self->real->pMethods->xClose(self->real);
  sqlite3_free(self->real);
  self->unsynced.~vector();
  return rc;
}
int Read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return Self(f)->real->pMethods->xRead(Self(f)->real, buf, n, off);
}
int Write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  FaultyFile* self = Self(f);
  std::lock_guard lock(g_mu);
  if (int rc = Tick(true); rc != SQLITE_OK) return rc;
  Undo u;
  u.offset = off;
  self->real->pMethods->xFileSize(self->real, &u.old_size);
  if (off < u.old_size) {
    sqlite3_int64 keep = std::min<sqlite3_int64>(n, u.old_size - off);
    u.before.resize(static_cast<std::size_t>(keep));
    self->real->pMethods->xRead(self->real, u.before.data(), static_cast<int>(keep), off);
  }
  self->unsynced.push_back(std::move(u));
  return self->real->pMethods->xWrite(self->real, buf, n, off);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  return Self(f)->real->pMethods->xTruncate(Self(f)->real, size);
}
int Sync(sqlite3_file* f, int flags) {
  FaultyFile* self = Self(f);
  std::lock_guard lock(g_mu);
  if (int rc = Tick(false); rc != SQLITE_OK) return rc;
  int rc = self->real->pMethods->xSync(self->real, flags);
  if (rc == SQLITE_OK) self->unsynced.clear();
  return rc;
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Self(f)->real->pMethods->xFileSize(Self(f)->real, size);
}
int Lock(sqlite3_file* f, int l) { return Self(f)->real->pMethods->xLock(Self(f)->real, l); }
int Unlock(sqlite3_file* f, int l) { return Self(f)->real->pMethods->xUnlock(Self(f)->real, l); }
int CheckReserved(sqlite3_file* f, int* out) {
  return Self(f)->real->pMethods->xCheckReservedLock(Self(f)->real, out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Self(f)->real->pMethods->xFileControl(Self(f)->real, op, arg);
}
int SectorSize(sqlite3_file* f) { return Self(f)->real->pMethods->xSectorSize(Self(f)->real); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Self(f)->real->pMethods->xDeviceCharacteristics(Self(f)->real);
}
int ShmMap(sqlite3_file* f, int pg, int sz, int extend, void volatile** out) {
  return Self(f)->real->pMethods->xShmMap(Self(f)->real, pg, sz, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Self(f)->real->pMethods->xShmLock(Self(f)->real, offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Self(f)->real->pMethods->xShmBarrier(Self(f)->real); }
int ShmUnmap(sqlite3_file* f, int del) {
  return Self(f)->real->pMethods->xShmUnmap(Self(f)->real, del);
}
int Fetch(sqlite3_file* f, sqlite3_int64 off, int amt, void** pp) {
  // No memory-mapped reads: every page goes through Read, so undo stays exact.
  (void)f, (void)off, (void)amt;
  *pp = nullptr;
  return SQLITE_OK;
}
int Unfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  FaultyFile* self = Self(f);
  std::memset(static_cast<void*>(self), 0, sizeof(FaultyFile));
  self->real = static_cast<sqlite3_file*>(sqlite3_malloc(g_real->szOsFile));
  if (self->real == nullptr) return SQLITE_NOMEM;
  std::memset(self->real, 0, static_cast<std::size_t>(g_real->szOsFile));
  int rc = g_real->xOpen(g_real, name, self->real, flags, out_flags);
  if (rc != SQLITE_OK || self->real->pMethods == nullptr) {
    sqlite3_free(self->real);
    self->real = nullptr;
    return rc == SQLITE_OK ? SQLITE_CANTOPEN : rc;
  }
  new (&self->unsynced) std::vector<Undo>();
  self->base.pMethods = &g_methods;
  std::lock_guard lock(g_mu);
  g_open.push_back(self);
  return SQLITE_OK;
}

}  // namespace

void InstallFaultyVfs() {
  std::lock_guard lock(g_mu);
  if (g_real != nullptr) return;
  g_real = sqlite3_vfs_find(nullptr);
  g_vfs = *g_real;
  g_vfs.zName = "weft-faulty";
  g_vfs.szOsFile = static_cast<int>(sizeof(FaultyFile));
  g_vfs.xOpen = Open;
  g_methods = {};
  g_methods.iVersion = 3;
  g_methods.xClose = Close;
  g_methods.xRead = Read;
  g_methods.xWrite = Write;
  g_methods.xTruncate = Truncate;
  g_methods.xSync = Sync;
  g_methods.xFileSize = FileSize;
  g_methods.xLock = Lock;
  g_methods.xUnlock = Unlock;
  g_methods.xCheckReservedLock = CheckReserved;
  g_methods.xFileControl = FileControl;
  g_methods.xSectorSize = SectorSize;
  g_methods.xDeviceCharacteristics = DeviceCharacteristics;
  g_methods.xShmMap = ShmMap;
  g_methods.xShmLock = ShmLock;
  g_methods.xShmBarrier = ShmBarrier;
  g_methods.xShmUnmap = ShmUnmap;
  g_methods.xFetch = Fetch;
  g_methods.xUnfetch = Unfetch;
  sqlite3_vfs_register(&g_vfs, 1);
}

void SetFaultPlan(const FaultPlan& plan) {
  std::lock_guard lock(g_mu);
  g_plan = plan;
  g_ops = 0;
  g_fired = false;
}

std::uint64_t FaultyOps() {
  std::lock_guard lock(g_mu);
  return g_ops;
}

bool FaultFired() {
  std::lock_guard lock(g_mu);
  return g_fired;
}

}  // namespace weft::testing
