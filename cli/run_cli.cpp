// cli/run_cli.cpp: the schedfuzz command line: parses arguments (CLI11) and dispatches.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "cli/catalogue.h"
#include "cli/commands.h"
#include "schedfuzz/cli.h"
#include "schedules/schedule_file.h"

namespace sf {

using namespace sf::cli;

namespace {
// A number of seconds: 0 to 10^7 (CLI::Range alone lets "nan" through: every comparison with it is false).
CLI::Validator seconds_check() {
  return CLI::Validator(
      [](std::string& text) {
        char* end = nullptr;
        double v = std::strtod(text.c_str(), &end);
        bool ok = !text.empty() && *end == '\0' && v >= 0.0 && v <= 1e7;  // false for nan
        return ok ? std::string() : "not a number of seconds from 0 to 10000000";
      },
      "SECONDS");
}
}  // namespace

int run_cli(int argc, char** argv, const std::vector<Target>& targets) {
  set_catalogue(targets, argc > 0 ? argv[0] : nullptr);
  CLI::App app{"schedfuzz: a deterministic concurrency fuzzer for kernel-style algorithms"};
  app.require_subcommand(1);
  app.failure_message([](const CLI::App*, const CLI::Error& e) { return std::string(e.what()) + "\n"; });

  auto* list = app.add_subcommand("list", "list every target and variant with what it must produce");

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "explore one variant with seeded random or PCT schedules, or search it within bounds; minimize and save a failure");
  run_cmd->add_option("target", run.target, "target name (see `schedfuzz list`)")->required();
  run_cmd->add_option("--variant,-v", run.variant, "variant name (default: correct)");
  auto* seed = run_cmd->add_option("--seed,-s", run.seed, "random seed (random and pct)")
                   ->check(CLI::Validator(
                       [](std::string& text) {  // CLI11 would saturate a seed past 2^64 - 1, not reject it
                         uint64_t v;
                         return parse_u64(text, &v) ? std::string() : "not a whole number from 0 to 2^64 - 1";
                       },
                       "UINT64"));
  run_cmd->add_option("--strategy", run.strategy,
                      "random (varying preemption rate), pct (priority-based, depth --depth) or bounded (every "
                      "execution within --preemptions and --memory-choices, fewest preemptions first)")
      ->check(CLI::IsMember({"random", "pct", "bounded"}));
  auto* depth = run_cmd->add_option("--depth", run.pct_depth, "PCT bug depth: priority change points + 1")->check(CLI::Range(1, 8));
  auto* preemptions = run_cmd->add_option("--preemptions", run.max_preemptions, "bounded: preemptions per execution (default 2)")
      ->check(CLI::Range(0u, 64u));
  auto* memory_choices = run_cmd->add_option("--memory-choices", run.max_memory_choices,
                      "bounded: stale reads, store reorderings and early flushes per execution (default 2)")
      ->check(CLI::Range(0u, 64u));
  run_cmd->add_option("--executions,-n", run.executions, "execution budget (default: the target's; bounded: 100 times it)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  run_cmd->add_option("--seconds", run.seconds, "time budget in seconds (0: none)")->check(seconds_check());
  std::string memory;
  run_cmd->add_option("--memory,-m", memory, "memory model: sc, tso or lkmm (default: the variant's)")
      ->check(CLI::IsMember({"sc", "tso", "lkmm"}));
  run_cmd->add_option("--max-steps", run.max_steps, "schedule points per execution before a livelock is reported")
      ->check(CLI::Range(uint32_t{16}, uint32_t{100000000}));
  run_cmd->add_option("--out,-o", run.out_dir, "folder for failing schedules");
  run_cmd->add_flag("--keep-going,-k", run.keep_going,
                    "go on after a failure until the budget ends; save one schedule per distinct failure");
  run_cmd->add_option("--jobs,-j", run.jobs,
                      "processes, each with its own seed (seed, seed+1, ...), or its share of a bounded search, "
                      "and --keep-going; failures merged")
      ->check(CLI::Range(1u, 256u));
  run_cmd->add_option("--progress", run.progress_seconds,
                      "seconds between progress lines on stderr for long runs (default 60; 0: none)")
      ->check(seconds_check());
  bool no_minimize = false;
  run_cmd->add_flag("--no-minimize", no_minimize, "save the failing schedule as found, without minimizing it");

  ReplayArgs replay;
  auto* replay_cmd = app.add_subcommand("replay", "re-run a saved schedule and print its trace");
  replay_cmd->add_option("file", replay.file, "schedule file")->required();
  replay_cmd->add_flag("--quiet,-q", replay.quiet, "only the verdict line");
  replay_cmd->add_option("--html", replay.html, "also write the trace as an HTML swimlane (a column per thread) to this file");

  MinimizeArgs minimize;
  auto* minimize_cmd = app.add_subcommand("minimize", "shrink a failing schedule to fewer preemptions");
  minimize_cmd->add_option("file", minimize.file, "schedule file")->required();
  minimize_cmd->add_option("--out,-o", minimize.out, "where to write it (default: FILE.min.sched)");

  DemoArgs demo;
  auto* demo_cmd = app.add_subcommand("demo", "fuzz every target and variant briefly; print a table");
  demo_cmd->add_option("--seconds", demo.seconds_per_variant, "time cap per variant")->check(CLI::Range(0.1, 3600.0));
  demo_cmd->add_option("--executions,-n", demo.executions, "execution cap per variant (default: the target's)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  demo_cmd->add_option("--out,-o", demo.out_dir, "folder for failing schedules");

  TriageArgs triage;
  auto* triage_cmd = app.add_subcommand(
      "triage", "group libFuzzer crash files of one variant by distinct failure; save a minimized schedule for each");
  triage_cmd->add_option("target", triage.target, "target name (see `schedfuzz list`)")->required();
  triage_cmd->add_option("files", triage.files, "inputs (libFuzzer crash-* files)")->required();
  triage_cmd->add_option("--variant,-v", triage.variant, "the variant the inputs were fuzzed on (default: correct)");
  std::string triage_memory;
  triage_cmd->add_option("--memory,-m", triage_memory, "the memory model they were fuzzed under (default: the variant's)")
      ->check(CLI::IsMember({"sc", "tso", "lkmm"}));
  triage_cmd->add_option("--out,-o", triage.out_dir, "folder for the schedules");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    for (char& c : what) if (c == '\n') c = ' ';
    return usage_error(what);
  }
  if (*list) return cmd_list();
  if (*run_cmd) {
    if (run.strategy != "bounded" && (preemptions->count() || memory_choices->count())) {
      return usage_error("--preemptions and --memory-choices apply to --strategy bounded");
    }
    if (run.strategy != "pct" && depth->count()) return usage_error("--depth applies to --strategy pct");
    if (run.strategy == "bounded" && seed->count()) {
      return usage_error("--seed applies to random and pct; a bounded search has no randomness");
    }
    run.memory_given = !memory.empty();
    run.minimize = !no_minimize;
    if (run.memory_given) sf::parse_memory_mode(memory, &run.memory);
    return cmd_run(run);
  }
  if (*replay_cmd) return cmd_replay(replay);
  if (*demo_cmd) return cmd_demo(demo);
  if (*minimize_cmd) return cmd_minimize(minimize);
  if (*triage_cmd) {
    triage.memory_given = !triage_memory.empty();
    if (triage.memory_given) sf::parse_memory_mode(triage_memory, &triage.memory);
    return cmd_triage(triage);
  }
  return usage_error("no command given");
}

}  // namespace sf
