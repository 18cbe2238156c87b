#include "lang/large_stack.h"

#include <pthread.h>

#include <cstring>
#include <new>

#include "lang/runtime_error.h"

namespace weft::lang {

Status RunOnLargeStack(const std::function<void()>& fn) {
  struct Job {
    const std::function<void()>* fn;
    bool out_of_memory = false;
  } job{&fn};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kEvalStackBytes);
  pthread_t thread;
  auto run = [](void* p) -> void* {
    auto* j = static_cast<Job*>(p);
    try {
      (*j->fn)();
    } catch (const std::bad_alloc&) {
      // The budget is checked before large allocations; this is the last resort.
      j->out_of_memory = true;
    }
    return nullptr;
  };
  const int rc = pthread_create(&thread, &attr, run, &job);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    // Running here instead would let the depth limit pass the end of this stack.
    return Fail(ErrorCode::kEvaluation, "cannot start the evaluation thread ({} MiB stack): {}",
                kEvalStackBytes >> 20, std::strerror(rc));
  }
  pthread_join(thread, nullptr);
  if (job.out_of_memory) {
    return RuntimeFail(RuntimeError::kMemory, "the machine ran out of memory during evaluation");
  }
  return {};
}

}  // namespace weft::lang
