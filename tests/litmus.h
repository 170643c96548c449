// tests/litmus.h: declare a litmus test (threads, exists clause, verdict per memory mode) and search for its outcome.
//
// A litmus test is a handful of model threads P0..Pn over the shared cells of `Mem`; each thread
// keeps what it read in ghost registers (m.r[P][i] is herd7's "P:ri"), which are ordinary memory
// of the test, never a schedule point. The body spawns the threads, joins them, and evaluates the
// exists clause on the registers and the final values (peek: the last store in modification
// order); when it holds, it reports `sf::oracle(false, "outcome", ...)`, so sf::explore() stops at
// the first execution that shows it.
#pragma once
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "schedfuzz/bounded_source.h"
#include "schedfuzz/engine.h"
#include "schedfuzz/fuzz_bytes_source.h"
#include "schedfuzz/random_source.h"
#include "schedfuzz/schedfuzz.h"
#include "schedfuzz/trace.h"
#include "schedules/explore.h"

namespace sf::litmus {

enum class Verdict : uint8_t { never, sometimes };
inline const char* verdict_name(Verdict v) { return v == Verdict::never ? "Never" : "Sometimes"; }

// What each memory mode must show: only SC outcomes under sc, x86-TSO under tso (kernel
// primitives as x86 implements them: every locked instruction is a full fence), and the verdict of
// herd7 with tools/memory-model/linux-kernel.cat under lkmm.
struct Expect {
  Verdict sc, tso, lkmm;
  Verdict in(MemoryMode m) const { return m == MemoryMode::sc ? sc : m == MemoryMode::tso ? tso : lkmm; }
};

inline constexpr int kProcs = 4;  // P0..P3 (the body is thread 0, so at most 5 model threads)
inline constexpr int kRegs = 3;

// The shared state of one execution: every test uses the cells it needs. Created inside the body,
// so each execution gets fresh locations.
struct Mem {
  shared<int> x{0, "x"}, y{0, "y"}, z{0, "z"};
  shared<shared<int>*> p{&z, "p"};  // a pointer cell for rcu_assign_pointer/rcu_dereference; starts at &z
  atomic_t a{0, "a"}, b{0, "b"};
  spinlock_t s{"s"}, t{"t"};
  int r[kProcs][kRegs];  // ghost registers; -1: never written
  Mem() {
    for (auto& row : r)
      for (int& v : row) v = -1;
  }
};

using Proc = void (*)(Mem&);
using Exists = bool (*)(const Mem&);

struct Case {
  std::string name;   // herd7-style shape name, e.g. "MP+wmb+rmb"
  Expect expect;
  std::vector<Proc> procs;
  Exists exists;
  std::string exists_text;  // the exists clause in herd7 syntax, for messages
  std::string basis;        // where the verdicts come from (a herd7 test name or a derivation)
  // Non-empty: under lkmm the engine is known not to produce this LKMM-allowed outcome; why.
  std::string lkmm_gap = {};
};

// The model body of one execution of `c` (arg: the Case).
inline void run_case(void* arg) {
  const Case& c = *static_cast<const Case*>(arg);
  Mem m;
  thread ts[kProcs];
  for (size_t i = 0; i < c.procs.size(); ++i) {
    Proc f = c.procs[i];
    Mem* mp = &m;
    ts[i] = spawn([f, mp] { f(*mp); });
  }
  for (size_t i = 0; i < c.procs.size(); ++i) join(ts[i]);
  if (c.exists(m)) oracle(false, "outcome", "%s: exists (%s) holds", c.name.c_str(), c.exists_text.c_str());
}

// Stand-in for libFuzzer: every execution reads a fresh block of bytes from a SplitMix64 stream
// through a FuzzBytesSource (option = byte % n; past the block's end, option 0).
class ByteStreamSource final : public ChoiceSource {
 public:
  explicit ByteStreamSource(uint64_t seed) : rng_{seed} {}
  void begin_execution() override {
    for (size_t i = 0; i < kBytes; i += 8) {
      uint64_t w = rng_.next();
      std::memcpy(buf_ + i, &w, 8);
    }
    src_.emplace(buf_, kBytes);
  }
  uint32_t choose(ChoiceKind kind, uint32_t n) override { return src_->choose(kind, n); }

 private:
  static constexpr size_t kBytes = 64;
  SplitMix64 rng_;
  uint8_t buf_[kBytes] = {};
  std::optional<FuzzBytesSource> src_;
};

struct Search {
  bool found = false;     // the exists clause held in some execution
  bool other = false;     // some execution failed for another reason (deadlock, engine limit, ...)
  bool complete = false;  // the source ran out of executions to try (an exhaustive search finished)
  uint64_t executions = 0;
  std::string message;    // of the failing execution
  std::string trace;      // of the failing execution, one line per step
};

// Runs `c` under `mode` with `src` until its outcome shows or `budget` executions have run.
inline Search search(Engine& engine, const Case& c, MemoryMode mode, ChoiceSource& src, uint64_t budget) {
  RunOptions o;
  o.memory = mode;
  ExploreResult r = explore(engine, &run_case, const_cast<Case*>(&c), src, o, ExploreBudget{budget, 0});
  Search s;
  s.executions = r.executions;
  s.complete = r.exhausted;
  if (!r.divergence.empty()) {
    s.other = true;
    s.message = "divergence: " + r.divergence;
  }
  if (r.found) {
    s.found = r.outcome.failure_name() == "outcome";
    s.other = !s.found;
    s.message = r.outcome.failure_name() + ": " + r.outcome.message;
    s.trace = render_trace(engine.trace());  // explore() replayed the failing execution with the trace on
  }
  return s;
}

}  // namespace sf::litmus
