#include "daemon/daemon.h"

#include <unistd.h>

#include "daemon/autosync.h"
#include "store/store.h"

namespace weft::daemon {

class Daemon::Impl {
 public:
  DaemonOptions options;
  std::optional<DaemonLock> lock;
  DaemonInfo info;
  std::unique_ptr<net::SyncServer> server;
  std::unique_ptr<Autosync> autosync;
  std::mutex autosync_mu;  // the server's watcher may call in before autosync exists
};

Daemon::Daemon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Daemon::~Daemon() {
  Stop();
  impl_->server.reset();
}

const DaemonInfo& Daemon::info() const { return impl_->info; }

Result<std::unique_ptr<Daemon>> Daemon::Start(DaemonOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  const DaemonOptions& o = impl->options;
  WEFT_ASSIGN_OR_RETURN(DaemonLock lock, DaemonLock::Acquire(o.store_dir));
  impl->lock.emplace(std::move(lock));
  Impl* self = impl.get();
  workspace::ServeRequest serve = o.serve;
  serve.log = o.log;
  serve.heads_changed = [self](const std::vector<ChangeHash>&) {
    std::lock_guard guard(self->autosync_mu);
    if (self->autosync) self->autosync->OurHeadsChanged();
  };
  WEFT_ASSIGN_OR_RETURN(impl->server, workspace::StartServer(o.store_dir, serve));
  impl->info.pid = ::getpid();
  impl->info.started_ms = static_cast<std::int64_t>(SystemMillis());
  impl->info.url = impl->server->url();
  impl->info.device_id = impl->server->device_id();
  LoopOptions loop;
  loop.store_dir = o.store_dir;
  loop.floor = o.floor;
  loop.ceiling = o.ceiling;
  loop.busy_timeout = o.serve.busy_timeout;
  loop.log = o.log;
  {
    std::lock_guard guard(impl->autosync_mu);
    impl->autosync = std::make_unique<Autosync>(loop, o.rescan);
  }
  WEFT_TRY(impl->lock->Write(impl->info));
  return std::unique_ptr<Daemon>(new Daemon(std::move(impl)));
}

Status Daemon::Run() { return impl_->server->Run(); }

void Daemon::Stop() {
  impl_->server->Stop();
  std::unique_ptr<Autosync> autosync;
  {
    std::lock_guard lock(impl_->autosync_mu);
    autosync = std::move(impl_->autosync);
  }
  autosync.reset();  // joins every loop
}

}  // namespace weft::daemon
