// Relacy bench: plain types shared by the driver and the per-test sources (deliberately no Relacy include).
#pragma once
#include <cstdint>

namespace rlbench {

enum class sched { random, bound, full };

struct run_args {
  bool bug = false;              // false: correct form, true: bug form
  sched scheduler = sched::random;
  std::uint64_t iterations = 1;  // cap on executions (all schedulers)
  std::uint64_t seed = 0;        // random scheduler only: runs block S of Relacy's sequence
  unsigned context_bound = 1;    // bound scheduler: preemptions per execution (Relacy's default, 1)
};

struct run_result {
  bool failed = false;
  std::uint64_t iterations_run = 0;
  std::uint64_t iteration_of_failure = 0;  // 1-based; valid only if failed
  double seconds = 0;
  const char* failure = "";                // Relacy's name for the failure kind
};

run_result run_sb(const run_args&);
run_result run_mp(const run_args&);
run_result run_seqlock(const run_args&);
run_result run_lost_update(const run_args&);
run_result run_vmalloc_cache(const run_args&);

}  // namespace rlbench
