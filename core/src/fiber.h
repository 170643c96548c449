// core/src/fiber.h: Fiber, a user-space execution context with a pooled stack, and the switch.
#pragma once
#include <cstddef>
#include <utility>

namespace sf {

// A fiber owns an mmap'ed stack (with a guard page) for its whole life; the engine reuses fibers
// across executions, so a stack is created once per thread slot, not once per execution.
struct Fiber {
  void* sp = nullptr;          // saved stack pointer while suspended
  void* stack_base = nullptr;  // lowest usable address (nullptr: the host thread's own stack)
  std::size_t stack_size = 0;
  void* asan_fake_stack = nullptr;
  const void* asan_bottom = nullptr;  // the host's stack, as AddressSanitizer reports it
  std::size_t asan_size = 0;
  // Set while this context runs on another fiber's stack (a thread run as a call inside the
  // thread that joins it): sanitizers are told that fiber's stack bounds.
  Fiber* borrowed = nullptr;

  Fiber() = default;
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;
  ~Fiber();

  // Takes a stack if the fiber has none, and forgets what the stack held: it starts afresh.
  void prepare();
  // The first call on a prepared stack (fiber_enter) has its frame just below.
  void* top() const { return static_cast<char*>(stack_base) + stack_size; }
  // prepare(), and lay out the stack so that the first fiber_switch into it calls entry(arg).
  void init(void (*entry)(void*), void* arg);
  // Exchange stacks (and their saved state) with `other`: hands the running stack to another
  // thread slot whose own stack is not in use.
  void swap_stacks(Fiber& other) {
    std::swap(sp, other.sp);
    std::swap(stack_base, other.stack_base);
    std::swap(stack_size, other.stack_size);
    std::swap(asan_fake_stack, other.asan_fake_stack);
    std::swap(asan_bottom, other.asan_bottom);
    std::swap(asan_size, other.asan_size);
    std::swap(borrowed, other.borrowed);
  }
  bool initialized() const { return stack_base != nullptr; }
};

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SF_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SF_ASAN 1
#endif

}  // namespace sf
extern "C" void sf_context_switch(void** save_sp, void* new_sp);
// Saves the caller's context as sf_context_switch does, then calls entry(arg) on the stack below
// `top`; when entry returns a saved stack pointer, resumes that context.
extern "C" void sf_context_enter(void** save_sp, void* top, void* (*entry)(void*), void* arg);
namespace sf {

// Suspend `from` and resume `to`. `from_exits` tells sanitizers that `from` will never resume.
// Without AddressSanitizer the switch is the bare register swap, inlined into the scheduler.
void fiber_switch_annotated(Fiber& from, Fiber& to, bool from_exits);
inline void fiber_switch(Fiber& from, Fiber& to, bool from_exits = false) {
#ifdef SF_ASAN
  fiber_switch_annotated(from, to, from_exits);
#else
  (void)from_exits;
  sf_context_switch(&from.sp, to.sp);
#endif
}
// Suspend `from` and start the prepared fiber `to` by calling entry(arg) on its stack. A fiber
// started so ends by returning the saved stack pointer of the context to resume (see fiber_main).
// Unlike a first switch that returns into a laid-out stack, the start pops nothing from the CPU's
// return predictor and the end pushes nothing onto it: after a fiber that ran and ended, the
// resumed context's returns are predicted again. `sf_bench switch`: a round trip from 8 calls deep
// into a fresh fiber that ends, 14-15 ns this way, 65-76 ns by a laid-out stack and a switch (each
// return after it mispredicts).
void fiber_enter_annotated(Fiber& from, Fiber& to, void* (*entry)(void*), void* arg);
inline void fiber_enter(Fiber& from, Fiber& to, void* (*entry)(void*), void* arg) {
#ifdef SF_ASAN
  fiber_enter_annotated(from, to, entry, arg);
#else
  sf_context_enter(&from.sp, to.top(), entry, arg);
#endif
}
// The first thing a new fiber's entry function calls (completes the sanitizer handshake).
void fiber_first_entry(Fiber& self);

}  // namespace sf
