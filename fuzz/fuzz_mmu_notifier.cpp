// fuzz/fuzz_mmu_notifier.cpp: libFuzzer target for the 2.6.27 mmu notifier.
#include "models/registry.h"
#include "schedfuzz/fuzz.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  sf::fuzz_init(*sf::models::find_target("mmu_notifier"), argc, argv);
  return 0;
}
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return sf::fuzz_one(data, size); }
