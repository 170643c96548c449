// schedfuzz/outcome.h: FailureKind and Outcome, what one execution ended with.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace sf {

enum class FailureKind : uint8_t {
#define X(e, name, meaning) e,
#include "schedfuzz/failure_kinds.def"
#undef X
};

std::string_view failure_kind_name(FailureKind k);
std::string_view failure_kind_meaning(FailureKind k);

enum class MemoryMode : uint8_t { sc, tso, lkmm };
std::string_view memory_mode_name(MemoryMode m);
bool parse_memory_mode(std::string_view s, MemoryMode* out);

struct Outcome {
  FailureKind kind = FailureKind::none;
  std::string oracle;   // the oracle's name when kind == oracle
  std::string message;  // one line, for people
  uint32_t step = 0;    // the step at which it failed
  uint32_t thread = 0;
  uint32_t steps = 0;      // steps executed: schedule points and plain (var<T>) accesses
  uint32_t points = 0;     // of which schedule points (where a thread may be preempted)
  uint32_t decisions = 0;  // real choices made
  uint64_t trace_hash = 0;

  bool failed() const { return kind != FailureKind::none; }
  // The name tests and `schedfuzz list` compare against: the oracle's name, else the kind's.
  std::string failure_name() const {
    return kind == FailureKind::oracle ? oracle : std::string(failure_kind_name(kind));
  }
};

}  // namespace sf
