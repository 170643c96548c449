// examples/ticket_lock/main.cpp: the schedfuzz command line (list, run, replay, minimize, triage,
// demo) over this project's own targets.
#include <vector>

#include "schedfuzz/cli.h"
#include "ticket_lock.h"

int main(int argc, char** argv) {
  static const std::vector<sf::Target> targets = {ticket_lock_target()};
  return sf::run_cli(argc, argv, targets);
}
