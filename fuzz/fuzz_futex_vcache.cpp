// fuzz/fuzz_futex_vcache.cpp: libFuzzer target for the 2.5.38 futex vcache.
#include "models/registry.h"
#include "schedfuzz/fuzz.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  sf::fuzz_init(*sf::models::find_target("futex_vcache"), argc, argv);
  return 0;
}
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return sf::fuzz_one(data, size); }
