// Relacy bench test "sb": store buffering; correct = seq_cst fences between store and load, bug = no fences.
#include "harness.hpp"

namespace {

template <bool Bug>
struct sb_test : rl::test_suite<sb_test<Bug>, 2> {
  rl::atomic<int> x, y;
  int r0 = -1, r1 = -1;

  void before() {
    rlbench::iteration_gate();
    x($).store(0, rl::mo_relaxed);
    y($).store(0, rl::mo_relaxed);
  }

  void thread(unsigned id) {
    rl::atomic<int>& mine = id == 0 ? x : y;
    rl::atomic<int>& other = id == 0 ? y : x;
    mine($).store(1, rl::mo_relaxed);
    if (!Bug) rl::atomic_thread_fence(rl::mo_seq_cst, $);
    (id == 0 ? r0 : r1) = other($).load(rl::mo_relaxed);
  }

  void after() { RL_ASSERT(!(r0 == 0 && r1 == 0)); }
};

}  // namespace

rlbench::run_result rlbench::run_sb(const run_args& a) { return rl_run_form<sb_test>(a); }
