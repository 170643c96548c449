// examples/ticket_lock/native_main.cpp: the same model on real threads (schedfuzz/native.h), for
// ThreadSanitizer and AddressSanitizer: `build-tsan/ticket_lock_native ticket_lock -n 10000`.
#include <vector>

#include "schedfuzz/native.h"
#include "ticket_lock.h"

int main(int argc, char** argv) {
  static const std::vector<sf::Target> targets = {ticket_lock_target()};
  return sf::native::run_cli(argc, argv, targets);
}
