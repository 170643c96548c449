// fuzz/fuzz_mmu_notifier.cpp: libFuzzer target for the 2.6.27 mmu notifier.
#include "fuzz/fuzz_driver.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  sf::fuzz::init("mmu_notifier", argc, argv);
  return 0;
}
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return sf::fuzz::run_one(data, size); }
