// schedules/schedule_file.h: ScheduleFile, the saved form of a failing execution: the decision
// list (not the fuzz bytes), with the target, variant, memory mode and the failure it produced.
//
// Format (text, one item per line, '#' starts a comment):
//   schedfuzz-schedule v3          (v1: recorded when var<T> accesses and joins were schedule
//                                   points, v2: when joins were; still read, and replayed with
//                                   those points: schedule_run_options())
//   target vmalloc_cache
//   variant both_zero
//   memory sc
//   max-steps 20000
//   expect stale_info            (the failure kind a replay must reproduce; "pass" for none)
//   trace-hash 0x0123456789abcdef
//   decisions 3
//   T 3 0                        (kind letter, options, chosen: T thread, N next, R read, F flush,
//                                 W store position)
//   R 2 1
//   N 2 1
//   end
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "schedfuzz/engine.h"
#include "schedfuzz/outcome.h"
#include "schedfuzz/trace.h"

namespace sf {

// A whole number as schedule files write it: decimal, or hexadecimal after 0x; false if it is not
// one or does not fit in 64 bits (the command line reads seeds with it too).
bool parse_u64(std::string_view s, uint64_t* out);

// The format written; v1 and v2 files are still read.
inline constexpr uint32_t kScheduleVersion = 3;

struct ScheduleFile {
  uint32_t version = kScheduleVersion;
  std::string target;
  std::string variant;
  MemoryMode memory = MemoryMode::sc;
  uint32_t max_steps = 0;
  std::string expect;  // failure name, or "pass"
  uint64_t trace_hash = 0;
  std::string message;  // the failure's message, kept as a comment
  std::vector<Decision> decisions;
};

std::string format_schedule(const ScheduleFile& s);
// The run options a replay of `s` needs (memory mode, step limit, the choice points of its version),
// and the version a schedule recorded under `opts` gets.
RunOptions schedule_run_options(const ScheduleFile& s);
uint32_t schedule_version_for(const RunOptions& opts);
// On error returns false and sets `error` to one line naming the problem (with its line number).
bool parse_schedule(std::string_view text, ScheduleFile* out, std::string* error);
bool read_schedule_file(const std::string& path, ScheduleFile* out, std::string* error);
// Writes to a temporary file and renames it into place: never a half-written schedule.
bool write_file_atomically(const std::string& path, const std::string& content, std::string* error);

}  // namespace sf
