// schedfuzz/native.h: the native backend. The same model source, linked with sf_native instead of
// the engine (sf_core), runs on real threads (std::thread, std::atomic): a stress test for
// ThreadSanitizer and AddressSanitizer, which then see the model's real plain accesses (var<T>) and
// real heap. Each primitive maps to its C++ counterpart: READ_ONCE/WRITE_ONCE to relaxed atomics,
// smp_load_acquire/smp_store_release to acquire/release, fully ordered RMWs and smp_mb to seq_cst
// operations and fences, smp_rmb/smp_wmb to acquire/release fences, spinlock_t to a test-and-set
// lock, RCU to per-thread reader counters, park/unpark to a per-thread token.
//
// What it does not do: choose schedules (the OS does), replay, or check ghost happens-before
// (`happened_before()` is always false natively, so oracles that depend on it check less). Ghost
// state shared between threads in plain variables is a data race on real threads: models that keep
// such state are for the simulator only. A failed check or oracle prints one line and ends the
// process with exit code 1.
#pragma once
#include <cstdint>

#include "schedfuzz/engine.h"

namespace sf::native {

// Runs body(arg) `executions` times, each as the initial thread of a fresh execution (threads it
// spawns and leaves unjoined are joined at its end). Returns the executions run.
uint64_t run(Body body, void* arg, uint64_t executions);

}  // namespace sf::native
