// native/runtime.cpp: the rt:: entry points (schedfuzz/runtime.h) on real threads and real atomics,
// for ThreadSanitizer and AddressSanitizer (schedfuzz/native.h). One execution at a time per
// process; everything below is reset between executions by native::run.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>
#include <thread>
#include <unordered_map>

#include "schedfuzz/limits.h"
#include "schedfuzz/native.h"
#include "schedfuzz/runtime.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define SF_NATIVE_ASAN 1
#endif
#endif

namespace sf {
namespace {

std::atomic<uint64_t> g_cells[kMaxLocations];
std::atomic<uint32_t> g_ncells{0};
std::atomic<uint32_t> g_nvars{0};
std::atomic<bool> g_locks[kMaxLocks];
std::atomic<uint32_t> g_nlocks{0};

// Threads of the execution: slot 0 is the caller of native::run.
struct Slot {
  std::thread thread;
  alignas(16) unsigned char task[kTaskBytes];
  rt::TaskFn invoke = nullptr;
  rt::TaskFn destroy = nullptr;
  std::atomic<uint32_t> rcu_nesting{0};
  std::atomic<uint64_t> rcu_sections{0};  // odd while inside an outermost read-side section
  std::atomic<int> wake_token{0};
};
Slot g_slots[kMaxThreads];
std::atomic<uint32_t> g_nthreads{1};
std::mutex g_spawn_mutex;  // held from prepare_spawn to commit_spawn
thread_local uint32_t t_self = 0;

struct BlockInfo {
  std::size_t size;
  std::size_t align;
  void (*destroy)(void*);
  bool alive;
};
std::mutex g_heap_mutex;
std::unordered_map<const void*, BlockInfo> g_blocks;

std::memory_order order_of(rt::Order o) {
  switch (o) {
    case rt::Order::relaxed: return std::memory_order_relaxed;
    case rt::Order::acquire: return std::memory_order_acquire;
    case rt::Order::release: return std::memory_order_release;
    case rt::Order::full: return std::memory_order_seq_cst;
  }
  return std::memory_order_seq_cst;
}

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "schedfuzz native: %s\n", what);
  std::fflush(stderr);
  std::_Exit(2);
}

uint32_t next_id(std::atomic<uint32_t>& counter, uint32_t limit, const char* what) {
  uint32_t id = counter.fetch_add(1, std::memory_order_relaxed);
  if (id >= limit) die(what);
  return id;
}

}  // namespace

namespace rt {

uint32_t new_location(const char*, uint64_t init, LocKind) {
  uint32_t id = next_id(g_ncells, kMaxLocations, "more atomic locations than kMaxLocations in one execution");
  g_cells[id].store(init, std::memory_order_relaxed);
  return id;
}

static uint64_t native_load(uint32_t loc, Order o, const Where&) { return g_cells[loc].load(order_of(o)); }

static void native_store(uint32_t loc, uint64_t v, Order o, const Where&) {
  if (o == Order::full) std::atomic_thread_fence(std::memory_order_seq_cst);
  g_cells[loc].store(v, order_of(o));
  if (o == Order::full) std::atomic_thread_fence(std::memory_order_seq_cst);
}

// A fully ordered RMW is as if smp_mb() came before and after it.
static uint64_t native_rmw(uint32_t loc, RmwOp op, uint64_t arg, Order o, const Where&) {
  std::atomic<uint64_t>& c = g_cells[loc];
  std::memory_order mo = order_of(o);
  if (o == Order::full) std::atomic_thread_fence(std::memory_order_seq_cst);
  uint64_t old = 0;
  switch (op) {
    case RmwOp::add: old = c.fetch_add(arg, mo); break;
    case RmwOp::sub: old = c.fetch_sub(arg, mo); break;
    case RmwOp::bit_or: old = c.fetch_or(arg, mo); break;
    case RmwOp::bit_and: old = c.fetch_and(arg, mo); break;
    case RmwOp::bit_xor: old = c.fetch_xor(arg, mo); break;
    case RmwOp::xchg: old = c.exchange(arg, mo); break;
  }
  if (o == Order::full) std::atomic_thread_fence(std::memory_order_seq_cst);
  return old;
}

bool cmpxchg(uint32_t loc, uint64_t* expected, uint64_t desired, Order o, const Where&) {
  if (o == Order::full) std::atomic_thread_fence(std::memory_order_seq_cst);
  bool ok = g_cells[loc].compare_exchange_strong(*expected, desired, order_of(o), std::memory_order_relaxed);
  if (ok && o == Order::full) std::atomic_thread_fence(std::memory_order_seq_cst);
  return ok;
}

static void native_fence(Fence f, const Where&) {
  switch (f) {
    case Fence::rmb: std::atomic_thread_fence(std::memory_order_acquire); break;
    case Fence::wmb: std::atomic_thread_fence(std::memory_order_release); break;
    case Fence::mb: std::atomic_thread_fence(std::memory_order_seq_cst); break;
  }
}

// Every access goes straight to its std::atomic (runtime.h).
constinit const AccessEntries kNativeEntries{&native_load, &native_store, &native_rmw, &native_fence};
constinit const AccessEntries* access_entries = &kNativeEntries;

uint64_t peek(uint32_t loc) { return g_cells[loc].load(std::memory_order_relaxed); }

// Plain data: the facade reads and writes the variable itself, which the sanitizers watch.
uint32_t new_var(const char*, LocKind) { return g_nvars.fetch_add(1, std::memory_order_relaxed); }
void var_access(uint32_t, bool, uint64_t, const Where&) {}

uint32_t new_lock(const char*) {
  uint32_t id = next_id(g_nlocks, kMaxLocks, "more locks than kMaxLocks in one execution");
  g_locks[id].store(false, std::memory_order_relaxed);
  return id;
}
void lock(uint32_t lk, const Where&) {
  while (g_locks[lk].exchange(true, std::memory_order_acquire)) {
    while (g_locks[lk].load(std::memory_order_relaxed)) std::this_thread::yield();
  }
}
bool trylock(uint32_t lk, const Where&) { return !g_locks[lk].exchange(true, std::memory_order_acquire); }
void unlock(uint32_t lk, const Where&) { g_locks[lk].store(false, std::memory_order_release); }
bool lock_held(uint32_t lk) { return g_locks[lk].load(std::memory_order_relaxed); }

// RCU: a grace period waits until every thread that was inside a read-side section when it began
// has left it (its section counter moved on).
void rcu_read_lock(const Where&) {
  Slot& s = g_slots[t_self];
  if (s.rcu_nesting.fetch_add(1, std::memory_order_relaxed) == 0) s.rcu_sections.fetch_add(1, std::memory_order_seq_cst);
}
void rcu_read_unlock(const Where&) {
  Slot& s = g_slots[t_self];
  if (s.rcu_nesting.fetch_sub(1, std::memory_order_relaxed) == 1) s.rcu_sections.fetch_add(1, std::memory_order_seq_cst);
}
void synchronize_rcu(const Where&) {
  std::atomic_thread_fence(std::memory_order_seq_cst);
  uint32_t n = g_nthreads.load(std::memory_order_acquire);
  for (uint32_t t = 0; t < n; ++t) {
    if (t == t_self) continue;
    uint64_t seen = g_slots[t].rcu_sections.load(std::memory_order_seq_cst);
    if (seen % 2 == 0) continue;
    while (g_slots[t].rcu_sections.load(std::memory_order_seq_cst) == seen) std::this_thread::yield();
  }
  std::atomic_thread_fence(std::memory_order_seq_cst);
}

void cpu_relax(const Where&) { std::this_thread::yield(); }

// A token per thread: an unpark before the park is kept, as wake_up_process() before schedule().
void park(const Where&) {
  std::atomic<int>& token = g_slots[t_self].wake_token;
  while (token.exchange(0, std::memory_order_acquire) == 0) token.wait(0, std::memory_order_relaxed);
}
void unpark(uint32_t tid, const Where&) {
  std::atomic<int>& token = g_slots[tid].wake_token;
  token.store(1, std::memory_order_release);
  token.notify_one();
}

void* prepare_spawn(TaskFn invoke, TaskFn destroy) {
  g_spawn_mutex.lock();
  uint32_t tid = g_nthreads.load(std::memory_order_relaxed);
  if (tid >= kMaxThreads) die("more threads than kMaxThreads in one execution");
  g_slots[tid].invoke = invoke;
  g_slots[tid].destroy = destroy;
  return g_slots[tid].task;
}
uint32_t commit_spawn(const Where&) {
  uint32_t tid = g_nthreads.load(std::memory_order_relaxed);
  Slot& s = g_slots[tid];
  s.thread = std::thread([tid] {
    t_self = tid;
    Slot& me = g_slots[tid];
    me.invoke(me.task);
    if (me.destroy) me.destroy(me.task);
  });
  g_nthreads.store(tid + 1, std::memory_order_release);
  g_spawn_mutex.unlock();
  return tid;
}
void join(uint32_t tid, const Where&) {
  if (tid == 0 || tid >= g_nthreads.load(std::memory_order_acquire) || tid == t_self) die("join of an invalid thread");
  if (g_slots[tid].thread.joinable()) g_slots[tid].thread.join();
}
uint32_t self() { return t_self; }

// The model heap: memory is given back at the end of the execution, as in the simulator, so that
// a use after kfree() is reported by touch_block()/block_alive() rather than being undefined.
void* alloc_block(std::size_t size, std::size_t align, const char*, void (*destroy)(void*), const Where&) {
  void* p = ::operator new(size, std::align_val_t{align});
  std::lock_guard<std::mutex> g(g_heap_mutex);
  g_blocks[p] = BlockInfo{size, align, destroy, true};
  return p;
}
void block_constructed() {}
// The memory stays mapped until the end of the execution; under AddressSanitizer it is poisoned
// once freed, so that any later access through a stale pointer is reported at once.
void free_block(void* p, const Where& w) {
  if (!p) return;
  void (*destroy)(void*) = nullptr;
  std::size_t size = 0;
  {
    std::lock_guard<std::mutex> g(g_heap_mutex);
    auto it = g_blocks.find(p);
    if (it == g_blocks.end()) fail(false, nullptr, "kfree of a pointer kalloc did not return", w);
    if (!it->second.alive) fail(false, nullptr, "double free of a model heap block", w);
    it->second.alive = false;
    destroy = it->second.destroy;
    size = it->second.size;
  }
  if (destroy) destroy(p);
#ifdef SF_NATIVE_ASAN
  __asan_poison_memory_region(p, size);
#else
  (void)size;
#endif
}
bool block_alive(const void* p) {
  std::lock_guard<std::mutex> g(g_heap_mutex);
  auto it = g_blocks.find(p);
  return it != g_blocks.end() && it->second.alive;
}
void touch_block(const void* p, const Where& w) {
  if (p && !block_alive(p)) fail(false, nullptr, "use of a model heap block after kfree", w);
}

// No happens-before is tracked natively: no stamp is known to happen before now.
Stamp ghost_now() { return Stamp{t_self, 0, 0}; }
bool ghost_happened_before(const Stamp&) { return false; }
bool weak_memory() { return true; }

void fail(bool is_oracle, const char* oracle, const char* message, const Where& w) {
  const char* base = w.file_name();
  for (const char* c = base; *c; ++c)
    if (*c == '/') base = c + 1;
  std::fprintf(stderr, "schedfuzz native: FAIL kind=%s thread=T%u :: %s (%s:%u)\n",
               is_oracle && oracle ? oracle : "assertion", t_self, message, base, static_cast<unsigned>(w.line()));
  std::fflush(stderr);
  std::_Exit(1);
}

void note(const char*) {}

}  // namespace rt

namespace native {

uint64_t run(Body body, void* arg, uint64_t executions) {
  t_self = 0;
  for (uint64_t i = 0; i < executions; ++i) {
    g_ncells.store(0, std::memory_order_relaxed);
    g_nvars.store(0, std::memory_order_relaxed);
    g_nlocks.store(0, std::memory_order_relaxed);
    g_nthreads.store(1, std::memory_order_relaxed);
    for (Slot& s : g_slots) {
      s.rcu_nesting.store(0, std::memory_order_relaxed);
      s.rcu_sections.store(0, std::memory_order_relaxed);
      s.wake_token.store(0, std::memory_order_relaxed);
    }
    body(arg);
    uint32_t n = g_nthreads.load(std::memory_order_acquire);
    for (uint32_t t = 1; t < n; ++t)
      if (g_slots[t].thread.joinable()) g_slots[t].thread.join();
    std::lock_guard<std::mutex> g(g_heap_mutex);
    for (auto& [p, b] : g_blocks) {
#ifdef SF_NATIVE_ASAN
      __asan_unpoison_memory_region(p, b.size);
#endif
      ::operator delete(const_cast<void*>(p), std::align_val_t{b.align});
    }
    g_blocks.clear();
  }
  return executions;
}

}  // namespace native
}  // namespace sf
