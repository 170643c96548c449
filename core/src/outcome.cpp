// core/src/outcome.cpp: names of failure kinds and memory modes, from their declaration tables.
#include "schedfuzz/outcome.h"

namespace sf {

namespace {
struct KindInfo {
  std::string_view name, meaning;
};
constexpr KindInfo kKinds[] = {
#define X(e, name, meaning) {name, meaning},
#include "schedfuzz/failure_kinds.def"
#undef X
};
constexpr std::string_view kModes[] = {"sc", "tso", "lkmm"};
}  // namespace

std::string_view failure_kind_name(FailureKind k) { return kKinds[static_cast<int>(k)].name; }
std::string_view failure_kind_meaning(FailureKind k) { return kKinds[static_cast<int>(k)].meaning; }
std::string_view memory_mode_name(MemoryMode m) { return kModes[static_cast<int>(m)]; }
bool parse_memory_mode(std::string_view s, MemoryMode* out) {
  for (int i = 0; i < 3; ++i) {
    if (s == kModes[i]) {
      *out = static_cast<MemoryMode>(i);
      return true;
    }
  }
  return false;
}

}  // namespace sf
