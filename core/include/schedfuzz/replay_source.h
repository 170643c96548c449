// schedfuzz/replay_source.h: ReplaySource, answers with a recorded decision list and says where a
// replay stops matching the execution.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "schedfuzz/choice.h"
#include "schedfuzz/trace.h"

namespace sf {

// Strict (the default): any mismatch of kind or option count is a divergence. Lenient: a decision
// that does not fit is bent to fit (its choice modulo the options; 0 for another kind), which is
// what minimization and "replay this bug's schedule on the correct form" need.
class ReplaySource final : public ChoiceSource {
 public:
  explicit ReplaySource(std::vector<Decision> d, bool lenient = false)
      : decisions_(std::move(d)), lenient_(lenient) {
    wants_option_tids = false;
  }
  void begin_execution() override {
    pos_ = 0;
    error_.clear();
  }
  uint32_t choose(ChoiceKind kind, uint32_t n) override {
    if (!error_.empty()) return 0;
    if (pos_ >= decisions_.size()) {
      // Past the end: the default, as for exhausted fuzz input. Not a divergence: a minimized
      // schedule may drop its tail of zeros.
      ++pos_;
      return 0;
    }
    const Decision& d = decisions_[pos_];
    if (lenient_) {
      ++pos_;
      return d.kind == kind ? d.chosen % n : 0;
    }
    if (d.kind != kind || d.options != n || d.chosen >= n) {
      char buf[200];
      std::snprintf(buf, sizeof buf,
                    "replay diverged at decision %zu: the schedule has %c %u/%u, the execution asks %c with %u options",
                    pos_, kChoiceLetters[static_cast<int>(d.kind)], d.chosen, d.options,
                    kChoiceLetters[static_cast<int>(kind)], n);
      error_ = buf;
      return 0;
    }
    ++pos_;
    return d.chosen;
  }
  const char* divergence() const override { return error_.empty() ? nullptr : error_.c_str(); }

 private:
  std::vector<Decision> decisions_;
  bool lenient_ = false;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace sf
