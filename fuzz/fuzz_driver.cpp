// fuzz/fuzz_driver.cpp: the libFuzzer glue (schedfuzz/fuzz.h).
#include "schedfuzz/fuzz.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "schedfuzz/engine.h"
#include "schedfuzz/fuzz_bytes_source.h"
#include "schedules/explore.h"

// Extra coverage counters that libFuzzer reads after every input: reads-from pairs.
__attribute__((section("__libfuzzer_extra_counters"))) static uint8_t g_interleavings[1 << 14];

namespace sf {

namespace {
const Target* g_target = nullptr;
int g_variant = 0;
RunOptions g_opts;
Engine* g_engine = nullptr;

void body(void*) { g_target->body(g_variant); }

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "schedfuzz fuzz target: %s\n", msg.c_str());
  std::exit(2);
}
}  // namespace

void fuzz_init(const Target& target, int* argc, char*** argv) {
  g_target = &target;
  std::string variant = "correct";
  bool feedback = false;  // measured: no faster on the bundled variants (README, "Fuzzing")
  for (int i = 1; i < *argc; ++i) {
    const char* a = (*argv)[i];
    if (std::strcmp(a, "--feedback=1") == 0) feedback = true;
    if (std::strncmp(a, "--variant=", 10) == 0) variant = a + 10;
    if (std::strncmp(a, "--memory=", 9) == 0 && !parse_memory_mode(a + 9, &g_opts.memory))
      die(std::string("unknown memory mode '") + (a + 9) + "' (sc, tso, lkmm)");
  }
  g_variant = find_variant(*g_target, variant);
  if (g_variant < 0) die("unknown variant '" + variant + "' of " + target.name);
  g_engine = new Engine();
  if (feedback) {
    g_opts.feedback = g_interleavings;
    g_opts.feedback_size = sizeof g_interleavings;
  }
  std::fprintf(stderr, "schedfuzz: fuzzing %s variant %s, memory %s\n", target.name, variant.c_str(),
               std::string(memory_mode_name(g_opts.memory)).c_str());
}

int fuzz_one(const uint8_t* data, size_t size) {
  FuzzBytesSource src(data, size);
  RunOptions fast = g_opts;
  fast.record_events = false;
  Outcome o = g_engine->run(&body, nullptr, src, fast);
  if (!o.failed()) return 0;
  RunOptions traced = g_opts;
  traced.feedback = nullptr;
  ReplayResult r = replay(*g_engine, &body, nullptr, g_engine->decisions(), traced);
  std::fputs(render_trace(g_engine->trace()).c_str(), stderr);
  std::fprintf(stderr, "schedfuzz: FAIL %s %s memory=%s kind=%s step=%u :: %s\n", g_target->name,
               g_target->variants[g_variant].name, std::string(memory_mode_name(g_opts.memory)).c_str(),
               r.outcome.failure_name().c_str(), r.outcome.step, r.outcome.message.c_str());
  std::abort();
}

}  // namespace sf
