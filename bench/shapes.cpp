// bench/shapes.cpp: SB, MP, seqlock and lost-update models for sf_bench, mirroring bench/relacy/*.cpp.
#include "bench/shapes.h"

#include "schedfuzz/schedfuzz.h"

namespace sf::bench {

// Store buffering: each thread stores 1 to its own location, then loads the other's. Both loads
// reading 0 needs store->load reordering, which smp_mb() forbids.
void sb_body(bool bug) {
  shared<int> x{0, "x"}, y{0, "y"};
  int r0 = -1, r1 = -1;
  thread a = spawn([&] {
    WRITE_ONCE(x, 1);
    if (!bug) smp_mb();
    r0 = READ_ONCE(y);
  });
  thread b = spawn([&] {
    WRITE_ONCE(y, 1);
    if (!bug) smp_mb();
    r1 = READ_ONCE(x);
  });
  join(a);
  join(b);
  oracle(!(r0 == 0 && r1 == 0), "sb_both_zero", "both loads read 0: the stores were reordered after the loads");
}

// Message passing: the reader must see the data once it sees the flag.
void mp_body(bool bug) {
  shared<int> data{0, "data"}, flag{0, "flag"};
  thread writer = spawn([&] {
    WRITE_ONCE(data, 1);
    if (bug) {
      WRITE_ONCE(flag, 1);
    } else {
      smp_store_release(flag, 1);
    }
  });
  thread reader = spawn([&] {
    int f = bug ? READ_ONCE(flag) : smp_load_acquire(flag);
    if (f == 1) {
      int d = READ_ONCE(data);
      oracle(d == 1, "stale_data", "saw the flag but read data %d", d);
    }
  });
  join(writer);
  join(reader);
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
  thread writer = spawn([&] {
    for (int i = 1; i <= 2; ++i) s.write(i);
  });
  thread reader = spawn([&] {
    for (int i = 1; i <= 2; ++i) s.read();
  });
  join(writer);
  join(reader);
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
  thread a = spawn(inc);
  thread b = spawn(inc);
  join(a);
  join(b);
  oracle(counter.peek() == 4, "lost_update", "counter is %d after four increments", counter.peek());
}

}  // namespace sf::bench
