// bench/cpu_warmup.h: a busy loop before a timed run, for both bench binaries alike.
//
// On the VMs we measure on, a new process sometimes runs its first few hundred milliseconds at
// about 60% of its later speed: batches of 1,000,000 MP executions (lkmm) in one process ran at
// 7-10 M/s in the first batch of 6 processes out of 10 and at 12.5 M/s after it, and in 0 of 10
// after a 300 ms busy loop first. A slow start of fixed length weighs most on the shortest runs,
// so the faster tool's rate suffered more: in a run where Relacy lost a quarter on every test,
// schedfuzz lost a quarter on its longer runs and a third or more on its 100 ms ones. The
// exec/s figures (bench.py) therefore ask both binaries to spin first (BENCH_WARMUP_MS), and
// subtract the spin's CPU time from the process's.
#pragma once

#include <time.h>

#include <cstdint>
#include <cstdlib>

namespace bench_warmup {

inline double seconds_of(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Spins for BENCH_WARMUP_MS milliseconds (none when unset or not a number from 0 to 10000);
// returns the CPU seconds the spin took.
inline double spin_from_env() {
  const char* s = std::getenv("BENCH_WARMUP_MS");
  if (!s || !*s) return 0.0;
  char* end = nullptr;
  double ms = std::strtod(s, &end);
  if (*end != '\0' || !(ms > 0.0) || ms > 10000.0) return 0.0;
  double cpu0 = seconds_of(CLOCK_PROCESS_CPUTIME_ID);
  double until = seconds_of(CLOCK_MONOTONIC) + ms * 1e-3;
  volatile std::uint64_t x = 1;
  while (seconds_of(CLOCK_MONOTONIC) < until) {
    for (int i = 0; i < 1000; ++i) x = x * 6364136223846793005ull + 1442695040888963407ull;
  }
  return seconds_of(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
}

}  // namespace bench_warmup
