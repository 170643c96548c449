// models/vmap_purge/scenario.cpp: the threads of each scenario (research/algorithms.md 2c) and the
// checks at quiescence. At the start all three areas are mapped (BUSY) and nothing is free.
#include "models/vmap_purge/scenario.h"

#include "models/vmap_purge/oracles.h"
#include "models/vmap_purge/purge.h"

namespace sf::models::vmap_purge {

namespace {

// T1 alone frees two areas (the second goes above lazy_max = 1 and purges), allocates one of them
// again and frees it: no concurrency at all.
void one_thread(PurgeState& st) {
  st.lazy_max = 1;
  thread t1 = spawn([&] {
    vfree(st, st.va[0]);
    vfree(st, st.va[1]);
    if (Area* p = alloc_vmap_area(st)) vfree(st, p);
  });
  join(t1);
}

// T1 frees two areas (the second goes above lazy_max = 1: an opportunistic purge); T2 frees one
// and calls vm_unmap_aliases; T3 allocates twice (nothing is free at first: a synchronous purge,
// then a retry) and lazily frees what it got first.
void mixed(PurgeState& st) {
  st.lazy_max = 1;
  thread t1 = spawn([&] {
    vfree(st, st.va[0]);
    vfree(st, st.va[1]);
  });
  thread t2 = spawn([&] {
    vfree(st, st.va[2]);
    vm_unmap_aliases(st);
  });
  thread t3 = spawn([&] {
    Area* p = alloc_vmap_area(st);
    alloc_vmap_area(st);
    if (p) vfree(st, p);
  });
  join(t1);
  join(t2);
  join(t3);
}

// Three lazy frees at once and no purge before the final one: only llist_add races with itself.
void concurrent_frees(PurgeState& st) {
  st.lazy_max = 8;
  thread t1 = spawn([&] { vfree(st, st.va[0]); });
  thread t2 = spawn([&] { vfree(st, st.va[1]); });
  thread t3 = spawn([&] { vfree(st, st.va[2]); });
  join(t1);
  join(t2);
  join(t3);
}

// Every vfree tries to purge (lazy_max = 0): one purger's trylock fails while the other holds the
// lock after its llist_del_all, so the area it just listed waits for the final synchronous purge.
void trylock_race(PurgeState& st) {
  st.lazy_max = 0;
  thread t1 = spawn([&] {
    vfree(st, st.va[0]);
    vfree(st, st.va[1]);
  });
  thread t2 = spawn([&] { vfree(st, st.va[2]); });
  join(t1);
  join(t2);
}

// T0 lazily frees all three areas first; then T1 and T2 both purge opportunistically: only the
// two llist_del_all race (no llist_add can come between).
void purge_race(PurgeState& st) {
  st.lazy_max = 8;
  for (Area* a : st.va) vfree(st, a);
  thread t1 = spawn([&] { try_purge_vmap_area_lazy(st); });
  thread t2 = spawn([&] { try_purge_vmap_area_lazy(st); });
  join(t1);
  join(t2);
}

// T0 lazily frees va1 first; then T1 lazily frees va0 while T2 purges: one llist_add races with
// one llist_del_all (no two adds, no two purgers).
void add_vs_purge(PurgeState& st) {
  st.lazy_max = 8;
  vfree(st, st.va[1]);
  thread t1 = spawn([&] { vfree(st, st.va[0]); });
  thread t2 = spawn([&] { try_purge_vmap_area_lazy(st); });
  join(t1);
  join(t2);
}

}  // namespace

void run_vmap_purge(const Config& cfg) {
  PurgeState st(cfg);
  switch (cfg.scenario) {
    case Scenario::one_thread: one_thread(st); break;
    case Scenario::mixed: mixed(st); break;
    case Scenario::concurrent_frees: concurrent_frees(st); break;
    case Scenario::trylock_race: trylock_race(st); break;
    case Scenario::purge_race: purge_race(st); break;
    case Scenario::add_vs_purge: add_vs_purge(st); break;
  }
  check_quiescent_count(st);
  purge_vmap_area_lazy(st);
  check_final(st);
  st.release();
}

}  // namespace sf::models::vmap_purge
