// cli/commands.cpp: list, run and replay.
#include "cli/commands.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <set>
#include <string>

#include "cli/swimlane.h"
#include "cli/catalogue.h"
#include "schedfuzz/bounded_source.h"
#include "schedfuzz/pct_source.h"
#include "schedfuzz/random_source.h"
#include "schedules/explore.h"
#include "schedules/minimize.h"
#include "schedules/schedule_file.h"

namespace sf::cli {

int usage_error(const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", program_name(), message.c_str());
  return kExitUsage;
}

int cmd_list() {
  std::printf("%-14s %-30s %-22s %-6s %s\n", "TARGET", "VARIANT", "EXPECT", "MEMORY", "WHAT");
  for (const Target& t : catalogue()) {
    for (const Variant& v : t.variants) {
      std::string mem(memory_mode_name(v.memory));
      std::string what = v.control ? std::string("[control] ") + v.what : v.what;
      if (v.memory == MemoryMode::lkmm && std::string(v.expect) != "pass") {
        what += std::string(" [sc: pass; tso: ") + (v.expect_tso ? v.expect_tso : v.expect) + "]";
      }
      std::printf("%-14s %-30s %-22s %-6s %s\n", t.name, v.name, v.expect, mem.c_str(), what.c_str());
    }
  }
  return kExitPass;
}

static bool make_dir(const std::string& dir, std::string* error) {
  if (mkdir(dir.c_str(), 0777) == 0 || errno == EEXIST) {
    struct stat st;
    if (stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return true;
  }
  *error = dir + ": cannot create the output folder";
  return false;
}

// Saves a failing schedule; returns its path (empty on error, with `error` set).
std::string save_failure(const std::string& dir, const std::string& target, const std::string& variant,
                         const RunOptions& opts, const Outcome& o, const std::vector<Decision>& decisions,
                         std::string* error) {
  if (!make_dir(dir, error)) return "";
  ScheduleFile f;
  f.version = schedule_version_for(opts);
  f.target = target;
  f.variant = variant;
  f.memory = opts.memory;
  f.max_steps = opts.max_steps;
  f.expect = o.failure_name();
  f.trace_hash = o.trace_hash;
  f.message = o.message;
  f.decisions = decisions;
  char name[64];
  std::snprintf(name, sizeof name, ".%s.%08" PRIx64 ".sched", std::string(memory_mode_name(opts.memory)).c_str(),
                o.trace_hash & 0xffffffffu);
  std::string path = dir + "/" + target + "." + variant + name;
  if (!write_file_atomically(path, format_schedule(f), error)) return "";
  return path;
}

std::string failure_token(const Outcome& o) {
  std::string t = o.failure_name() + "|";
  for (char c : o.message) t += (c >= '0' && c <= '9') ? '#' : c;
  return t;
}

// "strategy=random seed=1", "strategy=pct depth=3 seed=1" or "strategy=bounded preemptions<=2
// memory_choices<=2" (a bounded search has no seed).
static std::string strategy_text(const RunArgs& a) {
  char buf[128];
  if (a.strategy == "bounded") {
    std::snprintf(buf, sizeof buf, "strategy=bounded preemptions<=%u memory_choices<=%u", a.max_preemptions,
                  a.max_memory_choices);
  } else if (a.strategy == "pct") {
    std::snprintf(buf, sizeof buf, "strategy=pct depth=%u seed=%" PRIu64, a.pct_depth, a.seed);
  } else {
    std::snprintf(buf, sizeof buf, "strategy=%s seed=%" PRIu64, a.strategy.c_str(), a.seed);
  }
  return buf;
}

namespace {
// The heartbeat of a long run: one line on stderr every RunArgs::progress_seconds, counted over
// all the explore() calls of a --keep-going run.
struct Heartbeat {
  const RunArgs* args;
  const BoundedSource* search = nullptr;  // a bounded search: its pass too
  uint64_t executions_before = 0;         // --keep-going: what earlier explore() calls ran
  double seconds_before = 0;
  double next_at = 0;  // total seconds of the next line
  static double beat(void* self, uint64_t executions, double seconds) {
    auto* h = static_cast<Heartbeat*>(self);
    uint64_t n = h->executions_before + executions;
    double t = h->seconds_before + seconds;
    if (t >= h->next_at) {
      char pass[64] = "";
      if (h->search) std::snprintf(pass, sizeof pass, ", pass with at most %u preemptions", h->search->level());
      char job[32] = "";
      if (h->args->shares > 1) std::snprintf(job, sizeof job, " (job %u/%u)", h->args->share + 1, h->args->shares);
      std::fprintf(stderr, "%s: %s %s%s: %.1f s, %" PRIu64 " executions (%.0f/s)%s\n",
                   program_name(), h->args->target.c_str(), h->args->variant.c_str(), job, t, n, t > 0 ? n / t : 0.0,
                   pass);
      while (h->next_at <= t) h->next_at += h->args->progress_seconds;
    }
    return h->next_at - t;
  }
  // Before each explore() call: `executions` and `seconds` ran before it.
  void attach(ExploreBudget* b, uint64_t executions, double seconds) {
    if (args->progress_seconds <= 0) return;
    executions_before = executions;
    seconds_before = seconds;
    if (next_at == 0) next_at = args->progress_seconds;
    b->progress_seconds = std::max(0.0, next_at - seconds);
    b->progress = &Heartbeat::beat;
    b->progress_arg = this;
  }
};
}  // namespace

// `run --keep-going`: explore the whole budget, minimizing and saving each distinct failure once.
static int run_keep_going(const RunArgs& a, const Target* t, TargetCall& call, const RunOptions& opts,
                          ChoiceSource& source, const ExploreBudget& budget) {
  Engine engine;
  std::set<std::string> seen;
  size_t saved = 0;
  bool exhausted = false;
  Heartbeat heartbeat{&a, dynamic_cast<const BoundedSource*>(&source)};
  uint64_t executions = 0;
  double seconds = 0;
  std::string mem(memory_mode_name(opts.memory));
  while (executions < budget.executions && (budget.seconds == 0 || seconds < budget.seconds)) {
    ExploreBudget rest{budget.executions - executions, budget.seconds == 0 ? 0 : budget.seconds - seconds};
    heartbeat.attach(&rest, executions, seconds);
    ExploreResult r = explore(engine, &TargetCall::body, &call, source, opts, rest);
    if (!r.divergence.empty()) return usage_error(std::string(t->name) + " " + a.variant + ": " + r.divergence);
    executions += r.executions;
    seconds += r.seconds;
    exhausted = r.exhausted;
    if (!r.found) break;
    std::string token = failure_token(r.outcome);
    if (!seen.insert(token).second) continue;
    const char* fewest = a.strategy == "bounded" ? "yes" : "unknown";
    if (a.minimize) {
      MinimizeResult m = minimize(engine, &TargetCall::body, &call, r.decisions, opts);
      r.decisions = m.decisions;
      r.outcome = m.outcome;
      if (a.strategy != "bounded") fewest = fewest_preemptions(engine, call, opts, &r.decisions, &r.outcome);
      // Minimizing can turn it into a failure already saved.
      std::string small = failure_token(r.outcome);
      if (small != token && !seen.insert(small).second) continue;
    }
    std::string error;
    std::string path = save_failure(a.out_dir, t->name, a.variant, opts, r.outcome, r.decisions, &error);
    if (path.empty()) return usage_error(error);
    ++saved;
    char line[2048];
    char who[48];  // which job found it: its seed, or its share of a bounded search
    if (a.strategy == "bounded") {
      std::snprintf(who, sizeof who, "share=%u/%u", a.share + 1, a.shares);
    } else {
      std::snprintf(who, sizeof who, "seed=%" PRIu64, a.seed);
    }
    std::snprintf(line, sizeof line, "FAIL %s %s memory=%s kind=%s %s after=%" PRIu64
                  " preemptions=%u fewest=%s schedule=%s :: %s", t->name, a.variant.c_str(), mem.c_str(),
                  r.outcome.failure_name().c_str(), who, executions, count_preemptions(r.decisions), fewest,
                  path.c_str(), r.outcome.message.c_str());
    if (a.report_fd >= 0) {
      report_failure(a.report_fd, failure_token(r.outcome), path, line);
    } else {
      std::printf("%s\n", line);
      std::fflush(stdout);
    }
  }
  if (a.report_fd >= 0) {
    const auto* search = dynamic_cast<const BoundedSource*>(&source);
    report_done(a.report_fd, executions, seconds, search ? search_state(*search, exhausted) : SearchState::none);
    return saved == 0 ? kExitPass : kExitFailure;
  }
  const auto* search = dynamic_cast<const BoundedSource*>(&source);
  std::printf("DONE %s %s memory=%s %s executions=%" PRIu64 " exec/s=%.0f distinct_failures=%zu%s\n",
              t->name, a.variant.c_str(), mem.c_str(), strategy_text(a).c_str(), executions,
              seconds > 0 ? executions / seconds : 0.0, saved,
              search ? search_summary(search_state(*search, exhausted)).c_str() : "");
  return saved == 0 ? kExitPass : kExitFailure;
}

int find_target_variant(const std::string& target, const std::string& variant, const Target** t, int* v) {
  *t = find_in_catalogue(target);
  if (!*t) return usage_error("unknown target '" + target + "' (see `" + program_name() + " list`)");
  *v = find_variant(**t, variant);
  if (*v < 0) {
    return usage_error("unknown variant '" + variant + "' of " + target + " (see `" + program_name() + " list`)");
  }
  return 0;
}

int cmd_run(const RunArgs& a) {
  const Target* t = nullptr;
  int v = 0;
  if (int code = find_target_variant(a.target, a.variant, &t, &v)) return code;
  RunOptions opts;
  opts.memory = a.memory_given ? a.memory : t->variants[v].memory;
  if (a.max_steps) opts.max_steps = a.max_steps;
  bool bounded = a.strategy == "bounded";
  // A bounded search is meant to finish: its default budget is the target's times 100.
  uint64_t default_budget = uint64_t{t->default_budget} * (bounded ? 100 : 1);
  ExploreBudget budget{a.executions ? a.executions : default_budget, a.seconds};
  TargetCall call{t, v};
  Engine engine;
  RandomSource random(a.seed);
  PctSource pct(a.seed, a.pct_depth);
  BoundedSource search(a.max_preemptions, a.max_memory_choices);
  search.split(a.share, a.shares);
  ChoiceSource& source = bounded ? static_cast<ChoiceSource&>(search)
                         : a.strategy == "pct" ? static_cast<ChoiceSource&>(pct)
                                               : static_cast<ChoiceSource&>(random);
  if (a.jobs > 1) return run_jobs(a);
  if (a.keep_going) return run_keep_going(a, t, call, opts, source, budget);
  Heartbeat heartbeat{&a, bounded ? &search : nullptr};
  heartbeat.attach(&budget, 0, 0);
  ExploreResult r = explore(engine, &TargetCall::body, &call, source, opts, budget);
  if (!r.divergence.empty()) return usage_error(std::string(t->name) + " " + a.variant + ": " + r.divergence);
  double rate = r.seconds > 0 ? r.executions / r.seconds : 0;
  std::string mem(memory_mode_name(opts.memory));
  if (!r.found) {
    std::printf("PASS %s %s memory=%s %s executions=%" PRIu64 " exec/s=%.0f%s\n", t->name,
                a.variant.c_str(), mem.c_str(), strategy_text(a).c_str(), r.executions, rate,
                bounded ? search_summary(search_state(search, r.exhausted)).c_str() : "");
    return kExitPass;
  }
  std::string error;
  uint32_t found_preemptions = count_preemptions(r.decisions);
  if (a.minimize) {
    MinimizeResult m = minimize(engine, &TargetCall::body, &call, r.decisions, opts);
    r.decisions = m.decisions;
    r.outcome = m.outcome;
  }
  // The bounded search already found the fewest; for the others, ask it.
  const char* fewest = bounded      ? "yes"
                       : a.minimize ? fewest_preemptions(engine, call, opts, &r.decisions, &r.outcome)
                                    : "unknown";
  std::string path = save_failure(a.out_dir, t->name, a.variant, opts, r.outcome, r.decisions, &error);
  if (path.empty()) return usage_error(error);
  std::printf("FAIL %s %s memory=%s %s kind=%s executions=%" PRIu64
              " exec/s=%.0f preemptions=%u (found with %u) fewest=%s schedule=%s :: %s\n",
              t->name, a.variant.c_str(), mem.c_str(), strategy_text(a).c_str(), r.outcome.failure_name().c_str(),
              r.executions, rate, count_preemptions(r.decisions), found_preemptions, fewest, path.c_str(),
              r.outcome.message.c_str());
  return kExitFailure;
}

// Reads a schedule file and finds its target and variant; on error, says why in `error`.
static bool load_schedule(const std::string& path, ScheduleFile* f, TargetCall* call, RunOptions* opts,
                          std::string* error) {
  if (!read_schedule_file(path, f, error)) return false;
  const Target* t = find_in_catalogue(f->target);
  if (!t) {
    *error = path + ": unknown target '" + f->target + "'";
    return false;
  }
  int v = find_variant(*t, f->variant);
  if (v < 0) {
    *error = path + ": unknown variant '" + f->variant + "' of " + f->target;
    return false;
  }
  *call = TargetCall{t, v};
  *opts = schedule_run_options(*f);
  return true;
}

// A schedule file loaded and replayed strictly once: what replay and minimize both start from.
struct LoadedSchedule {
  ScheduleFile file;
  TargetCall call{};
  RunOptions opts;
  ReplayResult first;
};

// Returns 0, or the exit code of the one-line error already printed.
int load_and_replay(const std::string& path, Engine& engine, LoadedSchedule* s) {
  std::string error;
  if (!load_schedule(path, &s->file, &s->call, &s->opts, &error)) return usage_error(error);
  s->first = replay(engine, &TargetCall::body, &s->call, s->file.decisions, s->opts);
  if (!s->first.divergence.empty()) return usage_error(path + ": " + s->first.divergence);
  return 0;
}

int cmd_replay(const ReplayArgs& a) {
  Engine engine;
  LoadedSchedule s;
  if (int code = load_and_replay(a.file, engine, &s)) return code;
  const ScheduleFile& f = s.file;
  const Outcome& o = s.first.outcome;
  if (!a.html.empty()) {
    std::string title = f.target + " " + f.variant + ", memory " + std::string(memory_mode_name(f.memory)) + ", " +
                        std::to_string(f.decisions.size()) + " decisions";
    std::string verdict = o.failed() ? "kind=" + o.failure_name() + " step=" + std::to_string(o.step) + " thread=T" +
                                           std::to_string(o.thread) + " :: " + o.message
                                     : std::string("PASS: the schedule runs to completion without failure");
    std::string error;
    if (!write_file_atomically(a.html, render_swimlane_html(engine.trace(), title, verdict), &error))
      return usage_error(error);
  }
  if (!a.quiet) {
    std::printf("# %s %s, memory %s, %zu decisions\n", f.target.c_str(), f.variant.c_str(),
                std::string(memory_mode_name(f.memory)).c_str(), f.decisions.size());
    std::fputs(render_trace(engine.trace()).c_str(), stdout);
  }
  std::string got = o.failure_name();
  bool same_kind = got == (f.expect.empty() ? "pass" : f.expect);
  bool same_hash = f.trace_hash == 0 || f.trace_hash == o.trace_hash;
  if (!o.failed()) {
    std::printf("PASS %s %s: the schedule runs to completion without failure (trace-hash 0x%016" PRIx64 ")\n",
                f.target.c_str(), f.variant.c_str(), o.trace_hash);
    return same_kind ? kExitPass : 3;
  }
  std::printf("%s %s %s kind=%s step=%u thread=T%u trace-hash=0x%016" PRIx64 " :: %s\n",
              same_kind && same_hash ? "REPRODUCED" : "DIFFERENT", f.target.c_str(), f.variant.c_str(), got.c_str(),
              o.step, o.thread, o.trace_hash, o.message.c_str());
  if (!same_kind || !same_hash) {
    std::fprintf(stderr, "%s: %s: the schedule recorded %s with trace-hash 0x%016" PRIx64 "\n", program_name(),
                 a.file.c_str(), f.expect.c_str(), f.trace_hash);
    return 3;
  }
  return kExitFailure;
}

int cmd_minimize(const MinimizeArgs& a) {
  Engine engine;
  LoadedSchedule s;
  if (int code = load_and_replay(a.file, engine, &s)) return code;
  if (!s.first.outcome.failed()) return usage_error(a.file + ": the schedule does not fail: nothing to minimize");
  ScheduleFile& f = s.file;
  std::string error;
  MinimizeResult m = minimize(engine, &TargetCall::body, &s.call, f.decisions, s.opts);
  const char* fewest = fewest_preemptions(engine, s.call, s.opts, &m.decisions, &m.outcome);
  m.preemptions_after = count_preemptions(m.decisions);
  f.decisions = m.decisions;
  f.expect = m.outcome.failure_name();
  f.trace_hash = m.outcome.trace_hash;
  f.message = m.outcome.message;
  std::string out = a.out;
  if (out.empty()) {
    out = a.file;
    std::string ext = ".sched";
    if (out.size() > ext.size() && out.compare(out.size() - ext.size(), ext.size(), ext) == 0) out.resize(out.size() - ext.size());
    out += ".min.sched";
  }
  if (!write_file_atomically(out, format_schedule(f), &error)) return usage_error(error);
  std::printf("MINIMIZED %s %s kind=%s preemptions %u -> %u (fewest=%s), decisions %zu, %u runs: %s\n",
              f.target.c_str(), f.variant.c_str(), f.expect.c_str(), m.preemptions_before, m.preemptions_after, fewest,
              f.decisions.size(), m.runs, out.c_str());
  return kExitFailure;
}

}  // namespace sf::cli
