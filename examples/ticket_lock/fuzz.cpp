// examples/ticket_lock/fuzz.cpp: a libFuzzer target for the ticket spinlock model
// (`build/ticket_lock_fuzz --variant=relaxed_unlock --memory=lkmm`).
#include "schedfuzz/fuzz.h"
#include "ticket_lock.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  sf::fuzz_init(ticket_lock_target(), argc, argv);
  return 0;
}
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return sf::fuzz_one(data, size); }
