// schedfuzz/fuzz_bytes_source.h: FuzzBytesSource, decisions read from libFuzzer's input bytes.
#pragma once
#include <cstddef>
#include <cstdint>

#include "schedfuzz/choice.h"

namespace sf {

// One byte per real decision, option = byte % n. Byte 0 is the default (no preemption, newest
// store), so mutations that flip a byte insert a preemption or a stale read, and the empty input
// is the sequential execution. Exhausted input keeps answering 0.
class FuzzBytesSource final : public ChoiceSource {
 public:
  FuzzBytesSource(const uint8_t* data, size_t size) : data_(data), size_(size) { wants_option_tids = false; }
  uint32_t choose(ChoiceKind, uint32_t n) override {
    if (pos_ >= size_) return 0;
    return data_[pos_++] % n;
  }
  size_t consumed() const { return pos_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace sf
