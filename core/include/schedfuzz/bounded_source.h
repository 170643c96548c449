// schedfuzz/bounded_source.h: BoundedSource, bounded exhaustive search. Every execution with at
// most P preemptions and at most M non-default memory choices runs, in depth-first order, with
// iterative deepening on P (all executions with 0 preemptions, then with at most 1, ...), so the
// first failure found has the fewest preemptions any failure within the bounds has. Each pass runs
// the executions of the passes before it again (the search keeps no tree, only a path), which costs
// little: most executions within P preemptions have exactly P.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "schedfuzz/choice.h"

namespace sf {

// Stateless search, as in CHESS (Musuvathi and Qadeer, PLDI'07 for the bounding): the source keeps
// only the path of the current execution, each decision with the options it had. After an
// execution, the deepest decision that can take its next option within the bounds does, the
// decisions after it are forgotten, and the next execution replays the path up to it, then takes
// option 0 wherever it is asked something new. Determinism of the model is what makes the replay
// land on the same decisions; a replay that does not is reported as a divergence.
//
// What counts: a preemption is a thread decision that switches away from a thread that could go
// on, or a `next` decision after a yield (cpu_relax) that does not run the next thread in turn
// (else two spinning threads could hand over to each other forever, and the tree be infinite); a
// `next` decision because the current thread blocked or ended is free. A memory choice is
// a non-default read (an older store), store position (lkmm) or early buffer flush (tso).
// Without partial-order reduction, interleavings that differ only in the order of independent steps
// all run: the number of executions grows with the number of schedule points to the power P.
class BoundedSource final : public ChoiceSource {
 public:
  static constexpr uint32_t kUnbounded = 0xffffffffu;
  // With max_preemptions = kUnbounded there is no deepening: one pass runs every execution once.
  BoundedSource(uint32_t max_preemptions, uint32_t max_memory_choices)
      : max_preemptions_(max_preemptions), max_memory_(max_memory_choices),
        level_(max_preemptions == kUnbounded ? kUnbounded : 0) {
    wants_option_tids = false;
  }

  // Splits the search among `shares` processes. A path's owner is decided where it takes its k-th
  // non-default option: this share skips the subtrees whose first k non-default decisions hash to
  // another share, without running them. The executions with fewer than k non-default decisions
  // are run by every share; the union of the shares is the whole search. k is 2 when both bounds
  // are set (a path has at most P + M non-default decisions, so deeper splits would leave most
  // paths shared), 4 when a bound is off (the first subtrees of an unbounded tree are huge: at
  // k = 2 one of them held half of a small test's executions).
  void split(uint32_t share, uint32_t shares) {
    share_ = share;
    shares_ = shares < 1 ? 1 : shares;
    split_at_ = max_preemptions_ == kUnbounded || max_memory_ == kUnbounded ? 4 : 2;
  }

  void begin_execution() override {
    pos_ = 0;
    preemptions_ = memory_ = 0;
  }

  uint32_t choose(ChoiceKind kind, uint32_t n) override {
    if (!error_.empty()) return 0;
    if (pos_ < path_.size()) {  // replaying the path to the branch being explored
      const Branch& b = path_[pos_];
      if (b.kind != kind || b.options != n) {
        char buf[200];
        std::snprintf(buf, sizeof buf,
                      "the model is not deterministic: replaying decision %zu of a path asked %c with %u options, "
                      "the first run asked %c with %u",
                      pos_, kChoiceLetters[static_cast<int>(kind)], n, kChoiceLetters[static_cast<int>(b.kind)],
                      b.options);
        error_ = buf;
        return 0;
      }
      ++pos_;
      count(b, b.chosen);
      return b.chosen;
    }
    path_.push_back(Branch{kind, at_yield, n, 0, preemptions_, memory_});
    ++pos_;
    return 0;
  }

  // Called by the exploration loop after each execution: moves to the next path.
  void end_execution() override {
    if (!error_.empty()) return;
    path_.resize(pos_ < path_.size() ? pos_ : path_.size());
    while (!path_.empty()) {
      Branch& b = path_.back();
      if (b.chosen + 1 < b.options && allowed(b)) {
        ++b.chosen;
        if (mine()) return;
        continue;  // another share's subtree: on to the next option
      }
      path_.pop_back();
    }
    ++levels_done_;
    // A pass that refused no preemption ran every execution there is: deeper passes add nothing.
    if (level_ < max_preemptions_ && preemption_bound_hit_) {
      ++level_;  // the next execution starts a fresh tree with one more preemption allowed
      preemption_bound_hit_ = false;
    } else {
      done_ = true;
    }
  }
  bool exhausted() const override { return done_ || !error_.empty(); }
  const char* divergence() const override { return error_.empty() ? nullptr : error_.c_str(); }

  // The preemption bound of the pass in progress, and how many passes (0, 1, ... preemptions) are
  // complete: all of them when exhausted() without a divergence.
  uint32_t level() const { return level_; }
  uint32_t levels_done() const { return levels_done_; }
  // Whether a bound left some execution out: the last pass refused a preemption (then a larger
  // bound would run more executions), or some memory choice was refused.
  bool preemption_bound_hit() const { return preemption_bound_hit_; }
  bool memory_bound_hit() const { return memory_bound_hit_; }

 private:
  struct Branch {
    ChoiceKind kind;
    bool at_yield;  // a `next` decision after cpu_relax
    uint32_t options;
    uint32_t chosen;
    uint32_t preemptions_before;  // in the path before this decision
    uint32_t memory_before;
  };
  static bool is_memory(ChoiceKind k) { return k == ChoiceKind::read || k == ChoiceKind::store || k == ChoiceKind::flush; }
  // Whether the subtree the path now leads into is this share's (see split()).
  bool mine() const {
    if (shares_ == 1) return true;
    uint32_t taken = 0;
    uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a over the non-default decisions
    for (size_t i = 0; i < path_.size(); ++i) {
      if (path_[i].chosen == 0) continue;
      ++taken;
      for (uint64_t x : {uint64_t{i}, uint64_t{path_[i].chosen}}) h = (h ^ x) * 0x100000001b3ull;
    }
    if (taken != split_at_) return true;  // fewer: shared by all; more: inside a subtree already owned
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;  // mixed, so that every bit reaches the remainder
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
    return (h ^ (h >> 31)) % shares_ == share_;
  }
  static bool is_preemption(const Branch& b) {
    return b.kind == ChoiceKind::thread || (b.kind == ChoiceKind::next && b.at_yield);
  }
  void count(const Branch& b, uint32_t chosen) {
    if (chosen == 0) return;
    if (is_preemption(b)) ++preemptions_;
    if (is_memory(b.kind)) ++memory_;
  }
  // May `b` take a non-default option? (Going from option k >= 1 to k+1 adds nothing.)
  bool allowed(const Branch& b) {
    if (is_preemption(b) && b.preemptions_before >= level_) return !(preemption_bound_hit_ = true);
    if (is_memory(b.kind) && b.memory_before >= max_memory_) return !(memory_bound_hit_ = true);
    return true;
  }

  uint32_t max_preemptions_;
  uint32_t max_memory_;
  uint32_t level_;
  uint32_t levels_done_ = 0;
  bool done_ = false;
  bool preemption_bound_hit_ = false;
  bool memory_bound_hit_ = false;
  std::vector<Branch> path_;
  size_t pos_ = 0;
  uint32_t share_ = 0, shares_ = 1, split_at_ = 2;
  uint32_t preemptions_ = 0;
  uint32_t memory_ = 0;
  std::string error_;
};

}  // namespace sf
