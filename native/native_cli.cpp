// native/native_cli.cpp: sf::native::run_cli, a user's targets run on real threads from the command
// line (schedfuzz/native.h).
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "schedfuzz/native.h"

namespace sf::native {

namespace {
int usage(const char* program, const std::string& why) {
  std::fprintf(stderr, "%s: %s (usage: %s TARGET [--variant NAME] [--executions N])\n", program, why.c_str(), program);
  return 2;
}
}  // namespace

int run_cli(int argc, char** argv, const std::vector<Target>& targets) {
  const char* program = argc > 0 ? argv[0] : "native";
  for (const char* c = program; *c; ++c)
    if (*c == '/') program = c + 1;
  const char* target_name = nullptr;
  std::string variant = "correct";
  uint64_t executions = 10000;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--variant" || a == "-v" || a == "--executions" || a == "-n") {
      if (i + 1 >= argc) return usage(program, a + " needs a value");
      std::string v = argv[++i];
      if (a == "--variant" || a == "-v") {
        variant = v;
      } else {
        char* end = nullptr;
        executions = std::strtoull(v.c_str(), &end, 10);
        if (v.empty() || v[0] == '-' || *end || executions == 0) return usage(program, "executions must be a positive number");
      }
    } else if (!a.empty() && a[0] == '-') {
      return usage(program, "unknown option " + a);
    } else if (target_name) {
      return usage(program, "one target only");
    } else {
      target_name = argv[i];
    }
  }
  if (!target_name) return usage(program, "no target given");
  const Target* t = find_target(targets, target_name);
  if (!t) return usage(program, std::string("unknown target '") + target_name + "'");
  int v = find_variant(*t, variant);
  if (v < 0) return usage(program, "unknown variant '" + variant + "' of " + t->name);
  TargetCall call{t, v};
  run(&TargetCall::body, &call, executions);
  std::printf("PASS %s %s native executions=%" PRIu64 "\n", t->name, variant.c_str(), executions);
  return 0;
}

}  // namespace sf::native
