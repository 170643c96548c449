// Relacy bench harness: runs one rl::test_suite with the requested scheduler/cap/seed and times rl::simulate.
#pragma once
// Standard headers must come before relacy.hpp: it #defines new/delete/malloc/free.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include "bench_api.hpp"
#include <relacy/relacy.hpp>

namespace rlbench {

// Iteration cap. Relacy's tree schedulers (bound/full) ignore test_params::iteration_count and run until the
// search tree is exhausted, so every test calls iteration_gate() first thing in before(); once the cap is
// passed it ends the run through RL_UNTIL (result test_result_until_condition_hit, which we do not count as a
// failure). For the random scheduler iteration_count already stops the run exactly at the cap.
inline std::uint64_t g_cap = 0, g_seen = 0;
inline bool g_capped = false;

inline void iteration_gate() {
  if (g_capped || ++g_seen > g_cap) {
    g_capped = true;
    RL_UNTIL(true);
  }
}

template <class Test>
run_result rl_run(const run_args& a) {
  std::ostream null_os(nullptr);  // swallows Relacy's own report
  rl::test_params p;
  p.output_stream = &null_os;
  p.progress_stream = &null_os;
  p.output_history = true;        // with collect_history=false: no replay of the failing iteration
  p.collect_history = false;
  if (std::getenv("RLBENCH_HISTORY")) {  // debugging: Relacy replays a failing iteration and prints its history
    p.output_stream = &std::cerr;          // to stderr (the replay is then inside the timed region)
    p.output_history = false;
  }
  p.context_bound = a.context_bound;
  p.search_type = a.scheduler == sched::random ? rl::sched_random
                : a.scheduler == sched::bound  ? rl::sched_bound : rl::sched_full;
  // Relacy seeds the random scheduler with the iteration number (iterations start at 1); there is no other
  // seed. Seed S runs iterations [S*N+1, (S+1)*N] of that sequence, i.e. the S-th disjoint block of N. Bits
  // 32..39 of the iteration number pick the generator's constants and some picks are degenerate, so main()
  // rejects (S+1)*N >= 2^35.
  std::uint64_t start = 1;
  if (a.scheduler == sched::random && a.seed != 0) {
    start = 1 + a.seed * a.iterations;
    p.initial_state = rl::string(std::to_string(start).c_str());
  }
  p.iteration_count = start + a.iterations - 1;
  g_cap = a.iterations;
  g_seen = 0;
  g_capped = false;

  auto t0 = std::chrono::steady_clock::now();
  rl::simulate<Test>(p);
  auto t1 = std::chrono::steady_clock::now();

  run_result r;
  r.seconds = std::chrono::duration<double>(t1 - t0).count();
  r.failed = p.test_result != rl::test_result_success && p.test_result != rl::test_result_until_condition_hit;
  if (r.failed) {
    r.iteration_of_failure = p.stop_iteration - start + 1;
    r.iterations_run = r.iteration_of_failure;
    r.failure = rl::test_result_str(p.test_result);
  } else {
    r.iterations_run = g_capped ? a.iterations : p.stop_iteration - start + 1;
  }
  return r;
}

template <template <bool> class Test>
run_result rl_run_form(const run_args& a) {
  return a.bug ? rl_run<Test<true>>(a) : rl_run<Test<false>>(a);
}

}  // namespace rlbench
