// fuzz/fuzz_vmap_purge.cpp: libFuzzer target for the lazy vmap purge.
#include "fuzz/fuzz_driver.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  sf::fuzz::init("vmap_purge", argc, argv);
  return 0;
}
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return sf::fuzz::run_one(data, size); }
