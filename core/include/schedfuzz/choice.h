// schedfuzz/choice.h: ChoiceSource, the one funnel for every nondeterministic decision.
#pragma once
#include <cstdint>

#include "schedfuzz/splitmix64.h"
#include "schedfuzz/trial_stream.h"

namespace sf {

// What a decision is about. Option 0 is always the default, so that an exhausted or all-zero input
// gives the plain sequential run: keep the current thread, read the newest store, flush nothing.
enum class ChoiceKind : uint8_t {
  thread = 0,  // may the current thread be preempted? 0 = keep it; k = the k-th other runnable one
  next = 1,    // the current thread cannot go on (blocked, finished, cpu_relax): which one runs
  read = 2,    // which store a load reads (0 = the newest one it may read)
  flush = 3,   // TSO: which store buffer drains next (0 = none, keep executing)
  store = 4,   // lkmm: where a store goes in modification order (0 = last; k = before the k-th newest)
};
inline constexpr uint32_t kChoiceKinds = 5;
inline constexpr char kChoiceLetters[kChoiceKinds] = {'T', 'N', 'R', 'F', 'W'};

class ChoiceSource {
 public:
  virtual ~ChoiceSource() = default;
  // Called once before each execution.
  virtual void begin_execution() {}
  // An option in [0, n), n >= 2. Called only when there is a real choice.
  virtual uint32_t choose(ChoiceKind kind, uint32_t n) = 0;
  // Called by the exploration loop (explore()) after each execution; a source that has nothing
  // left to try (a finished exhaustive search) then says so with exhausted().
  virtual void end_execution() {}
  virtual bool exhausted() const { return false; }
  // A replay that no longer matches the execution says why here (nullptr: all is well).
  virtual const char* divergence() const { return nullptr; }
  // False: this source keeps the three defaults above (nothing, false, nullptr), and the
  // exploration loop skips the calls (three indirect calls of a small execution's 100 ns).
  bool loop_hooks = true;
  // A source that sets `rewindable` can repeat its last execution: after rewind(), the next
  // begin_execution() and choices are those of the last one again. explore() uses it to run
  // without recording decisions, and records them by running a failing execution once more.
  bool rewindable = false;
  virtual void rewind() {}

  // Before a thread or next choice the engine tells which thread each option runs (option 0 first).
  // Sources that think in threads rather than options (PCT, minimization) read it; a source that
  // does not clears wants_option_tids, and the engine skips listing them.
  bool wants_option_tids = true;
  // True while the engine asks for a `next` choice because the current thread yielded
  // (cpu_relax): option 0 is the next runnable thread in turn, which is what a fair scheduler
  // would run; a search may count another answer as a preemption, so that a spin loop cannot
  // branch forever. It changes neither the options nor what they mean.
  bool at_yield = false;
  void set_options(const uint8_t* tids, uint32_t n) {
    option_tids_ = tids;
    option_count_ = n;
  }

  // Fast path, for sources whose default answers come in runs (RandomSource): the engine answers
  // the next `stay_run` thread choices and the next `newest_run` read, flush and store choices with
  // option 0 itself, without calling choose(); it records them like any other decision. A source
  // that must see every choice (replay, PCT, fuzz bytes) leaves both at 0.
  uint32_t stay_run = 0;
  uint32_t newest_run = 0;
  // A source whose `next` answers are uniform may point this at its generator: the engine then
  // draws them with uniform_next->below(n), exactly as such a choose() would, without the call.
  SplitMix64* uniform_next = nullptr;
  // A source whose thread choices come from RandomTrials::preempt over stay_run (trial_stream.h)
  // may point this at its RandomTrials: the engine then makes the choice after a run itself,
  // exactly as such a choose() would, without the virtual call.
  RandomTrials* random_trials = nullptr;

 protected:
  const uint8_t* option_tids_ = nullptr;
  uint32_t option_count_ = 0;
};

}  // namespace sf
