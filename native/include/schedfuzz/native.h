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
#include <vector>

#include "schedfuzz/engine.h"
#include "schedfuzz/target.h"

namespace sf::native {

// Runs body(arg) `executions` times, each as the initial thread of a fresh execution (threads it
// spawns and leaves unjoined are joined at its end). Returns the executions run.
uint64_t run(Body body, void* arg, uint64_t executions);

// A command line for your targets on real threads (build it with -fsanitize=thread or =address):
//   PROGRAM TARGET [--variant NAME] [--executions N]     (default: correct, 10000)
// prints `PASS TARGET VARIANT native executions=N` and returns 0, or the failing check's line and
// exits 1 (a sanitizer's report exits as the sanitizer does); bad arguments: one line, exit 2.
int run_cli(int argc, char** argv, const std::vector<Target>& targets);

}  // namespace sf::native
