// cli/commands.h: the schedfuzz subcommands and their options.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "schedfuzz/trace.h"

#include "schedfuzz/outcome.h"

namespace sf {
class Engine;
class BoundedSource;
struct RunOptions;
struct Target;
struct TargetCall;
}

namespace sf::cli {

// Exit codes, one table: 0 pass, 1 a failure was found (or reproduced), 2 bad usage or input.
inline constexpr int kExitPass = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct RunArgs {
  std::string target;
  std::string variant = "correct";
  uint64_t seed = 1;
  std::string strategy = "random";  // random, pct or bounded
  uint32_t pct_depth = 3;
  uint32_t max_preemptions = 2;     // bounded
  uint32_t max_memory_choices = 2;  // bounded
  uint64_t executions = 0;  // 0: the target's default budget
  double seconds = 0;
  MemoryMode memory = MemoryMode::sc;
  bool memory_given = false;  // otherwise: the mode the variant's verdict is promised in
  uint32_t max_steps = 0;
  double progress_seconds = 60;  // a heartbeat line on stderr this often (0: none)
  std::string out_dir = "schedfuzz-out";
  bool minimize = true;
  bool keep_going = false;  // after a failure, go on and save each distinct failure once
  uint32_t jobs = 1;        // > 1: that many processes, seeds seed..seed+jobs-1, each as keep_going
  int report_fd = -1;       // a job of `jobs`: report to the parent through this pipe (jobs.cpp)
  uint32_t share = 0, shares = 1;  // bounded with jobs: this job's part of the search tree
};

struct ReplayArgs {
  std::string file;
  bool quiet = false;  // only the verdict line, no trace
  std::string html;    // also write the trace as an HTML swimlane here
};

struct MinimizeArgs {
  std::string file;
  std::string out;  // default: FILE with .min before .sched
};

struct DemoArgs {
  double seconds_per_variant = 4;
  uint64_t executions = 0;
  std::string out_dir = "schedfuzz-out";
};

struct TriageArgs {
  std::string target;
  std::string variant = "correct";
  MemoryMode memory = MemoryMode::sc;
  bool memory_given = false;  // otherwise: the variant's promised mode
  std::string out_dir = "schedfuzz-out";
  std::vector<std::string> files;  // libFuzzer inputs (crash-*), each a byte string of choices
};

int cmd_list();
int cmd_run(const RunArgs& a);
int cmd_replay(const ReplayArgs& a);
int cmd_demo(const DemoArgs& a);
int cmd_minimize(const MinimizeArgs& a);
int cmd_triage(const TriageArgs& a);
// `run --jobs N` (jobs.cpp): forks N keep-going runs and merges their distinct failures. A job
// reports each distinct failure it saved, and at its end its totals, through its pipe.
int run_jobs(const RunArgs& a);
void report_failure(int fd, const std::string& token, const std::string& path, const std::string& line);
// How far a bounded search went (none: another strategy).
enum class SearchState : uint8_t { none, incomplete, complete_within_bounds, complete };
void report_done(int fd, uint64_t executions, double seconds, SearchState search);
// " search=..." for a verdict line ("" for none). (search_report.cpp)
std::string search_summary(SearchState st);
SearchState search_state(const BoundedSource& s, bool exhausted);

// After minimization (search_report.cpp): a bounded search with one preemption fewer than `decisions` has (and at
// least as many memory choices) for a failure of the same kind: "yes" when it completes without one
// (the schedule's preemptions are the fewest) or finds one (which replaces decisions and outcome,
// minimized), "unknown" when its budget (a million executions or 10 s) ends first.
const char* fewest_preemptions(Engine& engine, TargetCall& call, const RunOptions& opts,
                               std::vector<Decision>* decisions, Outcome* outcome);

// Two failures are the same when their kind and message agree once numbers are blanked out
// (versions, steps and line numbers differ between schedules of one bug).
std::string failure_token(const Outcome& o);

// Saves a failing schedule under `dir`; returns its path (empty on error, with `error` set).
// `opts` are those of the run that failed (memory mode, step limit, choice points).
std::string save_failure(const std::string& dir, const std::string& target, const std::string& variant,
                         const RunOptions& opts, const Outcome& o,
                         const std::vector<Decision>& decisions, std::string* error);

// The target and variant named on the command line; 0, or the usage exit code of the one-line
// error it printed.
int find_target_variant(const std::string& target, const std::string& variant, const Target** t, int* v);

// One line on stderr, "schedfuzz: ...", and the usage exit code.
int usage_error(const std::string& message);

}  // namespace sf::cli
