// schedules/minimize.cpp: greedy schedule minimization: first zero whole chunks of decisions
// (halving the chunk size, as delta debugging does), then single decisions, each time keeping the
// candidate only if it still fails the same way. Replays are lenient: a decision that no longer
// fits the execution is bent to fit, and the schedule the engine then records is the new one.
#include "schedules/minimize.h"

#include "schedfuzz/replay_source.h"

namespace sf {

uint32_t count_preemptions(const std::vector<Decision>& d) {
  uint32_t n = 0;
  for (const Decision& x : d) n += x.chosen != 0 && x.kind != ChoiceKind::next;
  return n;
}

namespace {

// Replays a schedule by thread identity: a thread decision runs the thread it ran when recorded
// (if it can run now), so removing one preemption does not change what the later ones mean.
// A thread decision with no thread (0xff) means "keep the current thread".
class PickReplaySource final : public ChoiceSource {
 public:
  explicit PickReplaySource(const std::vector<Decision>& d) : d_(d) {}
  uint32_t choose(ChoiceKind kind, uint32_t n) override {
    if (pos_ >= d_.size()) return 0;
    const Decision& x = d_[pos_++];
    if (kind == ChoiceKind::thread || kind == ChoiceKind::next) {
      if (x.tid == 0xff || !option_tids_) return 0;
      for (uint32_t i = 0; i < option_count_; ++i) {
        if (option_tids_[i] == x.tid) return i;
      }
      return 0;
    }
    return x.kind == kind ? x.chosen % n : 0;
  }

 private:
  const std::vector<Decision>& d_;
  size_t pos_ = 0;
};

struct Trial {
  Engine& engine;
  Body body;
  void* arg;
  RunOptions opts;
  std::string token;
  uint32_t runs = 0;

  // Runs `cand` by thread identity; on the same failure returns true and the recorded schedule.
  bool same_failure(const std::vector<Decision>& cand, std::vector<Decision>* recorded, Outcome* out) {
    ++runs;
    PickReplaySource src(cand);
    Outcome o = engine.run(body, arg, src, opts);
    if (!o.failed() || o.failure_name() != token) return false;
    *recorded = engine.decisions();
    *out = o;
    return true;
  }
};

// Drops trailing decisions whose choice is the default: replay past the end gives the default.
void trim(std::vector<Decision>* d) {
  while (!d->empty() && d->back().chosen == 0) d->pop_back();
}

// The candidate without decision k's deviation: keep the current thread, read the newest store,
// flush nothing. A forced pick (next) has no default worth trying and is left alone.
bool make_default(std::vector<Decision>* d, size_t k) {
  Decision& x = (*d)[k];
  if (x.chosen == 0 || x.kind == ChoiceKind::next) return false;
  x.chosen = 0;
  x.tid = 0xff;
  return true;
}

}  // namespace

MinimizeResult minimize(Engine& engine, Body body, void* arg, const std::vector<Decision>& failing,
                        const RunOptions& opts, uint32_t max_runs) {
  RunOptions fast = opts;
  fast.record_events = false;
  Trial t{engine, body, arg, fast, "", 0};
  MinimizeResult r;
  r.preemptions_before = count_preemptions(failing);
  {
    ReplaySource src(failing);  // strict: records the thread of every pick
    const Outcome& o = engine.run(body, arg, src, fast);
    r.runs = 1;
    if (!o.failed()) {  // nothing to keep: give the input back
      r.decisions = failing;
      r.outcome = o;
      return r;
    }
    t.token = o.failure_name();
    r.outcome = o;
  }
  std::vector<Decision> best = engine.decisions();  // with the thread each pick ran
  trim(&best);
  std::vector<Decision> rec;
  Outcome out;
  // Chunks: zero [i, i+len) for len = n/2, n/4, ..., 2.
  for (size_t len = best.size() / 2; len >= 2 && t.runs < max_runs; len /= 2) {
    for (size_t i = 0; i + len <= best.size() && t.runs < max_runs; i += len) {
      bool any = false;
      std::vector<Decision> cand = best;
      for (size_t k = i; k < i + len; ++k) any |= make_default(&cand, k);
      if (!any) continue;
      if (t.same_failure(cand, &rec, &out) && count_preemptions(rec) < count_preemptions(best)) {
        best = rec;
        trim(&best);
        r.outcome = out;
      }
    }
  }
  // Single decisions, to a fixed point: from the end, where late preemptions tend to be noise.
  for (bool changed = true; changed && t.runs < max_runs;) {
    changed = false;
    for (size_t i = best.size(); i-- > 0 && t.runs < max_runs;) {
      if (i >= best.size()) continue;
      std::vector<Decision> cand = best;
      if (!make_default(&cand, i)) continue;
      if (t.same_failure(cand, &rec, &out) && count_preemptions(rec) < count_preemptions(best)) {
        best = rec;
        trim(&best);
        r.outcome = out;
        changed = true;
      }
    }
  }
  // Canonical form: the strict replay of what we keep must give the same failure.
  ReplaySource strict(best);
  Outcome final_o = engine.run(body, arg, strict, opts);
  ++t.runs;
  if (strict.divergence() || final_o.failure_name() != t.token ||
      count_preemptions(best) > r.preemptions_before) {
    best = failing;  // keep the original rather than a schedule that lies or is not smaller
    ReplaySource orig(best);
    final_o = engine.run(body, arg, orig, opts);
  }
  r.decisions = best;
  r.outcome = final_o;
  r.preemptions_after = count_preemptions(best);
  r.runs = t.runs + 1;
  return r;
}

}  // namespace sf
