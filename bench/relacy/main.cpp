// Relacy bench driver: relacy_bench <test> <correct|bug> <random|bound[=C]|full> <iterations> [seed] -> one JSON line.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include "bench_api.hpp"

namespace {

struct entry {
  const char* name;
  rlbench::run_result (*run)(const rlbench::run_args&);
};

const entry tests[] = {
    {"sb", rlbench::run_sb},
    {"mp", rlbench::run_mp},
    {"seqlock", rlbench::run_seqlock},
    {"lost_update", rlbench::run_lost_update},
    {"vmalloc_cache", rlbench::run_vmalloc_cache},
};

int usage() {
  std::fprintf(stderr,
               "usage: relacy_bench <test> <correct|bug> <random|bound[=C]|full> <iterations> [seed]\n"
               "tests: sb mp seqlock lost_update vmalloc_cache\n"
               "bound=C: the context-bound scheduler with at most C preemptions (default 1, Relacy's own)\n");
  return 2;
}

bool parse_u64(const char* s, std::uint64_t& out) {
  char* end = nullptr;
  if (!*s || *s == '-') return false;
  out = std::strtoull(s, &end, 10);
  return *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5 && argc != 6) return usage();
  const entry* test = nullptr;
  for (const entry& e : tests)
    if (std::strcmp(argv[1], e.name) == 0) test = &e;
  std::string form = argv[2], sched = argv[3];
  rlbench::run_args a;
  if (!test || (form != "correct" && form != "bug")) return usage();
  a.bug = form == "bug";
  if (sched == "random") a.scheduler = rlbench::sched::random;
  else if (sched == "bound") a.scheduler = rlbench::sched::bound;
  else if (sched.rfind("bound=", 0) == 0) {
    std::uint64_t c = 0;
    if (!parse_u64(sched.c_str() + 6, c) || c > 16) return usage();
    a.scheduler = rlbench::sched::bound;
    a.context_bound = static_cast<unsigned>(c);
  }
  else if (sched == "full") a.scheduler = rlbench::sched::full;
  else return usage();
  if (!parse_u64(argv[4], a.iterations) || a.iterations == 0) return usage();
  if (argc == 6 && (!parse_u64(argv[5], a.seed) || (a.seed != 0 && a.seed >= ((1ull << 35) - 1) / a.iterations))) {
    std::fprintf(stderr, "relacy_bench: need (seed+1)*iterations < 2^35\n");
    return usage();
  }

  rlbench::run_result r = test->run(a);
  if (r.failed)
    std::fprintf(stderr, "relacy: %s at iteration %" PRIu64 "\n", r.failure, r.iteration_of_failure);

  char fail_iter[32] = "null";
  if (r.failed) std::snprintf(fail_iter, sizeof fail_iter, "%" PRIu64, r.iteration_of_failure);
  double rate = r.seconds > 0 ? r.iterations_run / r.seconds : 0.0;
  std::printf("{\"tool\":\"relacy\",\"test\":\"%s\",\"form\":\"%s\",\"scheduler\":\"%s\","
              "\"iterations_requested\":%" PRIu64 ",\"iterations_run\":%" PRIu64 ",\"failed\":%s,"
              "\"iteration_of_failure\":%s,\"seconds\":%.6f,\"exec_per_sec\":%.1f}\n",
              test->name, form.c_str(), sched.c_str(), a.iterations, r.iterations_run,
              r.failed ? "true" : "false", fail_iter, r.seconds, rate);
  return 0;
}
