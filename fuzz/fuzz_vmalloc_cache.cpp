// fuzz/fuzz_vmalloc_cache.cpp: libFuzzer target for the vmalloc info cache.
#include "fuzz/fuzz_driver.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  sf::fuzz::init("vmalloc_cache", argc, argv);
  return 0;
}
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return sf::fuzz::run_one(data, size); }
