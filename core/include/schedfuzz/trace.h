// schedfuzz/trace.h: Event and Decision, the record of one execution, and their rendering.
#pragma once
#include <cstdint>
#include <source_location>
#include <string>
#include <vector>

#include "schedfuzz/choice.h"
#include "schedfuzz/runtime.h"

namespace sf {

inline constexpr uint32_t kNoObject = 0xffffffffu;
inline constexpr uint32_t kNoStep = 0xffffffffu;

// One step of an execution. `obj` is the id of the location, variable, lock, block or thread the
// operation touched (its kind follows from `op`).
struct Event {
  uint32_t step = 0;
  uint32_t obj = kNoObject;
  uint64_t value = 0;       // value read or written (for an RMW: the new value)
  uint64_t old_value = 0;   // for an RMW and cmpxchg: the value read
  uint32_t rf_step = kNoStep;  // for a load: the step of the store it read (kNoStep: the initial value)
  uint8_t tid = 0;
  Op op = Op::spawn;
  bool stale = false;       // a load that read a store already overwritten in modification order
  bool is_pointer = false;  // value is an address: rendered as a heap block, hashed by block id
  uint32_t note = kNoObject;  // index into Trace::notes, for model notes
  std::source_location where;
};

struct Decision {
  ChoiceKind kind = ChoiceKind::thread;
  uint32_t options = 0;
  uint32_t chosen = 0;
  uint8_t tid = 0xff;  // thread and next: the thread the choice ran (not saved: derived on replay)
};

// What a renderer needs besides the events: object names in creation order.
struct Trace {
  std::vector<Event> events;
  std::vector<std::string> notes;
  std::vector<std::string> location_names;
  std::vector<std::string> var_names;
  std::vector<std::string> lock_names;
  std::vector<std::string> block_names;
  std::vector<uintptr_t> block_addrs;
  std::vector<uint32_t> block_sizes;
};

std::string_view op_name(Op op);
// One line per step: step, thread, operation, object, value, reads-from, file:line.
std::string render_event(const Trace& t, const Event& e);
// Its parts: the operation with its object, value and reads-from; the source file:line ("" if none).
std::string render_operation(const Trace& t, const Event& e);
std::string render_where(const Event& e);
std::string render_trace(const Trace& t);
// A hash of what happened (threads, operations, objects, values), independent of addresses.
uint64_t trace_hash(const Trace& t);

}  // namespace sf
