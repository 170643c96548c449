// Relacy bench test "seqlock": 1 writer x2 writes, 1 reader x2 bounded reads; bug = no release fence after seq odd.
#include "harness.hpp"

namespace {

template <bool Bug>
struct seqlock_test : rl::test_suite<seqlock_test<Bug>, 2> {
  rl::atomic<unsigned> seq;
  rl::atomic<int> d0, d1;  // relaxed atomics: a torn read is an assertion failure, not a data race

  void before() {
    rlbench::iteration_gate();
    seq($).store(0, rl::mo_relaxed);
    d0($).store(0, rl::mo_relaxed);
    d1($).store(0, rl::mo_relaxed);
  }

  void write(int v) {
    unsigned s = seq($).load(rl::mo_relaxed);  // single writer
    seq($).store(s + 1, rl::mo_relaxed);       // odd: write in progress
    if (!Bug) rl::atomic_thread_fence(rl::mo_release, $);
    d0($).store(v, rl::mo_relaxed);
    d1($).store(v, rl::mo_relaxed);
    seq($).store(s + 2, rl::mo_release);       // even: stable
  }

  void read() {
    for (int attempt = 0; attempt < 3; ++attempt) {
      unsigned s1 = seq($).load(rl::mo_acquire);
      int v0 = d0($).load(rl::mo_relaxed);
      int v1 = d1($).load(rl::mo_relaxed);
      rl::atomic_thread_fence(rl::mo_acquire, $);
      unsigned s2 = seq($).load(rl::mo_relaxed);
      if (s1 == s2 && s1 % 2 == 0) {
        RL_ASSERT(v0 == v1);
        return;
      }
    }  // gave up after 3 attempts
  }

  void thread(unsigned id) {
    for (int i = 1; i <= 2; ++i) {
      if (id == 0) write(i);
      else read();
    }
  }
};

}  // namespace

rlbench::run_result rlbench::run_seqlock(const run_args& a) { return rl_run_form<seqlock_test>(a); }
