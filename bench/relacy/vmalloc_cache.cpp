// Relacy bench test "vmalloc_cache": model of the vmalloc info cache with two generation counters; bug = both gens start at 0.
#include "harness.hpp"

namespace {

struct info {
  unsigned used, largest;
};

// Real state versions are 1 (boot), 2, 3 and always satisfy used == version, largest == 10 * version.
// The initial cache words {0,0} match no version, so returning them is stale.
inline bool valid(info v) { return v.used >= 1 && v.used <= 3 && v.largest == 10 * v.used; }

template <bool Bug>
struct vmalloc_cache_test : rl::test_suite<vmalloc_cache_test<Bug>, 3> {
  rl::atomic<unsigned> gen, cache_gen;
  rl::atomic<unsigned> cache_used, cache_largest;
  rl::mutex info_lock, area_lock;
  rl::var<unsigned> version, used, largest;  // the "real state", protected by area_lock

  void before() {
    rlbench::iteration_gate();
    gen($).store(Bug ? 0 : 1, rl::mo_relaxed);  // correct: gen starts ahead of cache_gen, so the empty cache is invalid
    cache_gen($).store(0, rl::mo_relaxed);
    cache_used($).store(0, rl::mo_relaxed);
    cache_largest($).store(0, rl::mo_relaxed);
    version($) = 1;
    used($) = 1;
    largest($) = 10;
  }

  void mutate() {
    area_lock.lock($);
    version($) = version($) + 1;
    used($) = used($) + 1;
    largest($) = version($) * 10;
    gen($).fetch_add(1, rl::mo_relaxed);
    area_lock.unlock($);
  }

  info get_info() {
    unsigned cg = cache_gen($).load(rl::mo_relaxed);
    rl::atomic_thread_fence(rl::mo_acquire, $);
    info v{cache_used($).load(rl::mo_relaxed), cache_largest($).load(rl::mo_relaxed)};
    rl::atomic_thread_fence(rl::mo_acquire, $);
    unsigned g = gen($).load(rl::mo_relaxed);
    if (cg == g) return v;

    area_lock.lock($);
    v = info{used($), largest($)};
    area_lock.unlock($);

    info_lock.lock($);
    if ((int)(g - cache_gen($).load(rl::mo_relaxed)) > 0) {
      // Needed under the C++ model (not under TSO/LKMM): a reader that sees any of the words below must also
      // see gen >= g, else it can pair the old cache_gen with a stale gen and return half-updated words.
      rl::atomic_thread_fence(rl::mo_release, $);
      cache_used($).store(v.used, rl::mo_relaxed);
      cache_largest($).store(v.largest, rl::mo_relaxed);
      rl::atomic_thread_fence(rl::mo_release, $);
      cache_gen($).store(g, rl::mo_relaxed);
    }
    info_lock.unlock($);
    return v;
  }

  void thread(unsigned id) {
    for (int i = 0; i < 2; ++i) {
      if (id == 0) {
        mutate();
      } else {
        info v = get_info();
        RL_ASSERT(valid(v));
      }
    }
  }

  void after() {  // writer is joined: a fresh call must see the final state
    info v = get_info();
    RL_ASSERT(v.used == 3 && v.largest == 30);
  }
};

}  // namespace

rlbench::run_result rlbench::run_vmalloc_cache(const run_args& a) { return rl_run_form<vmalloc_cache_test>(a); }
