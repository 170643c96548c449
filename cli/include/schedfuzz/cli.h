// schedfuzz/cli.h: the schedfuzz command line (list, run, replay, minimize, triage, demo) as a
// library, for a program of your own that serves your own targets:
//
//   #include "schedfuzz/cli.h"
//   #include "schedfuzz/schedfuzz.h"
//   static void my_lock_body(int variant) { ... }   // one execution, as thread 0
//   int main(int argc, char** argv) {
//     static const std::vector<sf::Target> targets = {
//         {"my_lock", "what it checks", {{"correct", "pass", "the real thing"},
//                                        {"no_barrier", "oracle", "drops the smp_mb"}}, my_lock_body}};
//     return sf::run_cli(argc, argv, targets);
//   }
//
// Link with the sf_cli library (CMake: target_link_libraries(my_fuzz PRIVATE sf_cli)); see
// examples/ticket_lock/.
#pragma once
#include <vector>

#include "schedfuzz/target.h"

namespace sf {

// Parses argv as the schedfuzz command does and runs the subcommand over `targets` (which must
// outlive the call); returns the exit code (0 pass, 1 failure found, 2 bad usage, 3 replay mismatch).
int run_cli(int argc, char** argv, const std::vector<Target>& targets);

}  // namespace sf
