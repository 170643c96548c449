// cli/catalogue.cpp: the targets this command line serves (run_cli sets them once).
#include "cli/catalogue.h"

namespace sf::cli {

namespace {
const std::vector<Target>* g_catalogue = nullptr;
const std::vector<Target> kNone;
const char* g_program = "schedfuzz";
}  // namespace

void set_catalogue(const std::vector<Target>& targets, const char* program) {
  g_catalogue = &targets;
  if (program && *program) g_program = program;
}
const char* program_path() { return g_program; }
const char* program_name() {
  const char* base = g_program;
  for (const char* c = g_program; *c; ++c)
    if (*c == '/') base = c + 1;
  return *base ? base : "schedfuzz";
}
const std::vector<Target>& catalogue() { return g_catalogue ? *g_catalogue : kNone; }
const Target* find_in_catalogue(std::string_view name) { return find_target(catalogue(), name); }

}  // namespace sf::cli
