// bench/shapes.cpp: SB, MP, seqlock and lost-update models for sf_bench, mirroring bench/relacy/*.cpp.
// Each runs its threads with sf::parallel, as many as the Relacy test_suite has (the caller is the
// first of them), and checks after they all end, where Relacy's after() does.
#include "bench/shapes.h"

#include "schedfuzz/schedfuzz.h"

namespace sf::bench {

// Store buffering: each thread stores 1 to its own location, then loads the other's. Both loads
// reading 0 needs store->load reordering, which smp_mb() forbids.
void sb_body(bool bug) {
  shared<int> x{0, "x"}, y{0, "y"};
  int r0 = -1, r1 = -1;
  parallel(
      [&] {
        WRITE_ONCE(x, 1);
        if (!bug) smp_mb();
        r0 = READ_ONCE(y);
      },
      [&] {
        WRITE_ONCE(y, 1);
        if (!bug) smp_mb();
        r1 = READ_ONCE(x);
      });
  oracle(!(r0 == 0 && r1 == 0), "sb_both_zero", "both loads read 0: the stores were reordered after the loads");
}

// Message passing: the reader must see the data once it sees the flag.
void mp_body(bool bug) {
  shared<int> data{0, "data"}, flag{0, "flag"};
  parallel(
      [&] {  // writer
        WRITE_ONCE(data, 1);
        if (bug) {
          WRITE_ONCE(flag, 1);
        } else {
          smp_store_release(flag, 1);
        }
      },
      [&] {  // reader
        int f = bug ? READ_ONCE(flag) : smp_load_acquire(flag);
        if (f == 1) {
          int d = READ_ONCE(data);
          oracle(d == 1, "stale_data", "saw the flag but read data %d", d);
        }
      });
}

// Seqlock: one writer does two write sections, one reader does two reads of at most three attempts
// each. The writer's smp_wmb() orders "seq is odd" before the data stores; without it a reader can
// see new data with an old, even and unchanged seq, and return a torn pair.
namespace {
struct Seqlock {
  shared<unsigned> seq{0, "seq"};
  shared<int> d0{0, "d0"}, d1{0, "d1"};
  bool bug;

  void write(int v) {
    unsigned s = READ_ONCE(seq);  // single writer
    WRITE_ONCE(seq, s + 1);       // odd: write in progress
    if (!bug) smp_wmb();
    WRITE_ONCE(d0, v);
    WRITE_ONCE(d1, v);
    smp_store_release(seq, s + 2);  // even: stable
  }

  void read() {
    for (int attempt = 0; attempt < 3; ++attempt) {
      unsigned s1 = smp_load_acquire(seq);
      int v0 = READ_ONCE(d0);
      int v1 = READ_ONCE(d1);
      smp_rmb();
      unsigned s2 = READ_ONCE(seq);
      if (s1 == s2 && s1 % 2 == 0) {
        oracle(v0 == v1, "torn_read", "seq %u stable but read d0=%d d1=%d", s1, v0, v1);
        return;
      }
    }  // gave up after 3 attempts
  }
};
}  // namespace

void seqlock_body(bool bug) {
  Seqlock s;
  s.bug = bug;
  parallel(
      [&] {  // writer
        for (int i = 1; i <= 2; ++i) s.write(i);
      },
      [&] {  // reader
        for (int i = 1; i <= 2; ++i) s.read();
      });
}

// Lost update: two threads increment a counter twice each; the total must be 4.
void lost_update_body(bool bug) {
  atomic_t counter{0, "counter"};
  auto inc = [&] {
    for (int i = 0; i < 2; ++i) {
      if (bug) {
        int v = atomic_read(counter);
        atomic_set(counter, v + 1);
      } else {
        atomic_inc(counter);
      }
    }
  };
  parallel(inc, inc);
  oracle(counter.peek() == 4, "lost_update", "counter is %d after four increments", counter.peek());
}

// The vmalloc info cache with two generation counters, as bench/relacy/vmalloc_cache.cpp writes it
// for Relacy: one mutator changes the state twice under area_lock and bumps gen; two readers call
// get_info twice each; after the joins a fresh call must see the final state. Versions 1..3 satisfy
// used == version, largest == 10 * version; the empty cache {0, 0} matches none. bug: gen starts
// at 0 like cache_gen, so the empty cache looks valid.
namespace {
struct Info {
  int used, largest;
};

struct VmallocCache {
  explicit VmallocCache(bool bug) : gen(bug ? 0 : 1, "gen") {}
  atomic_t gen;
  shared<int> cache_gen{0, "cache_gen"}, cache_used{0, "cache.used"}, cache_largest{0, "cache.largest"};
  spinlock_t info_lock{"info_lock"}, area_lock{"area_lock"};
  var<int> version{1, "version"}, used{1, "used"}, largest{10, "largest"};  // under area_lock

  void mutate() {
    spin_lock(area_lock);
    version.store(version.load() + 1);
    used.store(used.load() + 1);
    largest.store(version.load() * 10);
    atomic_inc(gen);
    spin_unlock(area_lock);
  }

  Info get_info() {
    int cg = READ_ONCE(cache_gen);
    smp_rmb();
    Info v{READ_ONCE(cache_used), READ_ONCE(cache_largest)};
    smp_rmb();
    int g = atomic_read(gen);
    if (cg == g) return v;
    spin_lock(area_lock);
    v = Info{used.load(), largest.load()};
    spin_unlock(area_lock);
    spin_lock(info_lock);
    if (g - READ_ONCE(cache_gen) > 0) {
      smp_wmb();  // as the Relacy test's release fence before the words (C++ needs it; LKMM does not)
      WRITE_ONCE(cache_used, v.used);
      WRITE_ONCE(cache_largest, v.largest);
      smp_wmb();
      WRITE_ONCE(cache_gen, g);
    }
    spin_unlock(info_lock);
    return v;
  }
};
bool valid(Info v) { return v.used >= 1 && v.used <= 3 && v.largest == 10 * v.used; }
}  // namespace

void vmalloc_cache_body(bool bug) {
  VmallocCache c(bug);
  auto reader = [&] {
    for (int i = 0; i < 2; ++i) {
      Info v = c.get_info();
      oracle(valid(v), "stale_info", "get_vmalloc_info returned {%d, %d}, the info of no version", v.used, v.largest);
    }
  };
  parallel(
      [&] {  // mutator
        for (int i = 0; i < 2; ++i) c.mutate();
      },
      reader, reader);
  Info v = c.get_info();
  oracle(v.used == 3 && v.largest == 30, "stale_info", "after the joins get_vmalloc_info returned {%d, %d}, not {3, 30}",
         v.used, v.largest);
}

}  // namespace sf::bench
