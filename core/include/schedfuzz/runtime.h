// schedfuzz/runtime.h: the narrow entry points the public facade calls into the engine.
// Model code never calls these directly; it uses schedfuzz/schedfuzz.h.
#pragma once
#include <cstddef>
#include <cstdint>
#include <source_location>

namespace sf {
enum class Op : uint8_t {
#define X(e, name) e,
#include "schedfuzz/ops.def"
#undef X
};
}

namespace sf::rt {

using Where = std::source_location;

// Orderings the engine distinguishes. `full` = as if smp_mb() before and after.
enum class Order : uint8_t { relaxed, acquire, release, full };
enum class RmwOp : uint8_t { add, sub, bit_or, bit_and, bit_xor, xchg };
enum class Fence : uint8_t { rmb, wmb, mb };
enum class LocKind : uint8_t { value, pointer };

uint32_t new_location(const char* name, uint64_t init, LocKind kind);
// load, store, rmw and fence call through `access_entries`, which the backend sets: the engine
// points it at the code for the run in progress (its lane, core/src/engine_impl.h), so that an
// access from model code is one indirect call with no test of the mode before it, and outside of
// any execution at entries that abort with a message; the native backend at its std::atomic code.
struct AccessEntries {
  uint64_t (*load)(uint32_t loc, Order o, const Where& w);
  void (*store)(uint32_t loc, uint64_t v, Order o, const Where& w);
  uint64_t (*rmw)(uint32_t loc, RmwOp op, uint64_t arg, Order o, const Where& w);
  void (*fence)(Fence f, const Where& w);
};
extern const AccessEntries* access_entries;
inline uint64_t load(uint32_t loc, Order o, const Where& w) { return access_entries->load(loc, o, w); }
inline void store(uint32_t loc, uint64_t v, Order o, const Where& w) { access_entries->store(loc, v, o, w); }
inline uint64_t rmw(uint32_t loc, RmwOp op, uint64_t arg, Order o, const Where& w) {
  return access_entries->rmw(loc, op, arg, o, w);
}
// On success returns true; on failure stores the value seen in *expected (no ordering).
bool cmpxchg(uint32_t loc, uint64_t* expected, uint64_t desired, Order o, const Where& w);
inline void fence(Fence f, const Where& w) { access_entries->fence(f, w); }
// Outside of any execution (native code calling into a facade object by mistake) these abort.
uint64_t peek(uint32_t loc);  // for oracles: the value the caller would read (tso: its own buffered store first), no schedule point

uint32_t new_var(const char* name, LocKind kind);
void var_access(uint32_t var, bool is_write, uint64_t shown, const Where& w);

uint32_t new_lock(const char* name);
void lock(uint32_t lk, const Where& w);
bool trylock(uint32_t lk, const Where& w);
void unlock(uint32_t lk, const Where& w);
bool lock_held(uint32_t lk);

void rcu_read_lock(const Where& w);
void rcu_read_unlock(const Where& w);
void synchronize_rcu(const Where& w);

void cpu_relax(const Where& w);
void park(const Where& w);
void unpark(uint32_t tid, const Where& w);

using TaskFn = void (*)(void* storage);
// `storage` holds a callable of at most kTaskBytes constructed by the caller through `prepare_spawn`;
// `destroy` may be nullptr (a callable with a trivial destructor).
void* prepare_spawn(TaskFn invoke, TaskFn destroy);
uint32_t commit_spawn(const Where& w);
void join(uint32_t tid, const Where& w);
uint32_t self();

void* alloc_block(std::size_t size, std::size_t align, const char* name, void (*destroy)(void*), const Where& w);
void block_constructed();
void free_block(void* p, const Where& w);
bool block_alive(const void* p);
void touch_block(const void* p, const Where& w);  // use-after-free check

// Ghost happens-before: a stamp of "now" in the current thread, and whether a stamp taken earlier
// happens-before the current point (under sc: precedes it in the global order). No schedule point,
// no synchronization.
struct Stamp {
  uint32_t tid = 0, epoch = 0, step = 0;
};
Stamp ghost_now();
bool ghost_happened_before(const Stamp& s);
bool weak_memory();  // the execution runs under tso or lkmm

[[noreturn]] void fail(bool is_oracle, const char* oracle, const char* message, const Where& w);
// fail() with a printf-style message (core/src/message_format.cpp).
[[noreturn]] void fail_format(bool is_oracle, const char* oracle, const Where& w, const char* fmt, ...);
void note(const char* text);  // a line in the trace, no schedule point
}  // namespace sf::rt
