// core/src/fiber.cpp: a hand-written x86-64 context switch (six callee-saved registers and the
// stack pointer) with the AddressSanitizer fiber annotations. Measured by bench/switch_peers
// (median of 6 runs, 5M switches): 8.7 ns against Boost.Context's 7.8 ns and swapcontext's 400 ns
// (a signal-mask syscall per switch). Kept over Boost.Context because Debian's build of it has no
// ASan hooks and its ucontext flavour does not link with them; ours carries the annotations.
#include "fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "schedfuzz/limits.h"

#ifdef SF_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#if !defined(__x86_64__)
#error "schedfuzz's fiber switch is written for x86-64"
#endif

extern "C" void sf_context_start();

// sf_context_switch(save_sp=%rdi, new_sp=%rsi): push callee-saved registers, save %rsp, load the
// other stack, pop its registers, return into it. sf_context_start: first return of a new fiber;
// %r12 holds the argument and %r13 the entry function (placed there by Fiber::init).
// sf_context_enter(save_sp=%rdi, top=%rsi, entry=%rdx, arg=%rcx): save as sf_context_switch does,
// call entry(arg) with %rsp = top (16-byte aligned, so the callee sees the ABI's alignment), then
// resume the context whose saved %rsp entry returned.
asm(R"(
  .macro sf_save_context save_sp
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (\save_sp)
  .endm
  .macro sf_resume_context new_sp
  movq \new_sp, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .endm
  .text
  .globl sf_context_switch
  .type sf_context_switch,@function
sf_context_switch:
  sf_save_context %rdi
  sf_resume_context %rsi
  .size sf_context_switch,.-sf_context_switch
  .globl sf_context_start
  .type sf_context_start,@function
sf_context_start:
  movq %r12, %rdi
  callq *%r13
  ud2
  .size sf_context_start,.-sf_context_start
  .globl sf_context_enter
  .type sf_context_enter,@function
sf_context_enter:
  sf_save_context %rdi
  movq %rsi, %rsp
  movq %rcx, %rdi
  callq *%rdx
  sf_resume_context %rax
  .size sf_context_enter,.-sf_context_enter
)");

namespace sf {

namespace {
// The fiber we switched away from, so that the resumed side can finish the sanitizer handshake.
Fiber* g_switching_from = nullptr;

void finish_switch(Fiber& resumed) {
#ifdef SF_ASAN
  const void* old_bottom = nullptr;
  std::size_t old_size = 0;
  __sanitizer_finish_switch_fiber(resumed.asan_fake_stack, &old_bottom, &old_size);
  // The host's stack (the OS thread's own) is learned when we switch away from it.
  Fiber* owner = g_switching_from && g_switching_from->borrowed ? g_switching_from->borrowed : g_switching_from;
  if (owner && !owner->stack_base) {
    owner->asan_bottom = old_bottom;
    owner->asan_size = old_size;
  }
#else
  (void)resumed;
#endif
}
}  // namespace

namespace {
// Stacks for the first kPooled fibers alive at once come from one mapping made on first need, so a
// process pays one mmap for them (plus one mprotect per stack for its guard page), not two system
// calls per stack. Bit i of g_pool_used: stack i is taken; g_pool_guarded: its guard page is set.
constexpr uint32_t kPooled = 32;
std::atomic<char*> g_pool{nullptr};
std::atomic<uint32_t> g_pool_used{0};
std::atomic<uint32_t> g_pool_guarded{0};

// x86-64 Linux pages are 4 KiB (the context switch above is x86-64 only). A constant, not
// sysconf(): that call faulted two libc pages in on a process's first execution.
constexpr std::size_t page_size() { return 4096; }
std::size_t slot_bytes() { return kFiberStackBytes + page_size(); }

char* map_or_die(std::size_t bytes) {
  void* m = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) {
    std::fprintf(stderr, "schedfuzz: cannot allocate a fiber stack\n");
    std::abort();
  }
  return static_cast<char*>(m);
}

// A stack's lowest usable address; its guard page lies just below. Out of line: Fiber::init is on
// every thread's first run, this only on a slot's first.
[[gnu::noinline]] char* take_stack() {
  char* pool = g_pool.load(std::memory_order_acquire);
  if (!pool) {
    char* fresh = map_or_die(kPooled * slot_bytes());
    if (g_pool.compare_exchange_strong(pool, fresh, std::memory_order_acq_rel)) {
      pool = fresh;
    } else {
      munmap(fresh, kPooled * slot_bytes());  // another thread mapped it first
    }
  }
  uint32_t used = g_pool_used.load(std::memory_order_relaxed);
  while (~used) {
    uint32_t i = static_cast<uint32_t>(std::countr_one(used));
    if (g_pool_used.compare_exchange_weak(used, used | (1u << i), std::memory_order_acq_rel)) {
      char* slot = pool + i * slot_bytes();
      if (!(g_pool_guarded.fetch_or(1u << i, std::memory_order_acq_rel) & (1u << i))) {
        mprotect(slot, page_size(), PROT_NONE);  // guard page: an overflow faults, not corrupts
      }
      return slot + page_size();
    }
  }
  char* m = map_or_die(slot_bytes());  // more than kPooled fibers alive: a mapping of its own
  mprotect(m, page_size(), PROT_NONE);
  return m + page_size();
}

void give_back_stack(char* base) {
  char* pool = g_pool.load(std::memory_order_acquire);
  char* slot = base - page_size();
  if (pool && slot >= pool && slot < pool + kPooled * slot_bytes()) {
    auto i = static_cast<uint32_t>((slot - pool) / slot_bytes());
    g_pool_used.fetch_and(~(1u << i), std::memory_order_acq_rel);
  } else {
    munmap(slot, slot_bytes());
  }
}
}  // namespace

Fiber::~Fiber() {
  if (stack_base) give_back_stack(static_cast<char*>(stack_base));
}

void Fiber::prepare() {
  if (!stack_base) {
    stack_base = take_stack();
    stack_size = kFiberStackBytes;
  }
  asan_fake_stack = nullptr;  // a re-initialised fiber starts without a fake stack
#ifdef SF_ASAN
  // Frames of the previous life never returned: their redzones are still poisoned.
  __asan_unpoison_memory_region(stack_base, stack_size);
#endif
}

void Fiber::init(void (*entry)(void*), void* arg) {
  prepare();
  auto top = reinterpret_cast<uintptr_t>(this->top());
  auto* slots = reinterpret_cast<void**>(top - 72);
  slots[0] = nullptr;                                      // r15
  slots[1] = nullptr;                                      // r14
  slots[2] = reinterpret_cast<void*>(entry);               // r13
  slots[3] = arg;                                          // r12
  slots[4] = nullptr;                                      // rbx
  slots[5] = nullptr;                                      // rbp
  slots[6] = reinterpret_cast<void*>(&sf_context_start);  // return address
  slots[7] = nullptr;
  slots[8] = nullptr;
  sp = slots;
}

void fiber_switch_annotated(Fiber& from, Fiber& to, bool from_exits) {
#ifdef SF_ASAN
  const Fiber& owner = to.borrowed ? *to.borrowed : to;
  const void* bottom = owner.stack_base ? owner.stack_base : owner.asan_bottom;
  std::size_t size = owner.stack_base ? owner.stack_size : owner.asan_size;
  __sanitizer_start_switch_fiber(from_exits ? nullptr : &from.asan_fake_stack, bottom, size);
#else
  (void)from_exits;
#endif
  g_switching_from = &from;
  sf_context_switch(&from.sp, to.sp);
  finish_switch(from);
}

void fiber_enter_annotated(Fiber& from, Fiber& to, void* (*entry)(void*), void* arg) {
#ifdef SF_ASAN
  __sanitizer_start_switch_fiber(&from.asan_fake_stack, to.stack_base, to.stack_size);
#endif
  g_switching_from = &from;
  sf_context_enter(&from.sp, to.top(), entry, arg);
  finish_switch(from);
}

// A brand-new fiber's first instructions run in its entry function, not after fiber_switch
// returns; it must complete the handshake itself.
void fiber_first_entry(Fiber& self) { finish_switch(self); }

}  // namespace sf
