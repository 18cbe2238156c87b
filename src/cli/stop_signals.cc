#include "cli/stop_signals.h"

#include <pthread.h>
#include <signal.h>

#include <thread>

namespace weft::cli {
namespace {

sigset_t StopSignals() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGTERM);
  return s;
}

}  // namespace

void BlockStopSignals() {
  const sigset_t s = StopSignals();
  pthread_sigmask(SIG_BLOCK, &s, nullptr);
}

Status RunUntilStopSignal(const std::function<Status()>& run, const std::function<void()>& stop) {
  std::thread stopper([&stop] {
    const sigset_t s = StopSignals();
    int sig = 0;
    sigwait(&s, &sig);
    stop();
  });
  Status ran = run();
  // `run` returned without a signal (stopped another way, or failed): wake the
  // stopper with one of its own.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return ran;
}

}  // namespace weft::cli
