// core/src/fiber.cpp: a hand-written x86-64 context switch (six callee-saved registers and the
// stack pointer) with the AddressSanitizer fiber annotations. Measured by bench/switch_peers
// (median of 6 runs, 5M switches): 8.7 ns against Boost.Context's 7.8 ns and swapcontext's 400 ns
// (a signal-mask syscall per switch). Kept over Boost.Context because Debian's build of it has no
// ASan hooks and its ucontext flavour does not link with them; ours carries the annotations.
#include "fiber.h"

#include <sys/mman.h>
#include <unistd.h>

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
asm(R"(
  .text
  .globl sf_context_switch
  .type sf_context_switch,@function
sf_context_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size sf_context_switch,.-sf_context_switch
  .globl sf_context_start
  .type sf_context_start,@function
sf_context_start:
  movq %r12, %rdi
  callq *%r13
  ud2
  .size sf_context_start,.-sf_context_start
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
  if (g_switching_from && !g_switching_from->stack_base) {
    g_switching_from->asan_bottom = old_bottom;
    g_switching_from->asan_size = old_size;
  }
#else
  (void)resumed;
#endif
}
}  // namespace

Fiber::~Fiber() {
  if (stack_base) {
    long page = sysconf(_SC_PAGESIZE);
    munmap(static_cast<char*>(stack_base) - page, kFiberStackBytes + page);
  }
}

void Fiber::init(void (*entry)(void*), void* arg) {
  if (!stack_base) {
    long page = sysconf(_SC_PAGESIZE);
    void* m = mmap(nullptr, kFiberStackBytes + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
      std::fprintf(stderr, "schedfuzz: cannot allocate a fiber stack\n");
      std::abort();
    }
    mprotect(m, page, PROT_NONE);  // guard page: a stack overflow faults instead of corrupting
    stack_base = static_cast<char*>(m) + page;
    stack_size = kFiberStackBytes;
  }
  asan_fake_stack = nullptr;  // a re-initialised fiber starts without a fake stack
#ifdef SF_ASAN
  // Frames of the previous life never returned: their redzones are still poisoned.
  __asan_unpoison_memory_region(stack_base, stack_size);
#endif
  auto top = reinterpret_cast<uintptr_t>(stack_base) + stack_size;
  top &= ~uintptr_t{15};
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
  const void* bottom = to.stack_base ? to.stack_base : to.asan_bottom;
  std::size_t size = to.stack_base ? to.stack_size : to.asan_size;
  __sanitizer_start_switch_fiber(from_exits ? nullptr : &from.asan_fake_stack, bottom, size);
#else
  (void)from_exits;
#endif
  g_switching_from = &from;
  sf_context_switch(&from.sp, to.sp);
  finish_switch(from);
}

// A brand-new fiber's first instructions run in its entry function, not after fiber_switch
// returns; it must complete the handshake itself.
void fiber_first_entry(Fiber& self) { finish_switch(self); }

}  // namespace sf
