// schedfuzz/target.h: Target and Variant, how a model presents itself to the command line
// (schedfuzz/cli.h), the libFuzzer driver, the tests and the benchmarks: a name, its variants (the
// correct form and each bug, with the failure it must produce), and the body of one execution.
#pragma once
#include <string_view>
#include <vector>

#include "schedfuzz/outcome.h"

namespace sf {

struct Variant {
  const char* name;    // "correct" for the correct form
  const char* expect;  // "pass", or the failure kind this variant must produce in `memory` mode
  const char* what;    // one line: the bug, or why this control must pass
  bool control = false;
  // The memory mode the verdict is promised in, and `run`'s default for this variant. A bug that
  // needs weak memory is promised under lkmm and must pass under sc (the proof that it needs it).
  MemoryMode memory = MemoryMode::sc;
  const char* expect_tso = nullptr;  // memory == lkmm: the verdict under tso (what x86 allows)
};

struct Target {
  const char* name;
  const char* what;
  std::vector<Variant> variants;
  // Runs one execution of the model as thread 0; `variant` indexes `variants`.
  void (*body)(int variant);
  // The execution budget within which `run` with the default seed finds every bug variant.
  unsigned default_budget = 100000;
};

// A target's variant as an engine body: `engine.run(&TargetCall::body, &call, ...)`.
struct TargetCall {
  const Target* target;
  int variant;
  static void body(void* self) {
    auto* c = static_cast<TargetCall*>(self);
    c->target->body(c->variant);
  }
};

inline int find_variant(const Target& t, std::string_view variant) {  // -1: unknown
  for (size_t i = 0; i < t.variants.size(); ++i) {
    if (variant == t.variants[i].name) return static_cast<int>(i);
  }
  return -1;
}

inline const Target* find_target(const std::vector<Target>& targets, std::string_view name) {
  for (const Target& t : targets) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

}  // namespace sf
