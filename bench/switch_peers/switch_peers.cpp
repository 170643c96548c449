// bench/switch_peers/switch_peers.cpp: the cost of one context switch with the three candidates the
// engine could use: its own hand-written switch (core/src/fiber.cpp), Boost.Context's fiber, and
// ucontext's swapcontext. Two contexts hand over N times; prints ns per switch for each.
#include <ucontext.h>

#include <boost/context/fiber.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "core/src/fiber.h"

namespace ctx = boost::context;

static double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

static long g_n;

// --- hand-written
static sf::Fiber g_host, g_other;
static void other_main(void*) {
  sf::fiber_first_entry(g_other);
  for (;;) sf::fiber_switch(g_other, g_host);
}
static double bench_handwritten(long n) {
  g_other.init(&other_main, nullptr);
  double t = now();
  for (long i = 0; i < n; ++i) sf::fiber_switch(g_host, g_other);
  return (now() - t) * 1e9 / (2.0 * n);
}

// --- hand-written, both directions through one call site, as the engine switches (switch_to): the
// switch's `ret` then returns where the return predictor expects. From two sites (above) every
// `ret` goes to the other site and is mispredicted; Boost.Context's switch jumps through a
// register instead, which the indirect-branch predictor learns.
static sf::Fiber g_host2, g_other2;
[[gnu::noinline]] static void hand_over(sf::Fiber& from, sf::Fiber& to) { sf::fiber_switch(from, to); }
static void other2_main(void*) {
  sf::fiber_first_entry(g_other2);
  for (;;) hand_over(g_other2, g_host2);
}
static double bench_handwritten_one_site(long n) {
  g_other2.init(&other2_main, nullptr);
  double t = now();
  for (long i = 0; i < n; ++i) hand_over(g_host2, g_other2);
  return (now() - t) * 1e9 / (2.0 * n);
}

// --- Boost.Context
static double bench_boost(long n) {
  ctx::fiber f{[](ctx::fiber&& caller) {
    for (;;) caller = std::move(caller).resume();
    return std::move(caller);
  }};
  double t = now();
  for (long i = 0; i < n; ++i) f = std::move(f).resume();
  return (now() - t) * 1e9 / (2.0 * n);
}

// --- ucontext
static ucontext_t g_uc_host, g_uc_other;
static void uc_main() {
  for (;;) swapcontext(&g_uc_other, &g_uc_host);
}
static double bench_ucontext(long n) {
  static char stack[256 * 1024];
  getcontext(&g_uc_other);
  g_uc_other.uc_stack.ss_sp = stack;
  g_uc_other.uc_stack.ss_size = sizeof stack;
  g_uc_other.uc_link = nullptr;
  makecontext(&g_uc_other, uc_main, 0);
  double t = now();
  for (long i = 0; i < n; ++i) swapcontext(&g_uc_host, &g_uc_other);
  return (now() - t) * 1e9 / (2.0 * n);
}

int main(int argc, char** argv) {
  g_n = argc > 1 ? std::atol(argv[1]) : 5000000;
  std::printf("{\"handwritten_ns\":%.2f,\"handwritten_one_site_ns\":%.2f,\"boost_context_ns\":%.2f,"
              "\"ucontext_ns\":%.2f,\"switches\":%ld}\n",
              bench_handwritten(g_n), bench_handwritten_one_site(g_n), bench_boost(g_n), bench_ucontext(g_n / 10), g_n);
}
