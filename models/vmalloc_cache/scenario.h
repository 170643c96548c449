// models/vmalloc_cache/scenario.h: the threads every cache design is exercised with, and the
// checks around each get_vmalloc_info call (O1/O2 per call, O3 at quiescence).
#pragma once
#include "models/vmalloc_cache/vmap_state.h"

namespace sf::models::vmalloc {

// Standard: T1 mutates twice; T2 reads twice; T3 reads once. Long (narrow counters): T1 alone does
// 17 rounds of mutate-then-read (enough for 3-bit counters to wrap twice over), so the cache is refreshed after every change and any stale read
// comes from the install test, not from the ABA every design has when a refresh is held up for
// 2^(bits-1) changes. Then, once all are joined, a fresh thread reads
// twice and must see the final info both times (O3: fresh at quiescence).
template <class Mutate, class Read>
void run_scenario(VmapState& s, bool long_run, Mutate mutate_once, Read get_info) {
  auto checked_read = [&](const char* who) {
    Call c = begin_call(s);
    Info got = get_info();
    end_call(s, c, got, who);
  };
  thread t1 = spawn([&] {
    for (int i = 0; i < (long_run ? 17 : 2); ++i) {
      mutate_once();
      if (long_run) checked_read("T1 get_vmalloc_info");
    }
  });
  if (!long_run) {
    thread t2 = spawn([&] {
      checked_read("T2 get_vmalloc_info");
      checked_read("T2 get_vmalloc_info");
    });
    thread t3 = spawn([&] { checked_read("T3 get_vmalloc_info"); });
    join(t2);
    join(t3);
  }
  join(t1);
  thread fresh = spawn([&] {
    for (int i = 0; i < 2; ++i) {
      Info got = get_info();
      oracle(got == info_of(s.done_count), "stale_info",
             "at quiescence, read %d of a fresh thread returned {%u, %u}, not the final info {%u, %u} (version %u)",
             i + 1, got.used, got.largest, info_of(s.done_count).used, info_of(s.done_count).largest,
             s.done_count);
    }
  });
  join(fresh);
}

}  // namespace sf::models::vmalloc
