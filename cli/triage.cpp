// cli/triage.cpp: `schedfuzz triage`: groups libFuzzer crash files (or any inputs) of one target
// variant by distinct failure, and saves one minimized, replayable schedule per failure.
#include <cinttypes>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "schedfuzz/engine.h"
#include "schedfuzz/fuzz_bytes_source.h"
#include "schedfuzz/target.h"
#include "schedules/minimize.h"

namespace sf::cli {

namespace {

// The whole file; false (with `error`) if it cannot be read.
bool read_bytes(const std::string& path, std::vector<uint8_t>* out, std::string* error) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    *error = path + ": cannot open";
    return false;
  }
  uint8_t buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out->insert(out->end(), buf, buf + n);
  bool ok = !std::ferror(f);
  std::fclose(f);
  if (!ok) *error = path + ": cannot read (a folder?)";
  return ok;
}

struct Group {
  size_t files = 0;
  std::string smallest;  // the input whose failing execution made the fewest decisions
  std::vector<Decision> decisions;
  Outcome outcome;
};

}  // namespace

int cmd_triage(const TriageArgs& a) {
  const Target* t = nullptr;
  int v = 0;
  if (int code = find_target_variant(a.target, a.variant, &t, &v)) return code;
  RunOptions opts;
  opts.memory = a.memory_given ? a.memory : t->variants[v].memory;
  RunOptions fast = opts;
  fast.record_events = false;
  TargetCall call{t, v};
  Engine engine;

  // Read every input first: a bad one is a usage error before any work.
  std::vector<std::vector<uint8_t>> inputs(a.files.size());
  for (size_t i = 0; i < a.files.size(); ++i) {
    std::string error;
    if (!read_bytes(a.files[i], &inputs[i], &error)) return usage_error(error);
  }
  std::map<std::string, Group> groups;  // by failure token, in a stable order
  size_t passing = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    FuzzBytesSource src(inputs[i].data(), inputs[i].size());
    const Outcome& o = engine.run(&TargetCall::body, &call, src, fast);
    if (!o.failed()) {
      ++passing;
      continue;
    }
    Group& g = groups[failure_token(o)];
    ++g.files;
    if (g.smallest.empty() || engine.decisions().size() < g.decisions.size()) {
      g.smallest = a.files[i];
      g.decisions = engine.decisions();
      g.outcome = o;
    }
  }
  std::string mem(memory_mode_name(opts.memory));
  for (auto& [token, g] : groups) {
    MinimizeResult m = minimize(engine, &TargetCall::body, &call, g.decisions, opts);
    const char* fewest = fewest_preemptions(engine, call, opts, &m.decisions, &m.outcome);
    std::string error;
    std::string path = save_failure(a.out_dir, t->name, a.variant, opts, m.outcome,
                                    m.decisions, &error);
    if (path.empty()) return usage_error(error);
    std::printf("FAILURE kind=%s files=%zu smallest=%s decisions=%zu fewest=%s schedule=%s :: %s\n",
                m.outcome.failure_name().c_str(), g.files, g.smallest.c_str(), g.decisions.size(), fewest,
                path.c_str(), m.outcome.message.c_str());
  }
  std::printf("TRIAGE %s %s memory=%s files=%zu failing=%zu passing=%zu distinct_failures=%zu\n", t->name,
              a.variant.c_str(), mem.c_str(), a.files.size(), a.files.size() - passing, passing, groups.size());
  return groups.empty() ? kExitPass : kExitFailure;
}

}  // namespace sf::cli
