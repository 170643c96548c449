// Relacy bench test "mp": message passing; correct = release/acquire flag, bug = relaxed flag.
#include "harness.hpp"

namespace {

template <bool Bug>
struct mp_test : rl::test_suite<mp_test<Bug>, 2> {
  static constexpr rl::memory_order st = Bug ? rl::mo_relaxed : rl::mo_release;
  static constexpr rl::memory_order ld = Bug ? rl::mo_relaxed : rl::mo_acquire;
  rl::atomic<int> data, flag;  // data is a relaxed atomic so the bug shows as an assertion, not a race

  void before() {
    rlbench::iteration_gate();
    data($).store(0, rl::mo_relaxed);
    flag($).store(0, rl::mo_relaxed);
  }

  void thread(unsigned id) {
    if (id == 0) {
      data($).store(1, rl::mo_relaxed);
      flag($).store(1, st);
    } else if (flag($).load(ld) == 1) {
      RL_ASSERT(data($).load(rl::mo_relaxed) == 1);
    }
  }
};

}  // namespace

rlbench::run_result rlbench::run_mp(const run_args& a) { return rl_run_form<mp_test>(a); }
