// bench/sf_bench.cpp: schedfuzz side of the Relacy comparison: `sf_bench <test> <form> <sc|tso|lkmm> <N> [seed]
// [--strategy random|pct|bounded] [--depth D] [--preemptions P] [--memory-choices M]`, `sf_bench switch <N>`, `sf_bench parts <N>`, `sf_bench core <N>` (core_probe.h).
//
// The test mode mirrors bench/relacy/main.cpp: exploration of one test (sf::RandomSource, or
// sf::PctSource(seed, depth) with --strategy pct, depth 3 unless --depth; sf::BoundedSource(2, 2)
// with --strategy bounded, which ignores the seed) until the first failure or `executions`, timed from the Engine's construction (Relacy's timing
// covers all of rl::simulate, setup included). The JSON line uses relacy_bench's keys plus:
// memory, seed, strategy, depth (null for random), complete (the bounded search ran out of
// executions to try), failure, steps (schedule points and plain accesses), points (schedule points), setup_seconds (the Engine's construction),
// explore_seconds (ExploreResult::seconds, the loop alone), ns_per_point = explore_seconds / points,
// explore_cpu_seconds and ns_per_point_cpu (the same by process CPU time), vmhwm_kib and maxrss_kib
// (peak RSS at exit), faults_setup and faults_explore (minor page faults during the Engine's
// construction and during the exploration and its replay).
//
// The switch mode times the fiber switch three ways: the raw context switch of core/src/fiber.h
// (two fibers ping-ponging, no engine), two model threads handing over through cpu_relax(), and two
// model threads with a forced preemption at every schedule point (a ChoiceSource that always says
// "switch").
//
// The parts mode splits a small test's time per execution (sc, random strategy): an empty
// execution; each location; each thread spawned and joined (empty threads); each marked access
// made by thread 0 alone (a schedule point with no one to switch to, so no decision).
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench/core_probe.h"
#include "bench/shapes.h"
#include "core/src/fiber.h"
#include "models/registry.h"
#include "schedfuzz/engine.h"
#include "schedfuzz/bounded_source.h"
#include "schedfuzz/pct_source.h"
#include "schedfuzz/random_source.h"
#include "schedfuzz/schedfuzz.h"
#include "schedules/explore.h"

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CPU time of this process: the figure that other jobs sharing the CPUs distort least.
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// Peak resident set size of this process, from /proc/self/status (kB); 0 if unreadable.
long vmhwm_kib() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  long kib = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, "VmHWM:", 6) == 0) {
      kib = std::strtol(line + 6, nullptr, 10);
      break;
    }
  }
  std::fclose(f);
  return kib;
}

// Minor page faults of this process so far (first touches of memory and of code pages).
long minor_faults() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

long maxrss_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

// ---- the tests

struct TestArg {
  void (*shape)(bool) = nullptr;  // a bench/shapes.cpp model, or
  const sf::models::Target* target = nullptr;  // a registry target
  int variant = 0;
  bool bug = false;
};

void test_body(void* p) {
  auto* a = static_cast<TestArg*>(p);
  if (a->shape) {
    a->shape(a->bug);
  } else {
    a->target->body(a->variant);
  }
}

struct Shape {
  const char* name;
  void (*body)(bool);
};
const Shape kShapes[] = {
    {"sb", sf::bench::sb_body},
    {"mp", sf::bench::mp_body},
    {"seqlock", sf::bench::seqlock_body},
    {"lost_update", sf::bench::lost_update_body},
    {"vmalloc_cache", sf::bench::vmalloc_cache_body},  // the Relacy test's shape
};
// vmalloc_model is the registry target (the bundled model, more threads and its ghost oracle; no
// Relacy twin); these are its variants for the two forms.
constexpr const char* kVmallocCorrect = "correct";
constexpr const char* kVmallocBug = "both_zero";

int usage() {
  std::fprintf(stderr,
               "usage: sf_bench <test> <correct|bug> <sc|tso|lkmm> <executions> [seed]\n"
               "                [--strategy random|pct|bounded] [--depth D] [--preemptions P] [--memory-choices M]\n"
               "       sf_bench switch <N>\n"
               "       sf_bench core <N>\n"
               "       sf_bench parts <N>\n"
               "tests: sb mp seqlock lost_update vmalloc_cache (each as bench/relacy writes it), and vmalloc_model\n"
               "(the bundled vmalloc_cache target: correct, and variant both_zero as the bug)\n"
               "sc cannot show the weak-memory bugs (sb, mp, seqlock): use lkmm for those (tso shows sb only).\n"
               "--strategy: random (sf::RandomSource, the default), pct (sf::PctSource, depth 3 unless --depth)\n"
               "or bounded (sf::BoundedSource: at most P preemptions and M memory choices, 2 and 2 unless given,\n"
               "inf for no bound; fewest preemptions first; no seed).\n");
  return 2;
}

bool parse_u64(const char* s, uint64_t& out) {
  char* end = nullptr;
  if (!*s || *s == '-') return false;
  out = std::strtoull(s, &end, 10);
  return *end == '\0';
}

// Writes `s` as a JSON string (the failure name has no characters that need more than this).
std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) o += c;
  }
  return o + "\"";
}

int run_test(int argc, char** argv) {
  // Positional arguments first, then the options (either order; --opt=value or --opt value).
  std::string strategy = "random";
  uint64_t depth = 3;
  bool depth_given = false;
  // bounded: the CLI's default bounds unless given ("inf": none)
  uint32_t preemptions = 2, memory_choices = 2;
  bool bounds_given = false;
  auto parse_bound = [](const std::string& v, uint32_t* out) {
    uint64_t x = 0;
    if (v == "inf") {
      *out = sf::BoundedSource::kUnbounded;
      return true;
    }
    if (!parse_u64(v.c_str(), x) || x > 64) return false;
    *out = static_cast<uint32_t>(x);
    return true;
  };
  char* pos[6] = {};
  int npos = 0;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (i > 0 && a.rfind("--", 0) == 0) {
      std::string key = a, val;
      size_t eq = a.find('=');
      if (eq != std::string::npos) {
        key = a.substr(0, eq);
        val = a.substr(eq + 1);
      } else {
        if (i + 1 >= argc) return usage();
        val = argv[++i];
      }
      if (key == "--strategy") {
        if (val != "random" && val != "pct" && val != "bounded") return usage();
        strategy = val;
      } else if (key == "--depth") {
        if (!parse_u64(val.c_str(), depth) || depth == 0 || depth > 8) return usage();  // PctSource: <= 8 changes
        depth_given = true;
      } else if (key == "--preemptions") {
        if (!parse_bound(val, &preemptions)) return usage();
        bounds_given = true;
      } else if (key == "--memory-choices") {
        if (!parse_bound(val, &memory_choices)) return usage();
        bounds_given = true;
      } else {
        return usage();
      }
    } else {
      if (npos == 6) return usage();
      pos[npos++] = argv[i];
    }
  }
  if (depth_given && strategy != "pct") return usage();
  if (bounds_given && strategy != "bounded") return usage();
  if (npos != 5 && npos != 6) return usage();
  argc = npos;
  argv = pos;
  std::string test = argv[1], form = argv[2], mem = argv[3];
  TestArg arg;
  if (form != "correct" && form != "bug") return usage();
  arg.bug = form == "bug";
  for (const Shape& s : kShapes)
    if (test == s.name) arg.shape = s.body;
  if (!arg.shape) {
    if (test != "vmalloc_model") return usage();
    arg.target = sf::models::find_target("vmalloc_cache");
    if (!arg.target) return usage();
    arg.variant = sf::models::find_variant(*arg.target, arg.bug ? kVmallocBug : kVmallocCorrect);
    if (arg.variant < 0) {
      std::fprintf(stderr, "sf_bench: vmalloc_model has no variant %s\n", arg.bug ? kVmallocBug : kVmallocCorrect);
      return 2;
    }
  }
  sf::RunOptions opts;
  if (!sf::parse_memory_mode(mem, &opts.memory)) return usage();
  uint64_t n = 0, seed = 1;
  if (!parse_u64(argv[4], n) || n == 0) return usage();
  if (argc == 6 && !parse_u64(argv[5], seed)) return usage();

  // Timed: the Engine's construction (it zeroes its fixed-size tables) and the exploration loop
  // (the first execution maps the fiber stacks). Not timed: the replay explore() does after a
  // failure to fill in the trace hash.
  long faults0 = minor_faults();
  auto t0 = Clock::now();
  sf::Engine engine;
  double setup = since(t0);
  long faults1 = minor_faults();
  sf::RandomSource random_src(seed);
  sf::PctSource pct_src(seed, static_cast<uint32_t>(depth));
  sf::BoundedSource bounded_src(preemptions, memory_choices);
  sf::ChoiceSource& src = strategy == "pct"       ? static_cast<sf::ChoiceSource&>(pct_src)
                          : strategy == "bounded" ? static_cast<sf::ChoiceSource&>(bounded_src)
                                                  : static_cast<sf::ChoiceSource&>(random_src);
  double cpu0 = cpu_now();
  sf::ExploreResult r = sf::explore(engine, &test_body, &arg, src, opts, sf::ExploreBudget{n, 0});
  double explore_cpu = cpu_now() - cpu0;  // includes the replay of a failing schedule, if any
  long faults2 = minor_faults();  // likewise
  double seconds = setup + r.seconds;

  if (r.found)
    std::fprintf(stderr, "schedfuzz: %s at execution %" PRIu64 ": %s\n", r.outcome.failure_name().c_str(),
                 r.executions, r.outcome.message.c_str());
  char fail_iter[32] = "null";
  if (r.found) std::snprintf(fail_iter, sizeof fail_iter, "%" PRIu64, r.executions);
  std::string failure = r.found ? json_str(r.outcome.failure_name()) : "null";
  double rate = seconds > 0 ? r.executions / seconds : 0.0;
  double ns_point = r.points ? r.seconds * 1e9 / r.points : 0.0;
  double ns_point_cpu = r.points ? explore_cpu * 1e9 / r.points : 0.0;
  char depth_json[32] = "null";
  if (strategy == "pct") std::snprintf(depth_json, sizeof depth_json, "%" PRIu64, depth);
  std::printf("{\"tool\":\"schedfuzz\",\"test\":\"%s\",\"form\":\"%s\",\"scheduler\":\"%s\","
              "\"strategy\":\"%s\",\"depth\":%s,\"memory\":\"%s\",\"seed\":%" PRIu64 ",\"iterations_requested\":%" PRIu64 ",\"iterations_run\":%" PRIu64
              ",\"failed\":%s,\"complete\":%s,\"iteration_of_failure\":%s,\"failure\":%s,\"steps\":%" PRIu64
              ",\"points\":%" PRIu64
              ",\"seconds\":%.6f,\"setup_seconds\":%.6f,\"explore_seconds\":%.6f,\"exec_per_sec\":%.1f,"
              "\"ns_per_point\":%.2f,\"explore_cpu_seconds\":%.6f,\"ns_per_point_cpu\":%.2f,"
              "\"vmhwm_kib\":%ld,\"maxrss_kib\":%ld,\"faults_setup\":%ld,\"faults_explore\":%ld}\n",
              test.c_str(), form.c_str(), strategy.c_str(), strategy.c_str(), depth_json, mem.c_str(), seed, n, r.executions, r.found ? "true" : "false", r.exhausted ? "true" : "false", fail_iter,
              failure.c_str(), r.steps, r.points, seconds, setup, r.seconds, rate, ns_point, explore_cpu, ns_point_cpu,
              vmhwm_kib(), maxrss_kib(), faults1 - faults0, faults2 - faults1);
  return 0;
}

// ---- the switch micro-benchmark

// Raw: the host and one fiber hand over to each other; no engine, no schedule point.
struct PingPong {
  sf::Fiber host, f;
};
PingPong* g_pp = nullptr;

[[noreturn]] void ping_pong_entry(void*) {
  sf::fiber_first_entry(g_pp->f);
  for (;;) sf::fiber_switch(g_pp->f, g_pp->host);
}

struct Ns {
  double wall, cpu;  // per switch or per point, by wall time and by process CPU time
};

Ns raw_switch_ns(uint64_t switches) {
  static PingPong pp;  // never destroyed while the fiber is suspended mid-loop
  g_pp = &pp;
  pp.f.init(&ping_pong_entry, nullptr);
  sf::fiber_switch(pp.host, pp.f);  // warm up: start the fiber
  uint64_t rounds = switches / 2;
  auto t0 = Clock::now();
  double c0 = cpu_now();
  for (uint64_t i = 0; i < rounds; ++i) sf::fiber_switch(pp.host, pp.f);
  double cpu = cpu_now() - c0;
  return Ns{since(t0) * 1e9 / (2 * rounds), cpu * 1e9 / (2 * rounds)};
}

// A round trip from 8 calls deep into a fresh fiber that ends at once, started the way the engine
// starts a thread (fiber_enter: by a call; it ends by returning the context to resume), or on a
// laid-out stack and ended by a switch (Fiber::init and fiber_switch). The second leaves the CPU's
// return predictor holding the other fiber's return addresses, so the returns after it mispredict.
struct RoundTrip {
  sf::Fiber host, f;
};
RoundTrip* g_rt = nullptr;
volatile uint64_t g_depth_sink = 0;

void* enter_entry(void*) {
  sf::fiber_first_entry(g_rt->f);
  return g_rt->host.sp;
}
[[noreturn]] void init_entry(void*) {
  sf::fiber_first_entry(g_rt->f);
  sf::fiber_switch(g_rt->f, g_rt->host, true);
  __builtin_unreachable();
}
template <bool kByEnter>
[[gnu::noinline]] void round_trip() {
  if constexpr (kByEnter) {
    g_rt->f.prepare();
    sf::fiber_enter(g_rt->host, g_rt->f, &enter_entry, nullptr);
  } else {
    g_rt->f.init(&init_entry, nullptr);
    sf::fiber_switch(g_rt->host, g_rt->f);
  }
}
template <bool kByEnter, int kDepth>
[[gnu::noinline]] void round_trip_from_depth() {
  if constexpr (kDepth == 0) {
    round_trip<kByEnter>();
  } else {
    round_trip_from_depth<kByEnter, kDepth - 1>();
    g_depth_sink = g_depth_sink + 1;  // not a tail call: the depth is real
  }
}
template <bool kByEnter>
Ns fresh_round_trip_ns(uint64_t rounds) {
  static RoundTrip rt;
  g_rt = &rt;
  auto t0 = Clock::now();
  double c0 = cpu_now();
  for (uint64_t i = 0; i < rounds; ++i) round_trip_from_depth<kByEnter, 8>();
  double cpu = cpu_now() - c0;
  return Ns{since(t0) * 1e9 / rounds, cpu * 1e9 / rounds};
}

// Every decision: switch when there is someone to switch to (option 1 of ChoiceKind::thread).
class AlwaysPreempt final : public sf::ChoiceSource {
 public:
  uint32_t choose(sf::ChoiceKind kind, uint32_t) override { return kind == sf::ChoiceKind::thread ? 1 : 0; }
};

constexpr int kHandoffsPerThread = 4000;  // 2 x 4000 points + spawn/join, under the default step limit

void relax_body(void*) {
  auto spin = [] {
    for (int i = 0; i < kHandoffsPerThread; ++i) sf::cpu_relax();
  };
  sf::thread a = sf::spawn(spin);
  sf::thread b = sf::spawn(spin);
  sf::join(a);
  sf::join(b);
}

void preempt_body(void*) {
  sf::shared<int> x{0, "x"};
  auto reader = [&] {
    for (int i = 0; i < kHandoffsPerThread; ++i) (void)sf::READ_ONCE(x);
  };
  sf::thread a = sf::spawn(reader);
  sf::thread b = sf::spawn(reader);
  sf::join(a);
  sf::join(b);
}

struct Handoff {
  Ns per_point;
  uint64_t steps;
};

Handoff engine_handoff(sf::Body body, sf::ChoiceSource& src, uint64_t switches) {
  sf::Engine engine;
  uint64_t execs = switches / (2 * kHandoffsPerThread);
  if (execs == 0) execs = 1;
  double c0 = cpu_now();
  sf::ExploreResult r = sf::explore(engine, body, nullptr, src, sf::RunOptions{}, sf::ExploreBudget{execs, 0});
  double cpu = cpu_now() - c0;
  if (r.found) {
    std::fprintf(stderr, "sf_bench switch: unexpected failure: %s\n", r.outcome.message.c_str());
    std::exit(1);
  }
  double steps = r.points ? static_cast<double>(r.points) : 1.0;
  return Handoff{Ns{r.seconds * 1e9 / steps, cpu * 1e9 / steps}, r.points};
}

int run_switch(int argc, char** argv) {
  uint64_t n = 0;
  if (argc != 3 || !parse_u64(argv[2], n) || n < 2) return usage();
  Ns raw = raw_switch_ns(n);
  Ns by_enter = fresh_round_trip_ns<true>(n / 2);
  Ns by_switch = fresh_round_trip_ns<false>(n / 2);
  sf::RandomSource any(1);  // cpu_relax with one other runnable thread makes no decision
  Handoff relax = engine_handoff(&relax_body, any, n);
  AlwaysPreempt always;
  Handoff preempt = engine_handoff(&preempt_body, always, n);
  std::printf("{\"tool\":\"schedfuzz\",\"test\":\"switch\",\"switches_requested\":%" PRIu64
              ",\"raw_fiber_switch_ns\":%.2f,\"raw_fiber_switch_ns_cpu\":%.2f"
              ",\"fresh_round_trip_enter_ns\":%.2f,\"fresh_round_trip_enter_ns_cpu\":%.2f"
              ",\"fresh_round_trip_switch_ns\":%.2f,\"fresh_round_trip_switch_ns_cpu\":%.2f"
              ",\"cpu_relax_ns_per_point\":%.2f,\"cpu_relax_ns_per_point_cpu\":%.2f,\"cpu_relax_points\":%" PRIu64
              ",\"preempt_ns_per_point\":%.2f,\"preempt_ns_per_point_cpu\":%.2f,\"preempt_points\":%" PRIu64
              ",\"vmhwm_kib\":%ld}\n",
              n, raw.wall, raw.cpu, by_enter.wall, by_enter.cpu, by_switch.wall, by_switch.cpu, relax.per_point.wall, relax.per_point.cpu, relax.steps, preempt.per_point.wall,
              preempt.per_point.cpu, preempt.steps, vmhwm_kib());
  return 0;
}

// ---- the parts of an execution: what a small test's time per execution is made of

void empty_body(void*) {}
void two_locations_body(void*) {
  sf::shared<int> x{0, "x"}, y{0, "y"};
}
void spawn_join_body(void*) {
  sf::thread a = sf::spawn([] {});
  sf::thread b = sf::spawn([] {});
  sf::join(a);
  sf::join(b);
}
// SB's six accesses, in thread 0 alone: schedule points with no one to switch to (no decision).
void lone_accesses_body(void*) {
  sf::shared<int> x{0, "x"}, y{0, "y"};
  sf::WRITE_ONCE(x, 1);
  sf::smp_mb();
  int r = sf::READ_ONCE(y);
  sf::WRITE_ONCE(y, 1);
  sf::smp_mb();
  r += sf::READ_ONCE(x);
  sf::check(r == 1, "r=%d", r);
}

Ns ns_per_exec(sf::Body body, uint64_t executions) {
  sf::Engine engine;
  sf::RandomSource src(1);
  double c0 = cpu_now();
  sf::ExploreResult r = sf::explore(engine, body, nullptr, src, sf::RunOptions{}, sf::ExploreBudget{executions, 0});
  double cpu = cpu_now() - c0;
  if (r.found) {
    std::fprintf(stderr, "sf_bench parts: unexpected failure: %s\n", r.outcome.message.c_str());
    std::exit(1);
  }
  return Ns{r.seconds * 1e9 / executions, cpu * 1e9 / executions};
}

// Each part's cost is the difference from the empty execution, divided by how many it adds.
int run_parts(int argc, char** argv) {
  uint64_t n = 0;
  if (argc != 3 || !parse_u64(argv[2], n) || n == 0) return usage();
  Ns empty = ns_per_exec(&empty_body, n);
  Ns locs = ns_per_exec(&two_locations_body, n);
  Ns threads = ns_per_exec(&spawn_join_body, n);
  Ns accesses = ns_per_exec(&lone_accesses_body, n);
  auto per = [&](Ns x, Ns base, double k) { return Ns{(x.wall - base.wall) / k, (x.cpu - base.cpu) / k}; };
  Ns loc = per(locs, empty, 2), thread = per(threads, empty, 2), access = per(accesses, locs, 6);
  std::printf("{\"tool\":\"schedfuzz\",\"test\":\"parts\",\"executions\":%" PRIu64
              ",\"empty_execution_ns\":%.2f,\"empty_execution_ns_cpu\":%.2f"
              ",\"location_ns\":%.2f,\"location_ns_cpu\":%.2f"
              ",\"spawn_join_ns\":%.2f,\"spawn_join_ns_cpu\":%.2f"
              ",\"lone_access_ns\":%.2f,\"lone_access_ns_cpu\":%.2f}\n",
              n, empty.wall, empty.cpu, loc.wall, loc.cpu, thread.wall, thread.cpu, access.wall, access.cpu);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "switch") == 0) return run_switch(argc, argv);
  if (argc >= 2 && std::strcmp(argv[1], "parts") == 0) return run_parts(argc, argv);
  if (argc >= 2 && std::strcmp(argv[1], "core") == 0) return sf::bench::run_core_probe(argc, argv);
  return run_test(argc, argv);
}
