// Relacy bench test "lost_update": two threads increment twice; correct = fetch_add, bug = load+store.
#include "harness.hpp"

namespace {

template <bool Bug>
struct lost_update_test : rl::test_suite<lost_update_test<Bug>, 2> {
  rl::atomic<int> counter;

  void before() {
    rlbench::iteration_gate();
    counter($).store(0, rl::mo_relaxed);
  }

  void thread(unsigned) {
    for (int i = 0; i < 2; ++i) {
      if (Bug) {
        int v = counter($).load(rl::mo_relaxed);
        counter($).store(v + 1, rl::mo_relaxed);
      } else {
        counter($).fetch_add(1, rl::mo_relaxed);
      }
    }
  }

  void after() { RL_ASSERT(counter($).load(rl::mo_relaxed) == 4); }
};

}  // namespace

rlbench::run_result rlbench::run_lost_update(const run_args& a) { return rl_run_form<lost_update_test>(a); }
